/// A section's part in the model layer: how reports name it, the snapshot fields it owns, the
/// `ignore:` key that filters it, its volatile fields, and whether an empty capture after a
/// non-empty one means the capture lost it. One entry per ``SnapshotSection`` in ``SnapshotSection/model``.
public struct SectionModel: Sendable {
    /// How reports name the section ("pending updates").
    public let title: String
    /// The snapshot JSON fields the section owns, read and written by `Snapshot`'s coding.
    public let fields: [SectionField]
    /// The `ignore:` key that drops the section's items, nil when it has none.
    public let ignore: IgnoreKey?
    /// Paths of fields that change without anything being wrong (``VolatileFields``).
    public let volatile: [String]
    /// Clears the ``volatile`` fields, so `==` answers "did anything change?".
    let clearVolatile: @Sendable (inout Snapshot) -> Void
    /// For a section every reachable host has items of (units, packages, listening sockets,
    /// mounts): the noun for one item and their count, so "none now, some before" reads as a
    /// capture that lost the section, not as every item gone. Nil for the others.
    public let lossNoun: String?
    public let count: (@Sendable (Snapshot) -> Int)?

    init(_ title: String, _ fields: [SectionField], ignore: IgnoreKey? = nil, volatile: [String] = [],
         clear: @escaping @Sendable (inout Snapshot) -> Void = { _ in },
         lossNoun: String? = nil, count: (@Sendable (Snapshot) -> Int)? = nil) {
        self.title = title
        self.fields = fields
        self.ignore = ignore
        self.volatile = volatile
        self.clearVolatile = clear
        self.lossNoun = lossNoun
        self.count = count
    }
}

/// What an `ignore:` key holds for its section: globs of the items' names, regular expressions
/// of log lines, or port ranges the learned probes leave alone.
public struct IgnoreKey: Sendable, Equatable {
    public enum Patterns: Sendable, Equatable { case globs, regexes, ports }
    /// The key under `ignore:` ("interfaces" for the network section).
    public let name: String
    public let patterns: Patterns
}

extension SnapshotSection {
    /// This section's model entry, built once.
    public var model: SectionModel { Self.models[self]! }

    private static let models = Dictionary(uniqueKeysWithValues: allCases.map { ($0, $0.makeModel()) })

    /// Adding a case makes the compiler ask for its entry here (each below, in section order).
    private func makeModel() -> SectionModel {
        switch self {
        case .system: return .system
        case .services: return .services
        case .outdated: return .outdated
        case .sockets: return .sockets
        case .endpoints: return .endpoints
        case .mounts: return .mounts
        case .network: return .network
        case .modules: return .modules
        case .sysctl: return .sysctl
        case .accounts: return .accounts
        case .firewall: return .firewall
        case .containers: return .containers
        case .packages: return .packages
        case .configs: return .configs
        case .schedules: return .schedules
        case .updates: return .updates
        case .transactions: return .transactions
        case .logs: return .logs
        case .connectivity: return .connectivity
        case .dns: return .dns
        case .databases: return .databases
        case .http: return .http
        case .commands: return .commands
        case .files: return .files
        }
    }

    /// The section whose items `ignore: <name>` filters.
    public static func ignoredBy(_ name: String) -> SnapshotSection? {
        allCases.first { $0.model.ignore?.name == name }
    }
}

/// Each section's model entry.
extension SectionModel {
    static let system = SectionModel("system", [.value(\.system, "system", .required, empty: SystemFacts()) { facts in
        facts.rebootRequiredPackages.sort()
        facts.rebootReasons.sort()
    }], volatile: ["system.uptimeSeconds"], clear: { $0.system.uptimeSeconds = 0 })

    static let services = SectionModel("services", [.list(\.services, "services", .required)],
                                       ignore: IgnoreKey(name: "services", patterns: .globs),
                                       lossNoun: "service", count: { $0.services.count })

    static let outdated = SectionModel("outdated code", [.list(\.outdated, "outdated", .notCaptured)])

    static let sockets = SectionModel("sockets", [.list(\.sockets, "sockets", .required), .optional(\.ephemeralPortRange, "ephemeralPortRange")],
                                      ignore: IgnoreKey(name: "sockets", patterns: .globs),
                                      volatile: ["sockets[].pid"], clear: { s in for i in s.sockets.indices { s.sockets[i].pid = nil } },
                                      lossNoun: "socket", count: { $0.sockets.count })

    static let endpoints = SectionModel("endpoints", [.list(\.endpoints, "endpoints", .notCaptured)],
                                        ignore: IgnoreKey(name: "endpoints", patterns: .ports),
                                        // A page's body may change by itself (a date, a token): only a body that held
                                        // between two baselines is compared (`bodyStable`, learned when a baseline is written).
                                        volatile: ["endpoints[].banner.version", "endpoints[].banner.line",
                                                   "endpoints[].http.body", "endpoints[].http.bodyStable"], clear: { s in
                                            for i in s.endpoints.indices {
                                                if s.endpoints[i].banner != nil {
                                                    s.endpoints[i].banner?.version = nil
                                                    s.endpoints[i].banner?.line = ""
                                                }
                                                if s.endpoints[i].http != nil {
                                                    s.endpoints[i].http?.body = nil
                                                    s.endpoints[i].http?.bodyStable = nil
                                                }
                                            }
                                        })

