/// Why a section of a snapshot holds nothing to compare: its step timed out, was killed or had
/// no tool (a failure), or the run chose not to capture it (`skipped`). Unknown is never empty:
/// a section with a gap is compared with nothing, in either direction.
public struct CaptureGap: Codable, Sendable, Equatable {
    /// The collector step that failed, e.g. "updates.apt"; empty for a section skipped by choice.
    public var step: String
    /// What happened, e.g. "apt-get -s dist-upgrade timed out after 60 s".
    public var problem: String
    /// The next step for the reader, e.g. "raise --updates-timeout".
    public var fix: String
    /// True when the run chose not to capture the section (`--skip-pending-updates`): no failure.
    public var skipped: Bool

    public init(step: String, problem: String, fix: String, skipped: Bool = false) {
        self.step = step
        self.problem = problem
        self.fix = fix
        self.skipped = skipped
    }

    /// One line for notes and reports: "pending updates not captured: ... (step updates.apt): raise ...".
    public func sentence(_ section: SnapshotSection) -> String {
        if skipped { return "\(section.title) not captured: \(problem)" }
        let step = self.step.isEmpty ? "" : " (step \(self.step))"
        return "\(section.title) not captured: \(problem)\(step): \(fix)"
    }
}

extension Snapshot {
    /// The gap of `section`, nil when it was captured.
    public func gap(_ section: SnapshotSection) -> CaptureGap? { notCaptured[section] }

    public func isCaptured(_ section: SnapshotSection) -> Bool { notCaptured[section] == nil }

    /// Every gap, in section order.
    public var gaps: [(section: SnapshotSection, gap: CaptureGap)] {
        SnapshotSection.allCases.compactMap { s in notCaptured[s].map { (s, $0) } }
    }

    /// The reason `section` was captured only in part, nil when complete (or not captured).
    public func partialReason(_ section: SnapshotSection) -> String? { partial[section] }

    /// What a report shows under a host: a line per section not captured or captured in part,
    /// then the collector's notes.
    public var captureNotes: [String] {
        var lines = gaps.map { $0.gap.sentence($0.section) }
        for s in SnapshotSection.allCases {
            if let why = partial[s] { lines.append("\(s.title) partial: \(why)") }
        }
        return lines + notes.filter { !lines.contains($0) }
    }
}
