import Model

/// Snapshot × snapshot → the classified verdict of one host. Pure: the same two snapshots and
/// rules always give the same verdict, item for item, in the same order.
public enum Differ {
    /// Every checked item of the host (each service, socket, probe, system fact, package change),
    /// with classified findings. Items are sorted by category, then subject (numbers numerically).
    public static func compare(baseline: Snapshot, current: Snapshot, rules: CompareRules) -> HostVerdict {
        let maker = FindingMaker(host: current.host.isEmpty ? baseline.host : current.host, rules: rules)
        let (skip, gapItems) = CaptureCheck.uncompared(baseline: baseline, current: current, maker: maker)
        var items = gapItems
        let compared = SnapshotSection.allCases.filter { !skip.contains($0) }
        let packageChanges = compared.contains(.packages)
            ? PackageDiff.changes(baseline: baseline.packages, current: current.packages) : []
        let pair = SectionDiff.Pair(baseline: baseline, current: current, maker: maker, packageChanges: packageChanges)
        for section in compared { items += SectionDiff.items(section, pair) }
        Attribution.apply(&items, baseline: baseline, current: current, changes: packageChanges)
        items.sort(by: itemOrder)
        return HostVerdict(host: maker.host, facts: facts(baseline, current), items: items, notes: notes(baseline, current),
                           patch: PatchAssessment.record(baseline: baseline, current: current, rules: rules, changes: packageChanges))
    }

    /// A host that could not be checked (unreachable, no baseline): a verdict with `error` set.
    public static func unchecked(host: String, error: String) -> HostVerdict {
        HostVerdict(host: host, error: error)
    }

    /// True when every regression in the verdict is of a kind that may clear by waiting
    /// (see ``FindingKind/mightSettle``). False when there is no regression at all (nothing to
    /// wait for), when the host was not checked, and when a policy override raised a kind
    /// that cannot settle (a removed package) to a regression.
    public static func mightSettle(_ verdict: HostVerdict) -> Bool {
        guard verdict.error == nil else { return false }
        let regressions = verdict.findings.filter { $0.severity == .regression }
        guard !regressions.isEmpty else { return false }
        return regressions.allSatisfy(\.kind.mightSettle)
    }

    static func itemOrder(_ a: CheckedItem, _ b: CheckedItem) -> Bool {
        if a.category != b.category { return a.category < b.category }
        if a.subject != b.subject { return NaturalOrder.less(a.subject, b.subject) }
        // Same subject twice (a duplicated probe): keep the order total anyway.
        return (a.findings.first?.message ?? "") < (b.findings.first?.message ?? "")
    }

    /// The current capture's notes, then the baseline's gaps (they too leave sections uncompared).
    static func notes(_ b: Snapshot, _ c: Snapshot) -> [String] {
        c.captureNotes + b.gaps.filter { !$0.gap.skipped && c.isCaptured($0.section) }
            .map { "baseline: " + $0.gap.sentence($0.section) }
    }

    /// Shown beside the results; a value that changed reads "old → new".
    static func facts(_ b: Snapshot, _ c: Snapshot) -> [Fact] {
        func pair(_ name: String, _ old: String, _ new: String) -> Fact {
            Fact(name, old == new || old.isEmpty ? new : "\(old) → \(new)")
        }
        return [
            pair("hostname", b.system.hostname, c.system.hostname),
            pair("os", b.system.os.prettyName, c.system.os.prettyName),
            pair("kernel", b.system.kernel, c.system.kernel),
            pair("arch", b.system.arch, c.system.arch),
            pair("boot id", b.system.bootID, c.system.bootID),
            Fact("baseline captured", UTCStamp.string(b.capturedAt)),
            Fact("current captured", UTCStamp.string(c.capturedAt)),
        ]
    }
}
