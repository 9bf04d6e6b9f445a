/// What `postpatch rollback` concluded about one host, after undoing the change since its
/// baseline and verifying against it (docs/rollout.md "Rollback").
public enum RollbackVerdict: String, Codable, Sendable, Equatable, CaseIterable {
    /// Package versions equal the baseline's, no regression and no warning left.
    case restored
    /// Package versions equal the baseline's; something else still differs (listed).
    case restoredWithDifferences = "restored-with-differences"
    /// A version could not be put back, or a regression remains (named).
    case notRestored = "not-restored"
}

/// A host's rollback: the verdict, and what keeps it from `restored` (the packages not put back,
/// the regressions and warnings left, the steps that failed), one line each.
public struct RollbackOutcome: Codable, Sendable, Equatable {
    public var verdict: RollbackVerdict
    /// Empty for `restored`.
    public var details: [String]

    public init(verdict: RollbackVerdict, details: [String] = []) {
        self.verdict = verdict
        self.details = details
    }

    /// "restored", or "not-restored: pp-lab-greetd 1.0-1 not reinstalled; ...".
    public var line: String {
        verdict.rawValue + (details.isEmpty ? "" : ": " + details.joined(separator: "; "))
    }
}

/// One package moved from one version to another: `from` nil when it is installed, `to` nil
/// when it is removed. A rollback plan and a pinned patch set (`patch-set.json`) are lists of
/// these; the manager's command that carries them out is built in one place
/// (Engine's `PackageTransactionCommand`).
public struct PackageChange: Codable, Sendable, Equatable, SortKeyed {
    public var name: String
    public var arch: String
    public var from: String?
    public var to: String?

    public init(name: String, arch: String, from: String?, to: String?) {
        self.name = name
        self.arch = arch
        self.from = from
        self.to = to
    }

    public var sortKey: String { name + "|" + arch }
    /// "pp-lab-greetd 1.1-1 → 1.0-1", "pp-new 2.0 removed", "pp-old 1.0 reinstalled".
    public var text: String {
        switch (from, to) {
        case let (f?, t?): return "\(name) \(f) → \(t)"
        case let (nil, t?): return "\(name) \(t) installed"
        case let (f?, nil): return "\(name) \(f) removed"
        case (nil, nil): return name
        }
    }
}
