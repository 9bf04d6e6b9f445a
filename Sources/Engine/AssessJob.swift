import Compare
import Foundation
import Model

/// `postpatch assess`: the fleet's patch state without a baseline ("detect, then assess", before
/// any patch): each host captured (or its snapshot file read), its ``PatchRecord`` built from the
/// capture alone, `security-fix-overdue` where the policy sets an age.
public enum AssessJob {
    public static func run(targets: [HostTarget], connector: Connector, settings: Capture.Settings,
                           parallel: Int, onDone: (@Sendable (HostVerdict) -> Void)? = nil) async -> VerifyRun {
        let started = Date()
        let clock = ContinuousClock.now
        let verdicts = await Fleet.run(targets, parallel: parallel, onDone: { _, v in onDone?(v) }) { target -> HostVerdict in
            let t0 = ContinuousClock.now
            switch await Capture.snapshot(target, connector: connector, settings: settings) {
            case let .failure(e):
                return Differ.unchecked(host: target.name, error: e.description)
            case let .success(snapshot):
                var v = verdict(snapshot, rules: target.rules)
                v.durationSeconds = t0.duration(to: .now).inSeconds
                return v
            }
        }
        return VerifyRun(startedAt: started, durationSeconds: clock.duration(to: .now).inSeconds, hosts: verdicts)
    }

    /// One host's assessment from its capture: the record, an item for its pending updates and
    /// the overdue finding when there is one.
    public static func verdict(_ snapshot: Snapshot, rules: CompareRules) -> HostVerdict {
        let patch = PatchAssessment.record(current: snapshot, rules: rules)
        var items: [CheckedItem] = []
        if snapshot.isCaptured(.updates) {
            items.append(CheckedItem(category: .section(.updates), subject: "pending updates (\(snapshot.pendingUpdates.count))"))
        }
        items += PatchAssessment.overdueItems(current: snapshot, rules: rules)
        let facts = [Fact("hostname", snapshot.system.hostname), Fact("os", snapshot.system.os.prettyName),
                     Fact("kernel", snapshot.system.kernel), Fact("captured", UTCStamp.string(snapshot.capturedAt))]
        return HostVerdict(host: snapshot.host, facts: facts, items: items, notes: snapshot.captureNotes, patch: patch)
    }

    /// 1 a host is not compliant (or a finding at `failOn`); else 3 a host was not assessed; else 0.
    public static func exitStatus(_ run: VerifyRun, failOn: Severity = .regression) -> ExitStatus {
        if run.hosts.contains(where: { $0.patch?.compliant == false }) || run.findings.contains(where: { $0.severity >= failOn }) {
            return .failed
        }
        return run.unchecked > 0 ? .unreachable : .ok
    }
}
