import Model

/// One line of `postpatch show` for one section: its label and what to say about it.
struct SnapshotSectionLine {
    let label: String
    /// The line's text, already bounded and made visible; nil leaves the line out (nothing declared).
    let render: (Snapshot) -> TextColumns.Cell?

    init(_ label: String, _ render: @escaping (Snapshot) -> TextColumns.Cell?) {
        self.label = label
        self.render = render
    }
}

/// The per-section lines of ``SnapshotSummary``'s facts table, in section order.
///
/// Adding a section is one case here: a label and a function from the snapshot to one short cell
/// (counts first, then the few items worth naming, each part cut with
/// ``VisibleText/clipped(_:_:)``). A section not captured reads "not captured" and a partial one
/// gets "(partial)" without the function being asked; the Notes block says why.
enum SnapshotSectionLines {
    /// The section's line; nil for a section shown elsewhere (system facts head the table,
    /// connectivity, DNS and databases are under "Probes and checks").
    static func line(_ section: SnapshotSection) -> SnapshotSectionLine? {
        switch section {
        case .system, .connectivity, .dns, .databases: return nil
        case .services: return .init("Services") { serviceCounts($0.services) }
        case .outdated: return .init("Outdated") { outdatedCell($0.outdated) }
        case .sockets: return .init("Sockets") { .init(Wording.count($0.sockets.count, "listening socket")) }
        case .endpoints: return .init("Endpoints") { SnapshotEndpointLines.summary($0.endpoints, at: $0.capturedAt) }
        case .mounts: return .init("Mounts") { SnapshotPlumbingLines.mounts($0.mounts) }
        case .network: return .init("Network") { SnapshotPlumbingLines.network(interfaces: $0.interfaces, routes: $0.routes) }
        case .modules: return .init("Modules") { SnapshotPlumbingLines.modules($0.modules) }
        case .sysctl: return .init("Kernel settings") { SnapshotPlumbingLines.sysctl($0.sysctl) }
        case .accounts: return .init("Accounts") { SnapshotPlumbingLines.accounts($0.accounts) }
        case .firewall: return .init("Firewall") { SnapshotPlumbingLines.firewall($0.firewall) }
        case .containers: return .init("Containers") { SnapshotPlumbingLines.containers($0.containers) }
        case .packages: return .init("Packages") { packageCounts($0.packages, $0.lastPackageTransaction) }
        case .configs: return .init("Configs") { SnapshotPlumbingLines.configs($0.configs) }
        case .schedules: return .init("Schedules") { SnapshotPlumbingLines.schedules($0.schedules) }
        case .updates: return .init("Updates") { rollbackCount($0.pendingUpdates, updateCounts($0.pendingUpdates)) }
        case .transactions: return .init("Transactions") { SnapshotPlumbingLines.transactions($0.transactions) }
        case .logs: return .init("Logs") { SnapshotPlumbingLines.logs(errors: $0.logErrors, dumps: $0.crashDumps) }
        case .http: return .init("HTTP checks") { SnapshotDeclaredCheckLines.http($0.httpChecks) }
        case .commands: return .init("Commands") { SnapshotDeclaredCheckLines.commands($0.commands) }
        case .files: return .init("Files") { SnapshotDeclaredCheckLines.files($0.files ?? []) }
        }
    }

    /// The rows for `snapshot`, label first.
    static func rows(_ snapshot: Snapshot) -> [[TextColumns.Cell]] {
        SnapshotSection.allCases.compactMap { section in
            guard let line = line(section) else { return nil }
            if !snapshot.isCaptured(section) { return [.init(line.label), .init("not captured", .dim)] }
            guard var cell = line.render(snapshot) else { return nil }
            if snapshot.partialReason(section) != nil { cell.text += " (partial)" }
            return [.init(line.label), cell]
        }
    }

    /// "142: 118 active, 22 inactive, 2 failed", active states in a fixed order, others after.
    private static func serviceCounts(_ services: [Service]) -> TextColumns.Cell {
        var byState: [String: Int] = [:]
        for s in services { byState[s.active, default: 0] += 1 }
        let known = ["active", "activating", "reloading", "deactivating", "inactive", "failed"]
        let states = known.filter { byState[$0] != nil } + byState.keys.filter { !known.contains($0) }.sorted()
        let parts = states.map { "\(byState[$0] ?? 0) \(VisibleText.clipped($0, 24))" }
        let text = "\(services.count)" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
        return .init(text, byState["failed"] != nil ? .red : nil)
    }

    /// "612 (dpkg 612)", then what an interrupted upgrade left: ", 1 not fully installed",
    /// ", last dnf transaction 2 failed (Failure: 1)", in red.
    private static func packageCounts(_ packages: [InstalledPackage], _ transaction: LastPackageTransaction?) -> TextColumns.Cell {
        var byManager: [String: Int] = [:]
        for p in packages { byManager[p.manager.rawValue, default: 0] += 1 }
        let parts = byManager.keys.sorted().map { "\($0) \(byManager[$0] ?? 0)" }
        var text = "\(packages.count)" + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))")
        let broken = packages.filter(\.isBroken).count
        if broken > 0 { text += ", \(broken) not fully installed" }
        let failed = transaction.flatMap { $0.succeeded ? nil : $0 }
        if let t = failed { text += ", last \(t.tool) transaction \(t.id) failed (\(VisibleText.clipped(t.returnCode, 40)))" }
        return .init(text, broken > 0 || failed != nil ? .red : nil)
    }

    private static func updateCounts(_ updates: [PendingUpdate]) -> TextColumns.Cell {
        let security = updates.filter(\.security)
        let color: Paint.Style? = security.isEmpty ? nil : .yellow
        // "3 pending (2 security: 1 critical, 1 important)" where the manager rates them (dnf, yum, zypper).
        var bySeverity: [AdvisorySeverity: Int] = [:]
        for u in security { if let s = u.severity { bySeverity[s, default: 0] += 1 } }
        guard !bySeverity.isEmpty else { return .init("\(updates.count) pending, \(security.count) security", color) }
        var parts = AdvisorySeverity.allCases.compactMap { s in bySeverity[s].map { "\($0) \(s.rawValue)" } }
        let unrated = security.count - bySeverity.values.reduce(0, +)
        if unrated > 0 { parts.append("\(unrated) unrated") }
        return .init("\(updates.count) pending (\(security.count) security: \(parts.joined(separator: ", ")))", color)
    }

    /// The rollback preflight's count after the updates' cell: ", 2 cannot be rolled back" (yellow).
    private static func rollbackCount(_ updates: [PendingUpdate], _ cell: TextColumns.Cell) -> TextColumns.Cell {
        let blocked = updates.filter { $0.rollback?.blocksRollback == true }.count
        guard blocked > 0 else { return cell }
        return .init(cell.text + ", \(blocked) cannot be rolled back", .yellow)
    }

    /// "2 services (ssh.service, cron.service)" or "none".
    private static func outdatedCell(_ outdated: [OutdatedService]) -> TextColumns.Cell {
        guard !outdated.isEmpty else { return .init("none") }
        let names = outdated.prefix(4).map { VisibleText.clipped($0.name, 48) }.joined(separator: ", ")
        return .init(Wording.count(outdated.count, "service") + " (\(names)\(outdated.count > 4 ? ", …" : ""))", .yellow)
    }
}
