import Foundation

/// Everything PostPatch knows about one host at one moment.
///
/// Encoded with sorted keys and sorted arrays so two captures of an unchanged host
/// give the same JSON outside the fields named in ``VolatileFields``.
public struct Snapshot: Codable, Sendable, Equatable {
    /// Bumped whenever a field changes meaning; readers refuse newer versions.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var host: String
    public var capturedAt: Date
    public var durationMs: Int
    /// Collector-level problems, e.g. "packages: no dpkg-query or rpm".
    public var notes: [String]
    public var system: SystemFacts
    public var services: [Service]
    public var sockets: [ListeningSocket]
    /// From /proc/sys/net/ipv4/ip_local_port_range; sockets inside it are noise.
    public var ephemeralPortRange: PortRange?
    public var packages: [InstalledPackage]
    public var pendingUpdates: [PendingUpdate]
    public var connectivity: [ConnectivityResult]
    public var dns: [DNSResult]
    public var databases: [DatabaseResult]
    /// Services still running code the patch replaced (see ``OutdatedService``).
    public var outdated: [OutdatedService]
    /// What answers on each listening TCP port, learned (see ``EndpointAnswer``).
    public var endpoints: [EndpointAnswer]
    /// Declared HTTP checks of the checks file.
    public var httpChecks: [HTTPCheckResult]
    /// Declared command checks of the checks file.
    public var commands: [CommandResult]
    /// Mounted filesystems, pseudo and volatile ones left out (see ``Mount``).
    public var mounts: [Mount]
    /// Loaded kernel modules (see ``KernelModule``).
    public var modules: [KernelModule]
    /// Network interfaces with state, MTU and addresses (see ``NetworkInterface``).
    public var interfaces: [NetworkInterface]
    /// The main routing table, IPv4 and IPv6 (see ``Route``).
    public var routes: [Route]
    /// The firewall's rules as a digest and counts (see ``FirewallRuleset``).
    public var firewall: FirewallRuleset
    /// Containers of docker or podman (see ``Container``).
    public var containers: [Container]
    /// Units that logged at priority err or worse this boot (see ``UnitLogErrors``).
    public var logErrors: [UnitLogErrors]
    /// Core dumps on the host (see ``CrashDump``).
    public var crashDumps: [CrashDump]
    /// Sections with nothing to compare, by ``SnapshotSection`` raw value: a step that timed out,
    /// was killed or had no tool, or a section the run chose to skip. Unknown, not empty.
    public var notCaptured: [String: CaptureGap]
    /// Sections captured only in part, by ``SnapshotSection`` raw value, with the reason
    /// ("not root: ..."): what is there is real, but what is absent is unknown.
    public var partial: [String: String]

    public init(host: String, capturedAt: Date = Date(), durationMs: Int = 0, notes: [String] = [],
                system: SystemFacts = SystemFacts(), services: [Service] = [],
                sockets: [ListeningSocket] = [], ephemeralPortRange: PortRange? = nil,
                packages: [InstalledPackage] = [], pendingUpdates: [PendingUpdate] = [],
                connectivity: [ConnectivityResult] = [], dns: [DNSResult] = [],
                databases: [DatabaseResult] = [], outdated: [OutdatedService] = [],
                endpoints: [EndpointAnswer] = [], httpChecks: [HTTPCheckResult] = [], commands: [CommandResult] = [],
                mounts: [Mount] = [], modules: [KernelModule] = [],
                interfaces: [NetworkInterface] = [], routes: [Route] = [], firewall: FirewallRuleset = FirewallRuleset(),
                containers: [Container] = [], logErrors: [UnitLogErrors] = [], crashDumps: [CrashDump] = [],
                notCaptured: [String: CaptureGap] = [:], partial: [String: String] = [:]) {
        self.schemaVersion = Snapshot.currentSchemaVersion
        self.host = host
        self.capturedAt = capturedAt
        self.durationMs = durationMs
        self.notes = notes
        self.system = system
        self.services = services
        self.sockets = sockets
        self.ephemeralPortRange = ephemeralPortRange
        self.packages = packages
        self.pendingUpdates = pendingUpdates
        self.connectivity = connectivity
        self.dns = dns
        self.databases = databases
        self.outdated = outdated
        self.endpoints = endpoints
        self.httpChecks = httpChecks
        self.commands = commands
        self.mounts = mounts
        self.modules = modules
        self.interfaces = interfaces
        self.routes = routes
        self.firewall = firewall
        self.containers = containers
        self.logErrors = logErrors
        self.crashDumps = crashDumps
        self.notCaptured = notCaptured
        self.partial = partial
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, host, capturedAt, durationMs, notes, system, services, sockets, ephemeralPortRange,
             packages, pendingUpdates, connectivity, dns, databases, outdated, endpoints, httpChecks, commands,
             mounts, modules, interfaces, routes, firewall, containers, logErrors, crashDumps, notCaptured, partial
    }

