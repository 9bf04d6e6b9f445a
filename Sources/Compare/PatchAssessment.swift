import Foundation
import Model

/// The host's patch record (``PatchRecord``) and the one finding of its own, `security-fix-overdue`:
/// what the patch installed and fixed (against the baseline), what failed, what waits for a
/// reboot or still runs replaced code, what is still missing, by severity, and since when.
/// `verify`, `drift` and `diff` build it with the baseline; `assess` without one.
public enum PatchAssessment {
    /// A pending security fix and since when it is missing.
    struct Missing {
        let update: PendingUpdate
        let since: Date
        /// "advisory" or "first-seen".
        let source: String
    }

    /// The record against a baseline (verify, drift, diff).
    static func record(baseline: Snapshot, current: Snapshot, rules: CompareRules, changes: [PackageDiff.Change]) -> PatchRecord {
        let ignore = rules.ignore[.packages]
        func kept(_ name: String) -> Bool { ignore.isEmpty || !Glob.any(ignore, name) }
        var installed: PatchInstalled?
        var notInEffect: [NotInEffect] = []
        if current.isCaptured(.packages), baseline.isCaptured(.packages) {
            var i = PatchInstalled()
            let a = Attribution(baseline: baseline, current: current, changes: changes)
            let fixes = Dictionary((current.transactions?.fixes ?? []).map { ($0.package, $0) }, uniquingKeysWith: { x, _ in x })
            for c in changes where kept(c.name) {
                switch (c.before, c.after) {
                case let (b?, n?):
                    i.upgraded.append(PackageVersionChange(name: n.name, arch: n.arch, from: b.version, to: n.version))
                    let reasons = FixDiff.notInEffect(n.name, a, current)
                    if !reasons.isEmpty {
                        let fix = fixes[n.name]
                        notInEffect.append(NotInEffect(package: n.name, ids: (fix?.cves ?? []) + (fix?.advisories ?? []),
                                                       reasons: reasons.map(\.text)))
                    }
                case let (nil, n?): i.new.append(InstalledVersion(name: n.name, arch: n.arch, version: n.version))
                case let (b?, nil): i.removed.append(InstalledVersion(name: b.name, arch: b.arch, version: b.version))
                case (nil, nil): break
                }
            }
            installed = i
        }
        return finish(current: current, baseline: baseline, rules: rules, installed: installed,
                      notInEffect: notInEffect, fixed: current.transactions?.fixes ?? [])
    }

    /// The record of a capture alone (`assess`): no installed or fixed list; the services that
    /// still run replaced code stand for what is installed but not in effect.
    public static func record(current: Snapshot, rules: CompareRules) -> PatchRecord {
        let running = current.outdated.map { s in
            NotInEffect(package: s.name, reasons: ["\(OutdatedDiff.label(s)) still runs replaced code (\(s.filesText))"])
        }
        return finish(current: current, baseline: nil, rules: rules, installed: nil, notInEffect: running, fixed: [])
    }

    /// The `security-fix-overdue` item, when `rules: max_security_age_days` is set and a pending
    /// security fix is older; nothing otherwise.
    static func overdueItems(baseline: Snapshot?, current: Snapshot, maker: FindingMaker) -> [CheckedItem] {
        guard let (message, days) = overdue(baseline: baseline, current: current, rules: maker.rules) else { return [] }
        return [maker.item(.updates, "security fix age", [maker.make(.securityFixOverdue, "security fix age", after: "\(days) days", message)])]
    }

    /// The `security-fix-overdue` finding for a capture alone (assess).
    public static func overdueItems(current: Snapshot, rules: CompareRules) -> [CheckedItem] {
        overdueItems(baseline: nil, current: current, maker: FindingMaker(host: current.host, rules: rules))
    }

    // MARK: - shared

