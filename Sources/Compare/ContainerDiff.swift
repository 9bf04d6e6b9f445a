import Model

/// Containers, matched by name: one item per container of either snapshot. Running before and
/// not now (or gone) is a regression; another image id, or a restart (new start time, higher
/// restart count, or recreated under the same name with a new id), is info. The image change
/// implies the restart: it is said once.
enum ContainerDiff {
    static func items(baseline: [Container], current: [Container], maker: FindingMaker) -> [CheckedItem] {
        var before: [String: Container] = [:]
        for c in baseline { before[c.name] = c }
        var items: [CheckedItem] = []
        for now in current {
            let old = before.removeValue(forKey: now.name)
            items.append(maker.item(.containers, now.name, old.map { findings($0, now, maker) } ?? []))
        }
        for old in before.values.sorted(by: { $0.name < $1.name }) {
            let found = old.isRunning
                ? [maker.make(.containerStopped, old.name, before: old.state, after: "gone",
                              "container \(label(old)) was running, now gone")]
                : []
            items.append(maker.item(.containers, old.name, found))
        }
        return items
    }

    static func findings(_ old: Container, _ now: Container, _ maker: FindingMaker) -> [Finding] {
        if old.isRunning && !now.isRunning {
            return [maker.make(.containerStopped, now.name, before: old.state, after: now.state,
                               "container \(label(now)) was running, now \(now.state)")]
        }
        if let was = old.imageID, let is_ = now.imageID, was != is_ {
            return [maker.make(.containerImageChanged, now.name, before: short(was), after: short(is_),
                               "container \(now.name) runs image \(short(is_)) (\(now.image)), was \(short(was)) (\(old.image))")]
        }
        guard now.isRunning, let why = restart(old, now) else { return [] }
        return [maker.make(.containerRestarted, now.name, before: old.startedAt ?? old.state, after: now.startedAt ?? now.state,
                           "container \(now.name) \(why)")]
    }

    /// How the container was (re)started since the baseline, nil when it was not.
    static func restart(_ old: Container, _ now: Container) -> String? {
        if old.id != now.id, !old.id.isEmpty, !now.id.isEmpty, !old.id.hasPrefix(now.id), !now.id.hasPrefix(old.id) {
            return "was recreated (id \(short(old.id)) → \(short(now.id)))"
        }
        if let a = old.restartCount, let b = now.restartCount, b > a {
            return "was restarted by its engine \(b - a) time(s) (restart policy \(now.restartPolicy ?? "unknown"))"
        }
        if let a = old.startedAt, let b = now.startedAt, a != b {
            return old.isRunning ? "was restarted (started \(a), now \(b))" : "was \(old.state), now running (started \(b))"
        }
        if old.startedAt == nil, now.startedAt != nil, !old.isRunning {
            return "was \(old.state), now running"
        }
        return nil
    }

    static func label(_ c: Container) -> String { "\(c.name) (\(c.engine), image \(c.image))" }

    /// The 12 hex digits `ps` shows.
    static func short(_ id: String) -> String { String(id.prefix(12)) }
}
