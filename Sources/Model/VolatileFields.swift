/// The fields of a snapshot that change without anything being wrong.
/// They are kept for the record, never compared. README's snapshot section lists the same set.
public enum VolatileFields {
    /// The snapshot's own timing, then each section's (``SectionModel/volatile``).
    public static let paths: [String] = ["capturedAt", "durationMs"] + SnapshotSection.allCases.flatMap(\.model.volatile)
}

extension Snapshot {
    /// A copy with every volatile field cleared, so that `==` answers "did anything change?".
    public func withoutVolatileFields() -> Snapshot {
        var s = self
        s.capturedAt = .init(timeIntervalSince1970: 0)
        s.durationMs = 0
        for section in SnapshotSection.allCases { section.model.clearVolatile(&s) }
        return s
    }
}
