import Compare
import Foundation
import Model

/// `postpatch verify` and `drift`: capture, diff against the baseline, classify.
public enum VerifyJob {
    public struct Settings: Sendable {
        public var capture: Capture.Settings
        /// Re-capture a host whose regressions might be a service still starting, for up to this long.
        public var settle: Duration
        public var settleInterval: Duration
        public init(capture: Capture.Settings, settle: Duration = .zero, settleInterval: Duration = .seconds(2)) {
            self.capture = capture
            self.settle = settle
            self.settleInterval = settleInterval
        }
    }

    public static func run(targets: [HostTarget], connector: Connector, store: BaselineStore, settings: Settings,
                           parallel: Int, onDone: (@Sendable (HostVerdict) -> Void)? = nil,
                           onSnapshot: (@Sendable (String, Snapshot) -> Void)? = nil) async -> VerifyRun {
        let started = Date()
        let clock = ContinuousClock.now
        let verdicts = await Fleet.run(targets, parallel: parallel, onDone: { _, v in onDone?(v) }) { target in
            await verify(target, connector: connector, store: store, settings: settings, onSnapshot: onSnapshot)
        }
        let d = clock.duration(to: .now)
        return VerifyRun(startedAt: started, durationSeconds: d.inSeconds, hosts: verdicts)
    }

    /// `onSnapshot`: given the capture the verdict was made from (`rollout --pin` reads its packages).
    static func verify(_ target: HostTarget, connector: Connector, store: BaselineStore, settings: Settings,
                       onSnapshot: (@Sendable (String, Snapshot) -> Void)? = nil) async -> HostVerdict {
        let clock = ContinuousClock.now
        let baseline: Snapshot
        do { baseline = try store.read(host: target.name) } catch {
            return timed(Differ.unchecked(host: target.name, error: "\(error)"), since: clock)
        }
        let settleEnd = ContinuousClock.now + settings.settle
        while true {
            switch await Capture.snapshot(target, connector: connector, settings: settings.capture, baseline: baseline) {
            case let .failure(e):
                return timed(Differ.unchecked(host: target.name, error: e.description), since: clock)
            case let .success(current):
                let verdict = Differ.compare(baseline: baseline, current: current, rules: target.rules)
                let regressions = verdict.count(.regression) > 0
                if !regressions || !Differ.mightSettle(verdict) || ContinuousClock.now + settings.settleInterval > settleEnd {
                    onSnapshot?(target.name, current)
                    return timed(verdict, since: clock)
                }
                try? await Task.sleep(for: settings.settleInterval)
            }
        }
    }

    /// Offline: two snapshot files, no host contacted.
    public static func diff(baseline: Snapshot, current: Snapshot, rules: CompareRules) -> VerifyRun {
        VerifyRun(startedAt: current.capturedAt, durationSeconds: 0,
                  hosts: [Differ.compare(baseline: baseline, current: current, rules: rules)])
    }

    /// 1 any regression (or warning with failOn warning); else 3 any host not checked; else 0.
    public static func exitStatus(_ run: VerifyRun, failOn: Severity = .regression) -> ExitStatus {
        if run.findings.contains(where: { $0.severity >= failOn }) { return .failed }
        if run.unchecked > 0 { return .unreachable }
        return .ok
    }

    static func timed(_ v: HostVerdict, since: ContinuousClock.Instant) -> HostVerdict {
        var v = v
        v.durationSeconds = since.duration(to: .now).inSeconds
        return v
    }
}
