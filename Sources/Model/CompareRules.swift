/// How verification classifies and filters differences for one host:
/// built-in severities overridden by `policy:` and changes dropped by `ignore:` globs.
/// Config merges global, group and host levels into one value per host.
public struct CompareRules: Codable, Sendable, Equatable {
    /// Finding kind -> severity, e.g. [.packageUpgraded: .warning]. "ignore" is not a severity:
    /// use `ignore` to drop changes.
    public var severityOverrides: [FindingKind: Severity]
    public var ignore: IgnoreRules
    /// `rules: space_warning_percent`: a mount at or above this use (below it in the baseline)
    /// is `space-low`. nil: not given at this level (``spaceWarningPercentInForce`` applies the default).
    public var spaceWarningPercent: Int?
    /// `rules: critical_modules`: globs of kernel modules whose `module-missing` is a regression.
    public var criticalModules: [String]

    public static let defaultSpaceWarningPercent = 90

    public init(severityOverrides: [FindingKind: Severity] = [:], ignore: IgnoreRules = IgnoreRules(),
                spaceWarningPercent: Int? = nil, criticalModules: [String] = []) {
        self.severityOverrides = severityOverrides
        self.ignore = ignore
        self.spaceWarningPercent = spaceWarningPercent
        self.criticalModules = criticalModules
    }

    public var spaceWarningPercentInForce: Int { spaceWarningPercent ?? Self.defaultSpaceWarningPercent }

    /// `other`'s overrides and thresholds win; globs add up.
    public func merged(with other: CompareRules) -> CompareRules {
        CompareRules(severityOverrides: severityOverrides.merging(other.severityOverrides) { $1 },
                     ignore: ignore.merged(with: other.ignore),
                     spaceWarningPercent: other.spaceWarningPercent ?? spaceWarningPercent,
                     criticalModules: criticalModules + other.criticalModules)
    }
}

/// Shell-style globs (`*`, `?`, `[...]`) per category. Services match the unit name
/// ("apt-daily*.service"), sockets the endpoint ("tcp *:631", "udp6 [::]:5353") or the port alone ("68"),
/// packages the package name ("linux-image-*"), mounts the mount point ("/mnt/backup*"),
/// modules the module name ("nls_*").
public struct IgnoreRules: Codable, Sendable, Equatable {
    public var services: [String]
    public var sockets: [String]
    public var packages: [String]
    public var mounts: [String]
    public var modules: [String]

    public init(services: [String] = [], sockets: [String] = [], packages: [String] = [],
                mounts: [String] = [], modules: [String] = []) {
        self.services = services
        self.sockets = sockets
        self.packages = packages
        self.mounts = mounts
        self.modules = modules
    }

    public func merged(with other: IgnoreRules) -> IgnoreRules {
        IgnoreRules(services: services + other.services, sockets: sockets + other.sockets,
                    packages: packages + other.packages, mounts: mounts + other.mounts,
                    modules: modules + other.modules)
    }
}
