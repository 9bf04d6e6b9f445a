import Model

/// Services: one checked item per unit listed in either snapshot (minus ignored ones).
///
/// Decisions the tests pin down:
/// - Only the `active` state decides regressions; `sub` changes of a unit still active are
///   info, except running -> exited (warning): a unit that stays "active (exited)" after its
///   main process died is how a crashed daemon behind a SysV wrapper (RemainAfterExit) looks.
/// - Inactive units come and go from `systemctl list-units --all` as systemd loads and unloads
///   them, so an inactive unit appearing or disappearing is no finding at all.
/// - A unit a timer starts (`Service.timer`) runs by the clock: moving between inactive,
///   activating, active and deactivating is it running on schedule, no finding. Ending
///   failed, recovering from failed, or an auto-restart loop is still compared as for any unit.
/// - enabled -> disabled/masked is a warning (the unit will not come back after the next boot);
///   every other unit-file state change is info. An unknown (nil) state on either side is skipped.
enum ServiceDiff {
    static func items(baseline: [Service], current: [Service], maker: FindingMaker) -> [CheckedItem] {
        var before = [String: Service](minimumCapacity: baseline.count)
        for s in baseline { before[s.name] = s }
        var items: [CheckedItem] = []
        items.reserveCapacity(max(baseline.count, current.count))
        var seen = Set<String>(minimumCapacity: current.count)
        let ignore = maker.rules.ignore[.services]
        for c in current where seen.insert(c.name).inserted {
            if !ignore.isEmpty && Glob.any(ignore, c.name) { continue }
            items.append(maker.item(.services, c.name, findings(before[c.name], c, maker)))
        }
        for b in baseline where !seen.contains(b.name) {
            seen.insert(b.name)
            if !ignore.isEmpty && Glob.any(ignore, b.name) { continue }
            items.append(maker.item(.services, b.name, findings(b, nil, maker)))
        }
        return items
    }

    static func findings(_ b: Service?, _ c: Service?, _ maker: FindingMaker) -> [Finding] {
        var out: [Finding] = []
        switch (b, c) {
        case let (b?, c?):
            if let f = stateChange(b, c, maker) { out.append(f) }
            if let f = enablementChange(b, c, maker) { out.append(f) }
        case let (b?, nil):
            if b.active == "active" {
                out.append(maker.make(.serviceMissing, b.name, before: state(b), after: "not listed",
                                      "\(b.name) was \(state(b)), now gone (unit no longer listed)"))
            } else if b.active != "inactive" {
                out.append(maker.make(.serviceRemoved, b.name, before: state(b), after: "not listed",
                                      "\(b.name) was \(state(b)), now no longer listed"))
            }
        case let (nil, c?):
            if c.active == "active" {
                out.append(maker.make(.serviceAdded, c.name, after: state(c),
                                      "\(c.name) is new and \(state(c))"))
            } else if c.active == "failed" {
                out.append(maker.make(.serviceNewlyFailed, c.name, after: state(c),
                                      "\(c.name) is new and failed"))
            }
        case (nil, nil):
            break
        }
        return out
    }

    static func stateChange(_ b: Service, _ c: Service, _ maker: FindingMaker) -> Finding? {
        let was = state(b), now = state(c)
        if was == now || ranOnSchedule(b, c) { return nil }
        let sentence = "\(c.name) was \(was), now \(now)"
        let kind: FindingKind?
        switch (b.active == "active", c.active) {
        case (true, "active"):
            kind = (b.sub == "running" && c.sub == "exited") ? .serviceExited : .serviceSubstateChanged
        case (true, "failed"): kind = .serviceFailed
        case (true, _): kind = .serviceStopped
        case (false, "active"): kind = .serviceStarted
        case (false, "failed"): kind = b.active == "failed" ? nil : .serviceNewlyFailed
        case (false, _): kind = b.active == c.active ? nil : .serviceStateChanged
        }
        guard let kind else { return nil }
        return maker.make(kind, c.name, before: was, after: now, sentence)
    }

    /// The states a timer-started unit passes through on schedule: inactive until the timer
    /// fires, activating while a oneshot runs, active while a long job runs or a RemainAfterExit
    /// one stays up, deactivating on its way back.
    static let scheduledStates: Set<String> = ["inactive", "activating", "active", "deactivating"]

    /// A timer starts the unit (by either snapshot), it is not in an auto-restart loop, and it
    /// only moved between `scheduledStates`, or is running now (activating, deactivating: a
    /// unit failed in the baseline running again, whose outcome is not known yet).
    static func ranOnSchedule(_ b: Service, _ c: Service) -> Bool {
        guard b.timer != nil || c.timer != nil, c.sub != "auto-restart" else { return false }
        if c.active == "activating" || c.active == "deactivating" { return true }
        return scheduledStates.contains(b.active) && scheduledStates.contains(c.active)
    }

    static func enablementChange(_ b: Service, _ c: Service, _ maker: FindingMaker) -> Finding? {
        guard let was = b.enabled, let now = c.enabled, was != now else { return nil }
        let off = now == "disabled" || now.hasPrefix("masked")
        let kind: FindingKind = was.hasPrefix("enabled") && off ? .serviceDisabled : .serviceEnablementChanged
        let tail = kind == .serviceDisabled ? ": it will not start at next boot" : ""
        return maker.make(kind, c.name, before: was, after: now, "\(c.name) was \(was), now \(now)\(tail)")
    }

    /// "active (running)", "inactive (dead)", or just "failed" when sub repeats active.
    static func state(_ s: Service) -> String {
        s.sub.isEmpty || s.sub == s.active ? s.active : "\(s.active) (\(s.sub))"
    }
}
