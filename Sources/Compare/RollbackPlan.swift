import Model

/// The inverse of what changed on a host since its baseline, computed from two snapshots and
/// nothing else (`postpatch rollback`, `rollout --on-halt rollback`): upgraded since → back to
/// the baseline version; installed since → removed; removed since → the baseline version
/// reinstalled. Pure.
///
/// What is not undone, and said so in ``kept``: kernels installed since stay installed side by
/// side (removing the running or newest kernel is the boot loader's business, not a package
/// rollback's). Configuration edits outside packages are not reverted: verify reports them.
public struct RollbackPlan: Sendable, Equatable {
    public var manager: PackageManager?
    /// Each package to put back: `from` is the current version, `to` the baseline's (nil: remove).
    public var changes: [PackageChange]
    /// Changes left alone, with why (kernels installed side by side).
    public var kept: [(change: PackageChange, why: String)]
    /// Units active in the baseline and not active now: started after the transaction.
    public var start: [String]
    /// dnf/yum: exactly one transaction since the baseline, ending in success: its id, so
    /// `dnf history undo ID` can undo it as a whole (the plan still verifies the result).
    public var undoTransaction: Int?

    public static func == (a: RollbackPlan, b: RollbackPlan) -> Bool {
        a.manager == b.manager && a.changes == b.changes && a.start == b.start && a.undoTransaction == b.undoTransaction
            && a.kept.map(\.change) == b.kept.map(\.change) && a.kept.map(\.why) == b.kept.map(\.why)
    }

    public init(manager: PackageManager?, changes: [PackageChange], kept: [(change: PackageChange, why: String)], start: [String],
                undoTransaction: Int? = nil) {
        self.manager = manager
        self.changes = changes
        self.kept = kept
        self.start = start
        self.undoTransaction = undoTransaction
    }

    /// Nothing to put back and nothing to start.
    public var isEmpty: Bool { changes.isEmpty && start.isEmpty }

    public static func compute(baseline: Snapshot, current: Snapshot) -> RollbackPlan {
        var changes: [PackageChange] = [], kept: [(PackageChange, String)] = []
        for c in PackageMatch.changes(baseline: baseline.packages, current: current.packages) {
            switch (c.before, c.after) {
            case let (b?, a?) where b.arch == a.arch:
                if PackageVersion.compare(b.version, a.version, manager: a.manager) == 0 { continue }
                changes.append(PackageChange(name: b.name, arch: b.arch, from: a.version, to: b.version))
            case let (b?, a?):
                // Architecture changed (all → amd64): the current one goes, the baseline's comes back.
                changes.append(PackageChange(name: a.name, arch: a.arch, from: a.version, to: nil))
                changes.append(PackageChange(name: b.name, arch: b.arch, from: nil, to: b.version))
            case let (nil, a?):
                let change = PackageChange(name: a.name, arch: a.arch, from: a.version, to: nil)
                if isKernel(a.name) { kept.append((change, "a kernel: kept installed side by side (choose the boot entry to go back)")) }
                else { changes.append(change) }
            case let (b?, nil):
                changes.append(PackageChange(name: b.name, arch: b.arch, from: nil, to: b.version))
            case (nil, nil):
                continue
            }
        }
        let now = Dictionary(current.services.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let start = baseline.services.filter { s in
            s.source == .systemd && s.active == "active" && s.name.hasSuffix(".service")
                && (now[s.name].map { $0.active != "active" && $0.load == "loaded" } ?? false)
        }.map(\.name).sorted()
        var undo: Int?
        if let b = baseline.lastPackageTransaction, let c = current.lastPackageTransaction, c.tool == b.tool,
           c.id == b.id + 1, c.succeeded {
            undo = c.id
        }
        return RollbackPlan(manager: (current.packages.first ?? baseline.packages.first)?.manager,
                            changes: changes.sorted { $0.sortKey < $1.sortKey }, kept: kept, start: start, undoTransaction: undo)
    }

    /// Install-only kernel packages: Debian's `linux-image-<release>` (and its modules), RPM's
    /// `kernel`, `kernel-core`, `kernel-modules*`.
    public static func isKernel(_ name: String) -> Bool {
        ["linux-image-", "linux-modules-", "kernel-modules"].contains { name.hasPrefix($0) }
            || ["kernel", "kernel-core", "kernel-default"].contains(name)
    }

    /// The plan as the terminal shows it, one line each, indented under the host's name.
    public func lines(host: String) -> [String] {
        var out = ["\(host): " + (isEmpty ? "nothing to roll back" : "roll back \(changes.count) package change\(changes.count == 1 ? "" : "s")"
                   + (start.isEmpty ? "" : ", start \(start.count) unit\(start.count == 1 ? "" : "s")"))]
        for c in changes {
            switch (c.from, c.to) {
            case let (f?, t?): out.append("  \(c.name):\(c.arch) \(f) → \(t)")
            case let (f?, nil): out.append("  \(c.name):\(c.arch) \(f) → remove (installed since the baseline)")
            case let (nil, t?): out.append("  \(c.name):\(c.arch) reinstall \(t) (removed since the baseline)")
            case (nil, nil): continue
            }
        }
        for (c, why) in kept { out.append("  \(c.name):\(c.arch) \(c.from ?? "") left installed: \(why)") }
        for u in start { out.append("  start \(u) (active in the baseline, not now)") }
        return out
    }
}

extension RollbackPlan {
    /// The package findings that say a version is not the baseline's.
    static let versionKinds: Set<FindingKind> = [.packageUpgraded, .packageDowngraded, .packageInstalled, .packageRemoved, .packageBroken]

