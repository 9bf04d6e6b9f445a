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
/// packages the package name ("linux-image-*"), interfaces the interface name ("wg*"; added to
/// ``defaultInterfaces``, which always apply).
public struct IgnoreRules: Codable, Sendable, Equatable {
    public var services: [String]
    public var sockets: [String]
    public var packages: [String]
    public var interfaces: [String]

    /// Virtual interfaces that come and go with containers and VMs: never captured nor compared
    /// (docs/network.md). Each is a prefix and `*`, so ``isDefaultIgnored(interface:)`` needs no glob matcher.
    public static let defaultInterfaces = ["veth*", "ve-*", "vb-*", "docker*", "br-*", "cni*", "flannel*", "cali*", "cilium*",
                                           "lxc*", "virbr*", "vnet*", "podman*"]

    /// True when one of ``defaultInterfaces`` matches `name`: the collector leaves such interfaces
    /// (and routes through them) out of the snapshot, so captures of an unchanged host stay equal.
    public static func isDefaultIgnored(interface name: String) -> Bool {
        defaultInterfaces.contains { name.hasPrefix($0.dropLast()) }
    }

    public init(services: [String] = [], sockets: [String] = [], packages: [String] = [], interfaces: [String] = []) {
        self.services = services
        self.sockets = sockets
        self.packages = packages
        self.interfaces = interfaces
    }

    enum CodingKeys: String, CodingKey { case services, sockets, packages, interfaces }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        services = try c.decode([String].self, forKey: .services)
        sockets = try c.decode([String].self, forKey: .sockets)
        packages = try c.decode([String].self, forKey: .packages)
        interfaces = try c.decodeIfPresent([String].self, forKey: .interfaces) ?? []
    }

    public func merged(with other: IgnoreRules) -> IgnoreRules {
        IgnoreRules(services: services + other.services, sockets: sockets + other.sockets,
                    packages: packages + other.packages, interfaces: interfaces + other.interfaces)
    }
}
