import Model

/// What can be compared at all. A section either snapshot could not capture (a step that timed
/// out, was killed or had no tool; or one the run chose to skip) is unknown there: it is compared
/// with nothing, and one finding says so (none for a deliberate skip). Unknown is never empty.
///
/// It also guards against a capture that silently lost a whole section while its step looked
/// fine (ss or dpkg-query broken after the patch): rather than 150 "service gone" regressions,
/// one finding says the section is empty. A real host never has zero units, zero packages,
/// zero listening sockets or nothing mounted while we reach it over SSH, so empty after non-empty is a capture problem.
enum CaptureCheck {
    /// The sections to leave out of the comparison, and the items that say why.
    static func uncompared(baseline: Snapshot, current: Snapshot, maker: FindingMaker)
        -> (sections: Set<SnapshotSection>, items: [CheckedItem]) {
        var sections = Set<SnapshotSection>()
        var items: [CheckedItem] = []
        for section in SnapshotSection.allCases {
            let now = current.gap(section), before = baseline.gap(section)
            if now != nil || before != nil { sections.insert(section) }
            if let gap = now, !gap.skipped {
                items.append(maker.item(.host, "\(section.title) capture", [
                    maker.make(.captureIncomplete, "\(section.title) capture", after: "not captured",
                               "\(gap.sentence(section)); \(section.title) not compared"),
                ]))
            } else if let gap = before, !gap.skipped, now == nil {
                items.append(maker.item(.host, "\(section.title) baseline", [
                    maker.make(.baselineIncomplete, "\(section.title) baseline", before: "not captured",
                               "the baseline's \(gap.sentence(section)); \(section.title) not compared: take a new baseline"),
                ]))
            }
        }
        for section in SnapshotSection.allCases where !sections.contains(section) {
            guard let noun = section.model.lossNoun, let count = section.model.count,
                  count(baseline) > 0, count(current) == 0 else { continue }
            sections.insert(section)
            items.append(maker.item(.host, "\(section.rawValue) capture", [emptyFinding(section, noun, current, maker)]))
        }
        return (sections, items)
    }

    /// The notes that speak of the lost section's items ("ss: ...socket..."), as the reason.
    static func emptyFinding(_ s: SnapshotSection, _ noun: String, _ current: Snapshot, _ maker: FindingMaker) -> Finding {
        let notes = current.notes.filter { $0.lowercased().contains(noun) }
        let why = notes.isEmpty ? "" : ": " + notes.joined(separator: "; ")
        return maker.make(.captureMissing, "\(s.rawValue) capture", after: "empty",
                          "no \(s.rawValue) captured now, the baseline had some\(why)")
    }
}
