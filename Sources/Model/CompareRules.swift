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
    /// `rollout: restart_deny`: units PostPatch never restarts on top of the built-in list, so an
    /// outdated one needs a reboot and its finding says so. nil: none given.
    public var restartDeny: [String]?
    /// `rules: max_security_age_days`: a security fix pending longer than this many days (first seen
    /// on the host, or its advisory's issue date) is `security-fix-overdue` and the host is not
    /// compliant. nil: none given (age is reported, never held against the host).
    public var maxSecurityAgeDays: Int?

    public static let defaultExpiryWarningDays = 14
    public static let defaultSpaceWarningPercent = 90

    public init(severityOverrides: [FindingKind: Severity] = [:], ignore: IgnoreRules = IgnoreRules(),
                expiryWarningDays: Int? = nil, endpointVersions: Bool? = nil,
                spaceWarningPercent: Int? = nil, criticalModules: [String] = [], restartDeny: [String]? = nil,
                maxSecurityAgeDays: Int? = nil) {
        self.severityOverrides = severityOverrides
        self.ignore = ignore
        self.expiryWarningDays = expiryWarningDays
        self.endpointVersions = endpointVersions
        self.spaceWarningPercent = spaceWarningPercent
        self.criticalModules = criticalModules
        self.restartDeny = restartDeny
        self.maxSecurityAgeDays = maxSecurityAgeDays
    }

    public var spaceWarningPercentInForce: Int { spaceWarningPercent ?? Self.defaultSpaceWarningPercent }

    /// `other`'s overrides and given thresholds win; ignore globs and lists add up.
    public func merged(with other: CompareRules) -> CompareRules {
        CompareRules(severityOverrides: severityOverrides.merging(other.severityOverrides) { $1 },
                     ignore: ignore.merged(with: other.ignore),
                     expiryWarningDays: other.expiryWarningDays ?? expiryWarningDays,
                     endpointVersions: other.endpointVersions ?? endpointVersions,
                     spaceWarningPercent: other.spaceWarningPercent ?? spaceWarningPercent,
                     criticalModules: criticalModules + other.criticalModules,
                     restartDeny: other.restartDeny ?? restartDeny,
                     maxSecurityAgeDays: other.maxSecurityAgeDays ?? maxSecurityAgeDays)
    }
}

/// What `ignore:` drops, per section (the section's ``IgnoreKey`` names the key and what its
/// patterns are). Globs (`*`, `?`, `[...]`): services match the unit name ("apt-daily*.service"),
/// sockets the endpoint ("tcp *:631", "udp6 [::]:5353") or the port alone ("68"), packages the
/// package name ("linux-image-*"), mounts the mount point ("/mnt/backup*"), modules the module
/// name ("nls_*"), `interfaces` (the network section) the interface name ("wg*"; added to
/// ``defaultInterfaces``, which always apply). `logs` are regular expressions
/// (NSRegularExpression), a known-issue list that drops journal lines matching any of them, as
/// openQA's journal check does. `endpoints` are ports and port ranges the learned probes never
/// connect to (and the differ never compares).
public struct IgnoreRules: Codable, Sendable, Equatable {
    /// Globs or regular expressions by section, for sections whose key takes patterns.
    public var patterns: [SnapshotSection: [String]]
    public var endpoints: [PortRange]

    /// Virtual interfaces that container engines and hypervisors create and remove: never
    /// captured nor compared (docs/network.md). Globs (fnmatch, as `ignore:` patterns are), each
    /// the exact shape its engine names them: Docker's user bridges are `br-` and the network id's
    /// first twelve hex digits, so an admin's `br-lan`, `br-mgmt` or OpenStack's `br-ex` are compared.
    public static let defaultInterfaces = ["veth*", "ve-*", "vb-*", "docker0", "docker_gwbridge", dockerBridge, "cni*",
                                           "flannel*", "cali*", "cilium*", "lxcbr*", "lxdbr*", "virbr*", "vnet*", "podman*"]
    /// `br-` and twelve lowercase hex digits (`docker network create`'s bridges).
    public static let dockerBridge = "br-" + String(repeating: "[0-9a-f]", count: 12)

    /// True when one of ``defaultInterfaces`` matches `name`: the collector leaves such interfaces
    /// (and routes through them) out of the snapshot, so captures of an unchanged host stay equal.
    /// The same globs, matched without fnmatch: a prefix and `*`, a name, or Docker's bridge shape.
    public static func isDefaultIgnored(interface name: String) -> Bool {
        if name.hasPrefix("br-") {
            let id = name.utf8.dropFirst(3)
            return id.count == 12 && id.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        }
        return defaultInterfaces.contains { p in p.hasSuffix("*") ? name.hasPrefix(p.dropLast()) : name == p }
    }

    public init(_ patterns: [SnapshotSection: [String]] = [:], endpoints: [PortRange] = []) {
        self.patterns = patterns.filter { !$0.value.isEmpty }
        self.endpoints = endpoints
    }

    /// The patterns `ignore:` gives for `section` (none when it gives none).
    public subscript(section: SnapshotSection) -> [String] { patterns[section] ?? [] }

    /// Sections whose `ignore:` key takes patterns, in section order.
    static let patternSections = SnapshotSection.allCases.filter { $0.model.ignore.map { $0.patterns != .ports } ?? false }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: SnapshotKey.self)
        var patterns: [SnapshotSection: [String]] = [:]
        for section in Self.patternSections {
            patterns[section] = try c.decodeIfPresent([String].self, forKey: SnapshotKey(section.model.ignore!.name))
        }
        self.init(patterns, endpoints: try c.decodeIfPresent([PortRange].self, forKey: SnapshotKey("endpoints")) ?? [])
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: SnapshotKey.self)
        for section in Self.patternSections { try c.encode(self[section], forKey: SnapshotKey(section.model.ignore!.name)) }
        try c.encode(endpoints, forKey: SnapshotKey("endpoints"))
    }

    public func merged(with other: IgnoreRules) -> IgnoreRules {
        IgnoreRules(patterns.merging(other.patterns) { $0 + $1 }, endpoints: endpoints + other.endpoints)
    }

    /// True when `port` is one the learned probes must leave alone.
    public func ignoresEndpoint(port: Int) -> Bool { endpoints.contains { $0.contains(port) } }
}
