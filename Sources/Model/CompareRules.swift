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

    public static let defaultExpiryWarningDays = 14

    public init(severityOverrides: [FindingKind: Severity] = [:], ignore: IgnoreRules = IgnoreRules(),
                expiryWarningDays: Int? = nil, endpointVersions: Bool? = nil) {
        self.severityOverrides = severityOverrides
        self.ignore = ignore
        self.expiryWarningDays = expiryWarningDays
        self.endpointVersions = endpointVersions
    }

    /// `other`'s overrides and given rules win; ignore globs add up.
    public func merged(with other: CompareRules) -> CompareRules {
        CompareRules(severityOverrides: severityOverrides.merging(other.severityOverrides) { $1 },
                     ignore: ignore.merged(with: other.ignore),
                     expiryWarningDays: other.expiryWarningDays ?? expiryWarningDays,
                     endpointVersions: other.endpointVersions ?? endpointVersions)
    }
}

/// Shell-style globs (`*`, `?`, `[...]`) per category. Services match the unit name
/// ("apt-daily*.service"), sockets the endpoint ("tcp *:631", "udp6 [::]:5353") or the port alone ("68"),
/// packages the package name ("linux-image-*"). `endpoints` are ports and port ranges the learned
/// probes never connect to (and the differ never compares).
public struct IgnoreRules: Codable, Sendable, Equatable {
    public var services: [String]
    public var sockets: [String]
    public var packages: [String]
    public var endpoints: [PortRange]

    public init(services: [String] = [], sockets: [String] = [], packages: [String] = [], endpoints: [PortRange] = []) {
        self.services = services
        self.sockets = sockets
        self.packages = packages
        self.endpoints = endpoints
    }

    public func merged(with other: IgnoreRules) -> IgnoreRules {
        IgnoreRules(services: services + other.services, sockets: sockets + other.sockets,
                    packages: packages + other.packages, endpoints: endpoints + other.endpoints)
    }

    /// True when `port` is one the learned probes must leave alone.
    public func ignoresEndpoint(port: Int) -> Bool { endpoints.contains { $0.contains(port) } }
}
