/// How verification classifies and filters differences for one host:
/// built-in severities overridden by `policy:` and changes dropped by `ignore:` globs.
/// Config merges global, group and host levels into one value per host.
public struct CompareRules: Codable, Sendable, Equatable {
    /// Finding kind -> severity, e.g. [.packageUpgraded: .warning]. "ignore" is not a severity:
    /// use `ignore` to drop changes.
    public var severityOverrides: [FindingKind: Severity]
    public var ignore: IgnoreRules

    public init(severityOverrides: [FindingKind: Severity] = [:], ignore: IgnoreRules = IgnoreRules()) {
        self.severityOverrides = severityOverrides
        self.ignore = ignore
    }

    /// `other`'s overrides win; ignore globs add up.
    public func merged(with other: CompareRules) -> CompareRules {
        CompareRules(severityOverrides: severityOverrides.merging(other.severityOverrides) { $1 },
                     ignore: ignore.merged(with: other.ignore))
    }
}

/// Shell-style globs (`*`, `?`, `[...]`) per category. Services match the unit name
/// ("apt-daily*.service"), sockets the endpoint ("tcp *:631", "udp6 [::]:5353") or the port alone ("68"),
/// packages the package name ("linux-image-*").
/// `logs` is different: regular expressions (NSRegularExpression), a known-issue list that drops
/// journal lines matching any of them, as openQA's journal check does.
public struct IgnoreRules: Codable, Sendable, Equatable {
    public var services: [String]
    public var sockets: [String]
    public var packages: [String]
    public var logs: [String]

    public init(services: [String] = [], sockets: [String] = [], packages: [String] = [], logs: [String] = []) {
        self.services = services
        self.sockets = sockets
        self.packages = packages
        self.logs = logs
    }

    public func merged(with other: IgnoreRules) -> IgnoreRules {
        IgnoreRules(services: services + other.services, sockets: sockets + other.sockets,
                    packages: packages + other.packages, logs: logs + other.logs)
    }
}
