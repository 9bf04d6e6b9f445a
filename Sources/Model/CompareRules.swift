/// How verification classifies and filters differences for one host:
/// built-in severities overridden by `policy:` and changes dropped by `ignore:` globs.
/// Config merges global, group and host levels into one value per host.
public struct CompareRules: Codable, Sendable, Equatable {
    /// Finding kind -> severity, e.g. [.packageUpgraded: .warning]. "ignore" is not a severity:
    /// use `ignore` to drop changes.
    public var severityOverrides: [FindingKind: Severity]
    public var ignore: IgnoreRules
    /// `rules: { expiry_warning_days: }`: a certificate expiring within this many days of the
    /// capture is a warning; nil: not given (`defaultExpiryWarningDays`).
    public var expiryWarningDays: Int?
    /// `rules: { endpoint_versions: true }`: banner versions are compared too; nil: not given (false).
    public var endpointVersions: Bool?
    /// `rules: space_warning_percent`: a mount at or above this use (below it in the baseline)
    /// is `space-low`. nil: not given at this level (``spaceWarningPercentInForce`` applies the default).
    public var spaceWarningPercent: Int?
    /// `rules: critical_modules`: globs of kernel modules whose `module-missing` is a regression.
    public var criticalModules: [String]

    public static let defaultExpiryWarningDays = 14
    public static let defaultSpaceWarningPercent = 90

    public init(severityOverrides: [FindingKind: Severity] = [:], ignore: IgnoreRules = IgnoreRules(),
                expiryWarningDays: Int? = nil, endpointVersions: Bool? = nil,
                spaceWarningPercent: Int? = nil, criticalModules: [String] = []) {
        self.severityOverrides = severityOverrides
        self.ignore = ignore
        self.expiryWarningDays = expiryWarningDays
        self.endpointVersions = endpointVersions
        self.spaceWarningPercent = spaceWarningPercent
        self.criticalModules = criticalModules
    }

    public var spaceWarningPercentInForce: Int { spaceWarningPercent ?? Self.defaultSpaceWarningPercent }

    /// `other`'s overrides and given thresholds win; ignore globs and lists add up.
    public func merged(with other: CompareRules) -> CompareRules {
        CompareRules(severityOverrides: severityOverrides.merging(other.severityOverrides) { $1 },
                     ignore: ignore.merged(with: other.ignore),
                     expiryWarningDays: other.expiryWarningDays ?? expiryWarningDays,
                     endpointVersions: other.endpointVersions ?? endpointVersions,
                     spaceWarningPercent: other.spaceWarningPercent ?? spaceWarningPercent,
                     criticalModules: criticalModules + other.criticalModules)
    }
}

/// Shell-style globs (`*`, `?`, `[...]`) per category. Services match the unit name
/// ("apt-daily*.service"), sockets the endpoint ("tcp *:631", "udp6 [::]:5353") or the port alone ("68"),
/// packages the package name ("linux-image-*"), mounts the mount point ("/mnt/backup*"),
/// modules the module name ("nls_*"), interfaces the interface name ("wg*"; added to
/// ``defaultInterfaces``, which always apply). `endpoints` are ports and port ranges the learned
/// probes never connect to (and the differ never compares). `logs` are regular expressions
/// (NSRegularExpression), a known-issue list that drops journal lines matching any of them, as
/// openQA's journal check does.
public struct IgnoreRules: Codable, Sendable, Equatable {
    public var services: [String]
    public var sockets: [String]
    public var packages: [String]
    public var endpoints: [PortRange]
    public var mounts: [String]
    public var modules: [String]
    public var interfaces: [String]
    public var logs: [String]

    /// Virtual interfaces that come and go with containers and VMs: never captured nor compared
    /// (docs/network.md). Each is a prefix and `*`, so ``isDefaultIgnored(interface:)`` needs no glob matcher.
    public static let defaultInterfaces = ["veth*", "ve-*", "vb-*", "docker*", "br-*", "cni*", "flannel*", "cali*", "cilium*",
                                           "lxc*", "virbr*", "vnet*", "podman*"]

    /// True when one of ``defaultInterfaces`` matches `name`: the collector leaves such interfaces
    /// (and routes through them) out of the snapshot, so captures of an unchanged host stay equal.
    public static func isDefaultIgnored(interface name: String) -> Bool {
        defaultInterfaces.contains { name.hasPrefix($0.dropLast()) }
    }

    public init(services: [String] = [], sockets: [String] = [], packages: [String] = [], endpoints: [PortRange] = [],
                mounts: [String] = [], modules: [String] = [], interfaces: [String] = [],
                logs: [String] = []) {
        self.services = services
        self.sockets = sockets
        self.packages = packages
        self.endpoints = endpoints
        self.mounts = mounts
        self.modules = modules
        self.interfaces = interfaces
        self.logs = logs
    }

    enum CodingKeys: String, CodingKey { case services, sockets, packages, endpoints, mounts, modules, interfaces, logs }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        services = try c.decode([String].self, forKey: .services)
        sockets = try c.decode([String].self, forKey: .sockets)
        packages = try c.decode([String].self, forKey: .packages)
        endpoints = try c.decodeIfPresent([PortRange].self, forKey: .endpoints) ?? []
        mounts = try c.decodeIfPresent([String].self, forKey: .mounts) ?? []
        modules = try c.decodeIfPresent([String].self, forKey: .modules) ?? []
        interfaces = try c.decodeIfPresent([String].self, forKey: .interfaces) ?? []
        logs = try c.decodeIfPresent([String].self, forKey: .logs) ?? []
    }

    public func merged(with other: IgnoreRules) -> IgnoreRules {
        IgnoreRules(services: services + other.services, sockets: sockets + other.sockets,
                    packages: packages + other.packages, endpoints: endpoints + other.endpoints,
                    mounts: mounts + other.mounts, modules: modules + other.modules,
                    interfaces: interfaces + other.interfaces, logs: logs + other.logs)
    }

    /// True when `port` is one the learned probes must leave alone.
    public func ignoresEndpoint(port: Int) -> Bool { endpoints.contains { $0.contains(port) } }
}
