import Model

/// A section's part in the collector: the shell fragment it adds to the script, the steps that
/// carry it (and so decide whether it was captured, ``CaptureGaps``), and how its steps' output
/// becomes its part of the snapshot. One entry per ``SnapshotSection`` in ``SnapshotSection/collector``;
/// ``CollectorScript`` renders and parses them in section order.
struct SectionCollector {
    /// The run's checks and options, which some fragments and parsers depend on.
    struct Context {
        var checks: CheckSet
        var options: ScriptOptions
        var timeouts: StepTimeouts { StepTimeouts(step: options.stepTimeout, updates: options.updatesTimeout) }
    }

    /// What a section's parse found beyond its items: notes, and a gap or a partial reason of
    /// its own (a failing tool the step table cannot see).
    struct Parsed {
        var notes: [String] = []
        var gap: CaptureGap?
        var partial: String?
    }

    /// The script text; empty for a section the script does not collect (Engine probes it).
    let fragment: (Context) -> String
    /// When the section counts as not captured; nil for a section with no step of its own.
    let capture: CaptureRule?
    /// Reads the section's steps into `snapshot`, where the sections before it are already read
    /// (sockets need the system's arch, updates the installed packages).
    let parse: (ScriptOutput, Context, inout Snapshot) -> Parsed
    /// The `Fuzz/<Target>.swift` targets that drive the section's parsers with hostile input
    /// (docs/fuzzing.md); `Snapshot` drives every section through the whole parse as well.
    let fuzzTargets: [String]

    /// A section the script does not collect (endpoints and databases): Engine probes it.
    static func probed(fuzzTargets: [String]) -> SectionCollector {
        SectionCollector(fragment: { _ in "" }, capture: nil, parse: { _, _, _ in Parsed() }, fuzzTargets: fuzzTargets)
    }
}

/// The steps that carry a section and what it means when none of them gave an answer.
struct CaptureRule {
    /// The steps that carry the section (the host runs one of them), in the parsers' order.
    var steps: [Step]
    /// The MISSING marker's step when no tool exists for the section.
    var missing: Step?
    /// The tools the fix text names.
    var tools: String
    /// The option that bounds the step, for the fix text.
    var timeout: TimeoutOption = .step
    /// The script always runs a step for the section, or says why not (SKIP, MISSING): no step
    /// at all then means the step did not run.
    var alwaysSaid = false
    /// The step lists everything of a kind: a tool that failed and printed nothing (systemctl
    /// that cannot reach PID 1, dpkg-query that cannot read its database) would otherwise read
    /// as "none", every service or package gone.
    var listsAll = false

    enum TimeoutOption: String {
        case step = "--step-timeout", updates = "--updates-timeout"
    }
}

extension SnapshotSection {
    /// This section's collector entry; adding a case makes the compiler ask for one.
    var collector: SectionCollector {
        switch self {
        case .system: return SystemSection.collector
        case .services: return ServicesSection.collector
        case .outdated: return OutdatedSection.collector
        case .sockets: return SocketsSection.collector
        case .endpoints: return .probed(fuzzTargets: ["Banner", "TLS"])
        case .databases: return .probed(fuzzTargets: ["Postgres", "MySQL", "Redis", "TDS"])
        case .mounts: return MountsSection.collector
        case .network: return NetworkSection.collector
        case .modules: return ModulesSection.collector
        case .sysctl: return SysctlSection.collector
        case .accounts: return AccountsSection.collector
        case .firewall: return FirewallSection.collector
        case .containers: return ContainersSection.collector
        case .packages: return PackagesSection.collector
        case .configs: return ConfigsSection.collector
        case .schedules: return SchedulesSection.collector
        case .updates: return UpdatesSection.collector
        case .transactions: return TransactionsSection.collector
        case .logs: return LogsSection.collector
        case .connectivity: return ConnectivitySection.collector
        case .dns: return DNSSection.collector
        case .http: return HTTPChecksSection.collector
        case .commands: return CommandsSection.collector
        case .files: return FilesSection.collector
        }
    }
}