    /// Snapshots written before `outdated` and `notCaptured` existed still read: those sections
    /// then count as not captured in that snapshot (unknown, so never compared), not as empty.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        host = try c.decode(String.self, forKey: .host)
        capturedAt = try c.decode(Date.self, forKey: .capturedAt)
        durationMs = try c.decode(Int.self, forKey: .durationMs)
        notes = try c.decode([String].self, forKey: .notes)
        system = try c.decode(SystemFacts.self, forKey: .system)
        services = try c.decode([Service].self, forKey: .services)
        sockets = try c.decode([ListeningSocket].self, forKey: .sockets)
        ephemeralPortRange = try c.decodeIfPresent(PortRange.self, forKey: .ephemeralPortRange)
        packages = try c.decode([InstalledPackage].self, forKey: .packages)
        pendingUpdates = try c.decode([PendingUpdate].self, forKey: .pendingUpdates)
        connectivity = try c.decode([ConnectivityResult].self, forKey: .connectivity)
        dns = try c.decode([DNSResult].self, forKey: .dns)
        databases = try c.decode([DatabaseResult].self, forKey: .databases)
        notCaptured = try c.decodeIfPresent([String: CaptureGap].self, forKey: .notCaptured) ?? [:]
        partial = try c.decodeIfPresent([String: String].self, forKey: .partial) ?? [:]
        httpChecks = try c.decodeIfPresent([HTTPCheckResult].self, forKey: .httpChecks) ?? []
        commands = try c.decodeIfPresent([CommandResult].self, forKey: .commands) ?? []
        if let endpoints = try c.decodeIfPresent([EndpointAnswer].self, forKey: .endpoints) {
            self.endpoints = endpoints
        } else {
            self.endpoints = []
            notCaptured[SnapshotSection.endpoints.rawValue] = CaptureGap(
                step: "", problem: "the snapshot was taken by an older postpatch", fix: "take a new baseline", skipped: true)
        }
        mounts = try c.decodeIfPresent([Mount].self, forKey: .mounts) ?? []
        modules = try c.decodeIfPresent([KernelModule].self, forKey: .modules) ?? []
        containers = try c.decodeIfPresent([Container].self, forKey: .containers) ?? []
        logErrors = try c.decodeIfPresent([UnitLogErrors].self, forKey: .logErrors) ?? []
        crashDumps = try c.decodeIfPresent([CrashDump].self, forKey: .crashDumps) ?? []
        for (section, key) in [(SnapshotSection.mounts, CodingKeys.mounts), (.modules, .modules), (.containers, .containers),
                               (.logs, .logErrors)] where !c.contains(key) {
            notCaptured[section.rawValue] = CaptureGap(
                step: "", problem: "the snapshot was taken by an older postpatch", fix: "take a new baseline", skipped: true)
        }
        let interfaces = try c.decodeIfPresent([NetworkInterface].self, forKey: .interfaces)
        let routes = try c.decodeIfPresent([Route].self, forKey: .routes)
        self.interfaces = interfaces ?? []
        self.routes = routes ?? []
        if interfaces == nil || routes == nil {
            notCaptured[SnapshotSection.network.rawValue] = CaptureGap(
                step: "", problem: "the snapshot was taken by an older postpatch", fix: "take a new baseline", skipped: true)
        }
        if let firewall = try c.decodeIfPresent(FirewallRuleset.self, forKey: .firewall) {
            self.firewall = firewall
        } else {
            self.firewall = FirewallRuleset()
            notCaptured[SnapshotSection.firewall.rawValue] = CaptureGap(
                step: "", problem: "the snapshot was taken by an older postpatch", fix: "take a new baseline", skipped: true)
        }
        if let outdated = try c.decodeIfPresent([OutdatedService].self, forKey: .outdated) {
            self.outdated = outdated
        } else {
            self.outdated = []
            notCaptured[SnapshotSection.outdated.rawValue] = CaptureGap(
                step: "", problem: "the snapshot was taken by an older postpatch", fix: "take a new baseline", skipped: true)
        }
    }

    /// Sorts every array into its canonical order (see each element's `sortKey`).
    public mutating func canonicalize() {
        notes.sort()
        system.rebootRequiredPackages.sort()
        if !services.isSortedByKey(\.sortKey) { services.sortByKey(\.sortKey) }
        if !sockets.isSortedByKey(\.sortKey) { sockets.sortByKey(\.sortKey) }
        if !packages.isSortedByKey(\.sortKey) { packages.sortByKey(\.sortKey) }
        if !pendingUpdates.isSortedByKey(\.sortKey) { pendingUpdates.sortByKey(\.sortKey) }
        if !connectivity.isSortedByKey(\.sortKey) { connectivity.sortByKey(\.sortKey) }
        if !dns.isSortedByKey(\.sortKey) { dns.sortByKey(\.sortKey) }
        if !databases.isSortedByKey(\.sortKey) { databases.sortByKey(\.sortKey) }
        if !outdated.isSortedByKey(\.sortKey) { outdated.sortByKey(\.sortKey) }
        if !endpoints.isSortedByKey(\.sortKey) { endpoints.sortByKey(\.sortKey) }
        if !httpChecks.isSortedByKey(\.sortKey) { httpChecks.sortByKey(\.sortKey) }
        if !commands.isSortedByKey(\.sortKey) { commands.sortByKey(\.sortKey) }
        if !mounts.isSortedByKey(\.sortKey) { mounts.sortByKey(\.sortKey) }
        if !modules.isSortedByKey(\.sortKey) { modules.sortByKey(\.sortKey) }
        if !containers.isSortedByKey(\.sortKey) { containers.sortByKey(\.sortKey) }
        if !logErrors.isSortedByKey(\.sortKey) { logErrors.sortByKey(\.sortKey) }
        if !crashDumps.isSortedByKey(\.sortKey) { crashDumps.sortByKey(\.sortKey) }
        system.rebootReasons.sort()
        if !interfaces.isSortedByKey(\.sortKey) { interfaces.sortByKey(\.sortKey) }
        if !routes.isSortedByKey(\.sortKey) { routes.sortByKey(\.sortKey) }
    }
}

public struct PortRange: Codable, Sendable, Equatable {
    public var low: Int
    public var high: Int
    public init(low: Int, high: Int) { self.low = low; self.high = high }
    public func contains(_ port: Int) -> Bool { port >= low && port <= high }
}
