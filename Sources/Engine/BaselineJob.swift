import Foundation
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
            case let .success(snapshot):
                do {
                    try store.write(snapshot)
                    return BaselineOutcome(target: target, written: store.path(for: target.name), error: nil, unreachable: false, counts: SnapshotCounts(snapshot))
                } catch {
                    return BaselineOutcome(target: target, written: nil, error: "\(error)", unreachable: false, counts: SnapshotCounts(snapshot))
                }
            }
        }
    }

    /// 0 every baseline written; 3 some host could not be captured; 4 a file could not be written.
    public static func exitStatus(_ outcomes: [BaselineOutcome]) -> ExitStatus {
        if outcomes.contains(where: { $0.error != nil && $0.counts != nil }) { return .localIO }
        if outcomes.contains(where: { $0.error != nil }) { return .unreachable }
        return .ok
    }
}
