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
    /// rpm hosts with dnf or yum: the last package transaction (see ``LastPackageTransaction``).
    public var lastPackageTransaction: LastPackageTransaction? = nil
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
    /// The package manager's log since the baseline (see ``PackageTransactions``); nil when the
    /// capture knew no baseline, or the host keeps no such log.
    public var transactions: PackageTransactions? = nil
    /// Configuration files the package managers track and their leftovers (see ``ConfigFiles``);
    /// nil in a snapshot from before the section (unknown).
    public var configs: ConfigFiles?
    /// Timers and cron jobs; nil when not captured (snapshots from before the section).
    public var schedules: Schedules?
    /// Kernel settings (sysctl); nil when not captured (snapshots from before the section).
    public var sysctl: [KernelSetting]?
    /// Who can log in and become root; nil when not captured (snapshots from before the section).
    public var accounts: Accounts?
    /// Declared files of the checks file (see ``FileResult``); nil when none is declared.
    public var files: [FileResult]?
    /// Sections with nothing to compare: a step that timed out, was killed or had no tool, or a
    /// section the run chose to skip. Unknown, not empty.
    public var notCaptured: [SnapshotSection: CaptureGap]
    /// Sections captured only in part, with the reason ("not root: ..."): what is there is
    /// real, but what is absent is unknown.
    public var partial: [SnapshotSection: String]

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
                configs: ConfigFiles? = nil, schedules: Schedules? = nil, sysctl: [KernelSetting]? = nil, accounts: Accounts? = nil, files: [FileResult]? = nil,
                notCaptured: [SnapshotSection: CaptureGap] = [:], partial: [SnapshotSection: String] = [:]) {
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
        self.configs = configs
        self.schedules = schedules
        self.sysctl = sysctl
        self.accounts = accounts
        self.files = files
        self.notCaptured = notCaptured
        self.partial = partial
    }

    /// Reads every section's fields through its ``SectionModel``. A section whose field an
    /// older postpatch did not write counts as not captured in that snapshot (unknown, so never
    /// compared), not as empty. `notCaptured` and `partial` keys read by the names earlier
    /// versions wrote too ("pendingUpdates"); a key naming no section is dropped.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: SnapshotKey.self)
        // The version before any other field: a newer file is refused for what it is.
        let version = try c.decodeIfPresent(Int.self, forKey: SnapshotKey("schemaVersion"))
        guard let version, version <= Snapshot.currentSchemaVersion else { throw SchemaVersionRefused(found: version) }
        self.init(host: try c.decode(String.self, forKey: SnapshotKey("host")))
        schemaVersion = version
        capturedAt = try c.decode(Date.self, forKey: SnapshotKey("capturedAt"))
        durationMs = try c.decode(Int.self, forKey: SnapshotKey("durationMs"))
        notes = try c.decode([String].self, forKey: SnapshotKey("notes"))
        notCaptured = Self.bySection(try c.decodeIfPresent([String: CaptureGap].self, forKey: SnapshotKey("notCaptured")))
        partial = Self.bySection(try c.decodeIfPresent([String: String].self, forKey: SnapshotKey("partial")))
        for section in SnapshotSection.allCases {
            for field in section.model.fields where try !field.decode(c, &self) && field.whenAbsent == .notCaptured {
                notCaptured[section] = CaptureGap(step: "", problem: "the snapshot was taken by an older postpatch",
                                                  fix: "take a new baseline", skipped: true)
            }
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: SnapshotKey.self)
        try c.encode(schemaVersion, forKey: SnapshotKey("schemaVersion"))
        try c.encode(host, forKey: SnapshotKey("host"))
        try c.encode(capturedAt, forKey: SnapshotKey("capturedAt"))
        try c.encode(durationMs, forKey: SnapshotKey("durationMs"))
        try c.encode(notes, forKey: SnapshotKey("notes"))
        try c.encode(Dictionary(uniqueKeysWithValues: notCaptured.map { ($0.key.rawValue, $0.value) }), forKey: SnapshotKey("notCaptured"))
        try c.encode(Dictionary(uniqueKeysWithValues: partial.map { ($0.key.rawValue, $0.value) }), forKey: SnapshotKey("partial"))
        for section in SnapshotSection.allCases {
            for field in section.model.fields { try field.encode(&c, self) }
        }
    }

    private static func bySection<T>(_ byName: [String: T]?) -> [SnapshotSection: T] {
        var out: [SnapshotSection: T] = [:]
        for (name, value) in byName ?? [:] {
            if let section = SnapshotSection(name: name) { out[section] = value }
        }
        return out
    }

    /// Sorts every array into its canonical order (see each element's `sortKey`).
    public mutating func canonicalize() {
        notes.sort()
        canonicalize(SnapshotSection.allCases)
    }

    /// The same for `sections` alone: for a snapshot already canonical but for those.
    public mutating func canonicalize(_ sections: [SnapshotSection]) {
        for section in sections {
            for field in section.model.fields { field.canonicalize(&self) }
        }
    }
}

/// A snapshot whose `schemaVersion` is missing or newer than this postpatch reads
/// (SnapshotCoding turns it into its message).
struct SchemaVersionRefused: Error {
    var found: Int?
}

public struct PortRange: Codable, Sendable, Equatable {
    public var low: Int
    public var high: Int
    public init(low: Int, high: Int) { self.low = low; self.high = high }
    public func contains(_ port: Int) -> Bool { port >= low && port <= high }
}