    private static func finish(current: Snapshot, baseline: Snapshot?, rules: CompareRules, installed: PatchInstalled?,
                               notInEffect: [NotInEffect], fixed: [PackageFix]) -> PatchRecord {
        let failed = current.packages.filter(\.isBroken).map { "\($0.name) (\($0.state?.rawValue ?? "reinst-required"))" }
        let system = current.system
        let reboot: [String] = system.rebootRequired == true
            ? (!system.rebootRequiredPackages.isEmpty ? system.rebootRequiredPackages
                : !system.rebootReasons.isEmpty ? system.rebootReasons : ["the host (reason not given)"])
            : []
        let updatesKnown = current.isCaptured(.updates)
        let pending = kept(current.pendingUpdates, rules)
        let oldest = updatesKnown ? missing(pending, baseline: baseline, current: current)
            .max { age($0, current) < age($1, current) } : nil
        let overdueText = overdue(baseline: baseline, current: current, rules: rules)?.message
        return PatchRecord(installed: installed, failed: failed, pendingReboot: reboot, notInEffect: notInEffect,
                           missing: updatesKnown ? MissingUpdates(pending) : nil,
                           oldestMissingSecurity: oldest.map {
                               OldestMissingFix(package: $0.update.name, candidateVersion: $0.update.candidateVersion,
                                                since: $0.since, source: $0.source, ageSeconds: age($0, current))
                           },
                           fixed: fixed, maxSecurityAgeDays: rules.maxSecurityAgeDays,
                           nonCompliance: PatchRecord.nonCompliance(failed: failed, overdue: overdueText,
                                                                    notInEffect: notInEffect, pendingReboot: reboot))
    }

    private static func kept(_ updates: [PendingUpdate], _ rules: CompareRules) -> [PendingUpdate] {
        let ignore = rules.ignore[.packages]
        return ignore.isEmpty ? updates : updates.filter { !Glob.any(ignore, $0.name) }
    }

    /// The sentence and the oldest age in days, when some pending security fix is older than the policy.
    static func overdue(baseline: Snapshot?, current: Snapshot, rules: CompareRules) -> (message: String, days: Int)? {
        guard let limit = rules.maxSecurityAgeDays, current.isCaptured(.updates) else { return nil }
        let late = missing(kept(current.pendingUpdates, rules), baseline: baseline, current: current)
            .filter { age($0, current) > limit * 86_400 }
            .sorted { age($0, current) > age($1, current) }
        guard let worst = late.first else { return nil }
        let days = age(worst, current) / 86_400
        let n = late.count
        let from = worst.source == "advisory" ? "its advisory's issue date" : "first seen on the host"
        return ("\(n) security fix\(n == 1 ? "" : "es") missing for more than \(limit) days; "
                    + "the oldest, \(worst.update.name) \(worst.update.candidateVersion), since \(day(worst.since)) (\(days) days, \(from))",
                days)
    }

    /// The pending security fixes with since when each is missing: the earliest of its first-seen
    /// date, the baseline's capture when the baseline already listed it, and its advisories' issue date.
    static func missing(_ updates: [PendingUpdate], baseline: Snapshot?, current: Snapshot) -> [Missing] {
        var inBaseline = Set<String>()
        if let baseline, baseline.isCaptured(.updates) {
            for u in baseline.pendingUpdates where u.security { inBaseline.insert(u.sortKey) }
        }
        return updates.filter(\.security).map { u in
            var since = current.capturedAt, source = "first-seen"
            if let seen = u.firstSeen, seen < since { since = seen }
            if let baseline, inBaseline.contains(u.sortKey), baseline.capturedAt < since { since = baseline.capturedAt }
            let issued = (u.advisories ?? []).filter { $0.type == .security }.compactMap { $0.issued.flatMap(parseDay) }.min()
            if let issued, issued < since { since = issued; source = "advisory" }
            return Missing(update: u, since: since, source: source)
        }
    }

    static func age(_ m: Missing, _ current: Snapshot) -> Int {
        max(0, Int(current.capturedAt.timeIntervalSince(m.since)))
    }

    /// "2026-11-03" as midnight UTC.
    static func parseDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var c = DateComponents()
        c.year = parts[0]; c.month = parts[1]; c.day = parts[2]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: c)
    }

    static func day(_ date: Date) -> String { String(ISO8601.string(date).prefix(10)) }
}