    static let mounts = SectionModel("mounts", [.list(\.mounts, "mounts", .notCaptured)],
                                     ignore: IgnoreKey(name: "mounts", patterns: .globs),
                                     volatile: ["mounts[].sizeKB", "mounts[].usedPercent"], clear: { s in
                                         for i in s.mounts.indices { s.mounts[i].sizeKB = nil; s.mounts[i].usedPercent = nil }
                                     }, lossNoun: "mount", count: { $0.mounts.count })

    static let network = SectionModel("network", [.list(\.interfaces, "interfaces", .notCaptured), .list(\.routes, "routes", .notCaptured)],
                                      ignore: IgnoreKey(name: "interfaces", patterns: .globs))

    static let modules = SectionModel("modules", [.list(\.modules, "modules", .notCaptured)],
                                      ignore: IgnoreKey(name: "modules", patterns: .globs))

    static let firewall = SectionModel("firewall", [.value(\.firewall, "firewall", .notCaptured, empty: FirewallRuleset())])

    static let containers = SectionModel("containers", [.list(\.containers, "containers", .notCaptured)])

    static let packages = SectionModel("packages", [.list(\.packages, "packages", .required),
                                                   .optional(\.lastPackageTransaction, "lastPackageTransaction")],
                                       ignore: IgnoreKey(name: "packages", patterns: .globs),
                                       lossNoun: "package", count: { $0.packages.count })

    // Digests are of content, not volatile: a conffile that changes on its own would be noise,
    // and none does on a realistic host (RealisticNoiseTests).
    // Optional: a snapshot from before the section reads nil (not compared) and writes back unchanged.
    static let configs = SectionModel("configuration files", [.optional(\.configs, "configs")],
                                      ignore: IgnoreKey(name: "configs", patterns: .globs),
                                      lossNoun: "configuration file", count: { $0.configs?.files.count ?? 0 })

    static let sysctl = SectionModel("kernel settings", [.optional(\.sysctl, "sysctl")],
                                     ignore: IgnoreKey(name: "sysctl", patterns: .globs),
                                     lossNoun: "kernel setting", count: { $0.sysctl?.count ?? 0 })

    static let accounts = SectionModel("accounts", [.optional(\.accounts, "accounts")],
                                       ignore: IgnoreKey(name: "accounts", patterns: .globs),
                                       lossNoun: "account", count: { $0.accounts?.users.count ?? 0 })

    static let schedules = SectionModel("scheduled jobs", [.optional(\.schedules, "schedules")],
                                        ignore: IgnoreKey(name: "schedules", patterns: .globs),
                                        lossNoun: "scheduled job", count: { ($0.schedules?.timers.count ?? 0) + ($0.schedules?.cron.count ?? 0) })

    static let updates = SectionModel("pending updates", [.list(\.pendingUpdates, "pendingUpdates", .required)])

    // The log since the baseline: evidence for the other sections' findings (`explainedBy`),
    // never compared as such, so all of it is volatile.
    static let transactions = SectionModel("package transactions", [.optional(\.transactions, "transactions")],
                                           volatile: ["transactions"], clear: { $0.transactions = nil })
    // Evidence only: which units logged errors is compared, not how often or what they said.
    static let logs = SectionModel("logs", [.list(\.logErrors, "logErrors", .notCaptured), .list(\.crashDumps, "crashDumps", .empty)],
                                   ignore: IgnoreKey(name: "logs", patterns: .regexes),
                                   volatile: ["logErrors[].count", "logErrors[].lines", "logErrors[].omitted"], clear: { s in
                                       for i in s.logErrors.indices {
                                           s.logErrors[i] = UnitLogErrors(unit: s.logErrors[i].unit, count: 0, lines: [])
                                       }
                                   })

    static let connectivity = SectionModel("connectivity", [.list(\.connectivity, "connectivity", .required)],
                                           volatile: ["connectivity[].latencyMs"],
                                           clear: { s in for i in s.connectivity.indices { s.connectivity[i].latencyMs = nil } })

    static let dns = SectionModel("dns", [.list(\.dns, "dns", .required)])

    static let databases = SectionModel("databases", [.list(\.databases, "databases", .required)],
                                        volatile: ["databases[].latencyMs"],
                                        clear: { s in for i in s.databases.indices { s.databases[i].latencyMs = nil } })

    static let http = SectionModel("http checks", [.list(\.httpChecks, "httpChecks", .empty)],
                                   volatile: ["httpChecks[].latencyMs"],
                                   clear: { s in for i in s.httpChecks.indices { s.httpChecks[i].latencyMs = nil } })

    static let commands = SectionModel("commands", [.list(\.commands, "commands", .empty)],
                                       volatile: ["commands[].durationMs"],
                                       clear: { s in for i in s.commands.indices { s.commands[i].durationMs = nil } })

    // Optional: nil when no file is declared, so snapshots without declared files keep their JSON.
    static let files = SectionModel("files", [.optional(\.files, "files")])
}
