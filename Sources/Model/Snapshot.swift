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

    public init(host: String, capturedAt: Date = Date(), durationMs: Int = 0, notes: [String] = [],
                system: SystemFacts = SystemFacts(), services: [Service] = [],
                sockets: [ListeningSocket] = [], ephemeralPortRange: PortRange? = nil,
                packages: [InstalledPackage] = [], pendingUpdates: [PendingUpdate] = [],
                connectivity: [ConnectivityResult] = [], dns: [DNSResult] = [],
                databases: [DatabaseResult] = []) {
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
    }
}

public struct PortRange: Codable, Sendable, Equatable {
    public var low: Int
    public var high: Int
    public init(low: Int, high: Int) { self.low = low; self.high = high }
    public func contains(_ port: Int) -> Bool { port >= low && port <= high }
}
