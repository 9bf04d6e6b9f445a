import Compare
import Model

/// What `postpatch baseline` did for one host.
public struct BaselineOutcome: Sendable {
    public var target: HostTarget
    /// Path written, when the capture succeeded and the write too.
    public var written: String?
    public var error: String?
    public var unreachable: Bool
    /// What the capture found, when it succeeded (the snapshot itself is on disk, not kept:
    /// a run over a thousand hosts holds only these few numbers per host).
    public var counts: SnapshotCounts?
    /// The declared expectations (commands, HTTP checks) that failed in this capture: regressions
    /// on their own, reported though the baseline is written (see ``Differ/expectations(snapshot:rules:)``).
    public var failures: [Finding] = []
    /// The rollback preflight's warnings: pending updates the package manager could not undo
    /// (``RollbackPreflightDiff``). Printed; they do not change the exit code.
    public var warnings: [Finding] = []
}

/// The size of a captured snapshot, for the one-line-per-host summary.
public struct SnapshotCounts: Sendable, Equatable {
    public var services: Int
    public var sockets: Int
    public var packages: Int
    public init(_ s: Snapshot) {
        services = s.services.count
        sockets = s.sockets.count
        packages = s.packages.count
    }
}

/// `postpatch baseline`: capture every host and replace its baseline only on success.
public enum BaselineJob {
    public static func run(targets: [HostTarget], connector: Connector, store: BaselineStore, settings: Capture.Settings,
                           parallel: Int, onDone: (@Sendable (BaselineOutcome) -> Void)? = nil) async -> [BaselineOutcome] {
        await Fleet.run(targets, parallel: parallel, onDone: { _, o in onDone?(o) }) { target in
            switch await Capture.snapshot(target, connector: connector, settings: settings) {
            case let .failure(e):
                return BaselineOutcome(target: target, written: nil, error: e.description, unreachable: e.unreachable, counts: nil)
            case var .success(snapshot):
                // The pages' stability, learned from the baseline this one replaces.
                if let previous = try? store.read(host: target.name) { snapshot.learnPageStability(from: previous) }
                var outcome = BaselineOutcome(target: target, written: nil, error: nil, unreachable: false, counts: SnapshotCounts(snapshot))
                outcome.failures = Differ.expectations(snapshot: snapshot, rules: target.rules).flatMap(\.findings)
                outcome.warnings = RollbackPreflightDiff.findings(snapshot: snapshot, rules: target.rules)
                do {
                    try store.write(snapshot)
                    outcome.written = store.path(for: target.name)
                } catch {
                    outcome.error = "\(error)"
                }
                return outcome
            }
        }
    }

    /// 0 every baseline written; 3 some host could not be captured; 4 a file could not be written;
    /// 1 a declared expectation failed (a regression; its baseline is still written). 4 wins, then 1 over 3.
    public static func exitStatus(_ outcomes: [BaselineOutcome]) -> ExitStatus {
        if outcomes.contains(where: { $0.error != nil && $0.counts != nil }) { return .localIO }
        if outcomes.contains(where: { $0.failures.contains { $0.severity == .regression } }) { return .failed }
        if outcomes.contains(where: { $0.error != nil }) { return .unreachable }
        return .ok
    }
}
