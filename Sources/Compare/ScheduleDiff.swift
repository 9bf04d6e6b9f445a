import Model

/// Scheduled work: one item per timer, one aggregate item for the cron jobs without a finding,
/// and one item per crontab file (or run-parts script) with a finding. `ignore: schedules` globs
/// match a timer's name or a cron job's file.
///
/// - Timers: `timer-missing` (no unit file, not loaded), `timer-stopped` (active → not),
///   `timer-disabled` (enabled → not, or masked). A timer whose service runs in the window stays
///   active: its firing is no change. A new timer is a checked item, no finding.
/// - Cron: a job is the same job when its file, schedule, user and command digest are equal,
///   wherever its line moved. Within a file, what is left unmatched pairs up (by line, then in
///   order) as `cron-job-changed`; the rest is `cron-job-removed` or `cron-job-added`.
enum ScheduleDiff {
    static func items(baseline: Snapshot, current: Snapshot, maker: FindingMaker) -> [CheckedItem] {
        guard let b = baseline.schedules, let c = current.schedules else { return [] }
        let ignore = maker.rules.ignore[.schedules]
        func kept(_ name: String) -> Bool { ignore.isEmpty || !Glob.any(ignore, name) }
        return timers(b.timers.filter { kept($0.name) }, c.timers.filter { kept($0.name) }, maker)
            + cron(b.cron.filter { kept($0.source) }, c.cron.filter { kept($0.source) }, maker)
    }

    static func timers(_ baseline: [ScheduledTimer], _ current: [ScheduledTimer], _ maker: FindingMaker) -> [CheckedItem] {
        var now = [String: ScheduledTimer](minimumCapacity: current.count)
        for t in current { now[t.name] = t }
        var items: [CheckedItem] = []
        for b in baseline {
            guard let c = now.removeValue(forKey: b.name) else {
                items.append(maker.item(.schedules, b.name, [
                    maker.make(.timerMissing, b.name, before: b.active, "\(b.name) (starts \(b.unit)) is gone: no unit file, not loaded"),
                ]))
                continue
            }
            var found: [Finding] = []
            if b.active == "active", c.active != "active" {
                found.append(maker.make(.timerStopped, b.name, before: b.active, after: c.active,
                                        "\(b.name) (starts \(c.unit)) was active and is \(c.active) now: what it schedules no longer runs"))
            }
            if (b.enabled && !c.enabled) || (b.masked != true && c.masked == true) {
                let now = c.masked == true ? "masked" : "disabled"
                found.append(maker.make(.timerDisabled, b.name, before: b.masked == true ? "masked" : (b.enabled ? "enabled" : "not enabled"),
                                        after: now, "\(b.name) is \(now) now: it will not start at the next boot"))
            }
            items.append(maker.item(.schedules, b.name, found))
        }
        for c in now.values { items.append(maker.item(.schedules, c.name)) }
        return items
    }

    struct Identity: Hashable {
        let source: String, schedule: String, user: String?, digest: String
        init(_ j: CronJob) { source = j.source; schedule = j.schedule; user = j.user; digest = j.digest }
    }

    static func cron(_ baseline: [CronJob], _ current: [CronJob], _ maker: FindingMaker) -> [CheckedItem] {
        // Exact matches first, counted (two identical lines are two jobs).
        var unmatched = [Identity: Int]()
        for j in current { unmatched[Identity(j), default: 0] += 1 }
        var gone: [CronJob] = []
        for j in baseline {
            let id = Identity(j)
            if let n = unmatched[id], n > 0 { unmatched[id] = n - 1 } else { gone.append(j) }
        }
        var fresh: [CronJob] = []
        var left = unmatched
        for j in current {
            let id = Identity(j)
            if let n = left[id], n > 0 { left[id] = n - 1; fresh.append(j) }
        }
        var bySource: [String: [Finding]] = [:]
        let goneBySource = Dictionary(grouping: gone, by: \.source)
        var freshBySource = Dictionary(grouping: fresh, by: \.source)
        for (source, removed) in goneBySource {
            var added = freshBySource.removeValue(forKey: source) ?? []
            for r in removed {
                if let i = added.firstIndex(where: { $0.line == r.line }) ?? added.indices.first {
                    let a = added.remove(at: i)
                    bySource[source, default: []].append(maker.make(.cronJobChanged, a.place, before: describe(r), after: describe(a),
                                                                   "cron job \(a.place) changed: \(what(r, a))"))
                } else {
                    bySource[source, default: []].append(maker.make(.cronJobRemoved, r.place, before: describe(r),
                                                                   "cron job \(r.place) (\(describe(r))) is gone"))
                }
            }
            for a in added {
                bySource[source, default: []].append(maker.make(.cronJobAdded, a.place, after: describe(a), "new cron job \(a.place) (\(describe(a)))"))
            }
        }
        for (_, added) in freshBySource {
            for a in added {
                bySource[a.source, default: []].append(maker.make(.cronJobAdded, a.place, after: describe(a), "new cron job \(a.place) (\(describe(a)))"))
            }
        }
        var items = [maker.item(.schedules, "cron jobs (\(current.count))")]
        for (source, found) in bySource.sorted(by: { $0.key < $1.key }) { items.append(maker.item(.schedules, source, found)) }
        return items
    }

    /// "30 2 * * * as root", "daily as root": never the command.
    static func describe(_ j: CronJob) -> String {
        j.schedule + (j.user.map { " as \($0)" } ?? "")
    }

    static func what(_ b: CronJob, _ a: CronJob) -> String {
        var parts: [String] = []
        if b.schedule != a.schedule { parts.append("schedule \(b.schedule) → \(a.schedule)") }
        if b.user != a.user { parts.append("user \(b.user ?? "-") → \(a.user ?? "-")") }
        if b.digest != a.digest { parts.append(a.line == nil ? "the script's content" : "the command") }
        return parts.isEmpty ? "moved" : parts.joined(separator: ", ")
    }
}
