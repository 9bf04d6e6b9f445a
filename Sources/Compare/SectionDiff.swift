import Model

/// Each section's part in the comparison: the checked items of one section, from the two
/// snapshots. One case per ``SnapshotSection``, so a new section cannot be left uncompared.
/// The differ asks only for sections both snapshots captured (``CaptureCheck``).
enum SectionDiff {
    /// What every section's diff may read: the two snapshots, the finding maker, and the
    /// package changes (the system section names the patched packages behind a reboot reason).
    struct Pair {
        let baseline: Snapshot
        let current: Snapshot
        let maker: FindingMaker
        let packageChanges: [PackageDiff.Change]
    }

    static func items(_ section: SnapshotSection, _ p: Pair) -> [CheckedItem] {
        let b = p.baseline, c = p.current, maker = p.maker
        switch section {
        case .system:
            return SystemDiff.items(baseline: b.system, current: c.system, patched: Set(p.packageChanges.map(\.name)), maker: maker)
        case .services: return ServiceDiff.items(baseline: b.services, current: c.services, maker: maker)
        case .outdated: return OutdatedDiff.items(baseline: b, current: c, maker: maker)
        case .sockets: return SocketDiff.items(baseline: b, current: c, maker: maker)
        case .endpoints: return EndpointDiff.items(baseline: b, current: c, maker: maker)
        case .mounts: return MountDiff.items(baseline: b.mounts, current: c.mounts, maker: maker)
        case .network: return NetworkDiff.items(baseline: b, current: c, maker: maker)
        case .sysctl: return SysctlDiff.items(baseline: b, current: c, maker: maker)
        case .accounts: return AccountDiff.items(baseline: b, current: c, maker: maker)
        case .modules: return ModuleDiff.items(baseline: b.modules, current: c.modules, maker: maker)
        case .firewall: return FirewallDiff.items(baseline: b.firewall, current: c.firewall, maker: maker)
        case .containers: return ContainerDiff.items(baseline: b.containers, current: c.containers, maker: maker)
        case .packages: return PackageDiff.items(changes: p.packageChanges, baseline: b, current: c, maker: maker)
        case .configs: return ConfigDiff.items(baseline: b, current: c, maker: maker)
        case .schedules: return ScheduleDiff.items(baseline: b, current: c, maker: maker)
        case .updates:
            return UpdateDiff.items(baseline: b.pendingUpdates, current: c.pendingUpdates, maker: maker)
                + RollbackPreflightDiff.items(baseline: b.pendingUpdates, changed: p.packageChanges, maker: maker)
                + PatchAssessment.overdueItems(baseline: b, current: c, maker: maker)
        case .transactions: return TransactionDiff.items(current: c.transactions, maker: maker) + FixDiff.items(p)
        case .logs: return LogDiff.items(baseline: b, current: c, maker: maker)
        case .connectivity: return ProbeDiff.connectivity(b.connectivity, c.connectivity, maker)
        case .dns: return ProbeDiff.dns(b.dns, c.dns, maker)
        case .databases: return ProbeDiff.databases(b.databases, c.databases, maker)
        case .http: return HTTPCheckDiff.items(baseline: b.httpChecks, current: c.httpChecks, maker: maker)
        case .commands: return CommandDiff.items(baseline: b.commands, current: c.commands, maker: maker)
        case .files: return FileCheckDiff.items(baseline: b.files ?? [], current: c.files ?? [], maker: maker)
        }
    }
}