    /// The verdict on a host after its rollback: `verify` is the diff against the baseline taken
    /// after the transaction, restarts and reboot; `failure` the step that failed, if one did.
    ///
    /// - not-restored: verify could not check the host, a package version still differs (named;
    ///   kernels kept side by side excepted), or a regression remains (named).
    /// - restored-with-differences: versions equal, but a warning remains or a kernel was kept
    ///   (listed), or a step failed without leaving a version or a regression behind.
    /// - restored: versions equal, no regression, no warning.
    /// Findings of the logs category (errors logged, crash dumps) are left out of all three.
    public func verdict(verify: HostVerdict, failure: String?) -> RollbackOutcome {
        if let error = verify.error {
            return RollbackOutcome(verdict: .notRestored, details: (failure.map { [$0] } ?? []) + ["not verified: \(error)"])
        }
        let keptNames = Set(kept.map(\.change.name))
        // Log lines and crash dumps the bad patch left behind are history, not state: no
        // rollback removes them. Verify still reports them; the verdict does not count them.
        let findings = verify.findings.filter { $0.category != .section(.logs) }
        let versions = findings.filter { Self.versionKinds.contains($0.kind) && !keptNames.contains(packageName($0.subject)) }
        let regressions = findings.filter { $0.severity == .regression && !Self.versionKinds.contains($0.kind) }
        var hard = versions.map { "\($0.subject) is \($0.after ?? "absent"), baseline \($0.before ?? "absent")" }
        hard += regressions.map { "regression left: \($0.message)" }
        if !hard.isEmpty { return RollbackOutcome(verdict: .notRestored, details: (failure.map { [$0] } ?? []) + hard) }
        var soft = findings.filter { $0.severity == .warning && !Self.versionKinds.contains($0.kind) }.map { "warning left: \($0.message)" }
        soft += kept.map { "\($0.change.name) \($0.change.from ?? "") left installed (\($0.why))" }
        if let failure { soft.insert(failure, at: 0) }
        return RollbackOutcome(verdict: soft.isEmpty ? .restored : .restoredWithDifferences, details: soft)
    }

    /// A package finding's subject is "name", "name:arch" or "name:arch version".
    private func packageName(_ subject: String) -> String {
        String(subject.split(separator: " ").first?.split(separator: ":").first ?? Substring(subject))
    }
}
