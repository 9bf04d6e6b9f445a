import Model

/// Services still running code the patch replaced: one item per service outdated in either
/// snapshot. Outdated now and not before (or with files the baseline did not name): the patch is
/// installed but not in effect there. Outdated before and not now: restarted, cleared. Outdated
/// both times with the same files: no change, no finding (the baseline already said so).
enum OutdatedDiff {
    static func items(baseline: Snapshot, current: Snapshot, maker: FindingMaker) -> [CheckedItem] {
        var before: [String: OutdatedService] = [:]
        for s in baseline.outdated { before[s.name] = s }
        var items = [maker.item(.outdated, "outdated code (\(current.outdated.count) services)")]
        for s in current.outdated {
            let old = before.removeValue(forKey: s.name)
            var found: [Finding] = []
            if old == nil || !Set(s.files).isSubset(of: Set(old!.files)) || s.fileCount > old!.fileCount {
                found.append(outdated(s, maker))
            }
            items.append(maker.item(.outdated, s.name, found))
        }
        // A partial capture (not root) cannot tell "restarted" from "not readable".
        let canClear = current.partialReason(.outdated) == nil || baseline.partialReason(.outdated) != nil
        for old in before.values.sorted(by: { $0.name < $1.name }) {
            let found = canClear ? [maker.make(.serviceOutdatedCleared, old.name, before: old.filesText, after: "current",
                                               "\(label(old)) no longer runs replaced code (restarted)")] : []
            items.append(maker.item(.outdated, old.name, found))
        }
        return items
    }

    static func outdated(_ s: OutdatedService, _ maker: FindingMaker) -> Finding {
        switch s.kind {
        case .manager:
            return maker.make(.managerOutdated, s.name, after: s.filesText,
                              "the service manager (PID 1) still runs code the patch replaced (\(s.filesText)): systemctl daemon-reexec, or reboot")
        case .unit where RestartPolicy.endsWithItsUser(s.name):
            return maker.make(.serviceOutdated, s.name, after: s.filesText,
                              "\(s.name) (a user's service manager) still runs code the patch replaced (\(s.filesText)): it ends when that user logs out; log out and in again")
        case .unit where RestartPolicy.needsReboot(s, deny: maker.rules.restartDeny ?? []):
            // Advice matches action: PostPatch refuses to restart this unit, so only a reboot
            // puts the patch in effect (`--reboot if-required` does it).
            return maker.make(.serviceOutdated, s.name, after: s.filesText,
                              "reboot required: \(s.name) runs code the patch replaced (\(s.filesText)) and cannot be restarted safely")
        case .unit, .service:
            return maker.make(.serviceOutdated, s.name, after: s.filesText,
                              "\(s.name) still runs code the patch replaced (\(s.filesText)): restart it")
        case .session, .other:
            return maker.make(.serviceOutdated, s.name, after: s.filesText,
                              "\(label(s)) (\(s.processes.prefix(4).joined(separator: ", "))) still run code the patch replaced (\(s.filesText)): restart them or log out")
        }
    }

    static func label(_ s: OutdatedService) -> String {
        switch s.kind {
        case .manager: return "the service manager (PID 1)"
        case .session: return "session processes"
        case .other: return "other processes"
        case .unit, .service: return s.name
        }
    }
}
