import Collect
import Compare
import Foundation
import Model

/// `postpatch rollback` and `rollout --on-halt rollback`: per host, the inverse of what changed
/// since the baseline (``RollbackPlan``), run through the host's manager
/// (``PackageTransactionCommand``) as the rollout runs a patch (``RollbackJob`` reuses
/// ``RolloutHost``: same sudo, timeouts, run-folder log, restarts and reboot policy), then
/// verified against the baseline and judged (``RollbackPlan/verdict(verify:failure:)``).
public enum RollbackJob {
    public struct Settings: Sendable {
        public var capture: Capture.Settings
        public var reboot: RebootPolicy
        public var rebootTimeout: Duration
        public var settle: Duration
        /// Units never restarted, on top of ``RestartOutdated/denied`` (`rollout: restart_deny`).
        public var restartDeny: [String]
        public var pollInterval: Duration
        /// Where the logs go: `<folder>/patch/<host>.log` (the transaction), `<folder>/restart/<host>.log`.
        public var folder: String
        public init(capture: Capture.Settings, reboot: RebootPolicy = .never, rebootTimeout: Duration = .seconds(600),
                    settle: Duration = .zero, restartDeny: [String] = [], pollInterval: Duration = .seconds(2), folder: String) {
            self.capture = capture
            self.reboot = reboot
            self.rebootTimeout = rebootTimeout
            self.settle = settle
            self.restartDeny = restartDeny
            self.pollInterval = pollInterval
            self.folder = folder
        }
    }

    /// One host's plan: computed from its baseline and a fresh capture, or why it could not be.
    public struct HostPlan: Sendable {
        public var target: HostTarget
        public var plan: RollbackPlan?
        /// The manager command of the plan; nil when it has no package change.
        public var command: String?
        public var error: String?
        public var unreachable = false
        /// The plan holds a value its manager's grammar refuses (``PackageTransactionCommand``).
        public var refused = false
        public var seconds: Double = 0

        /// The plan as printed before anything runs.
        public var lines: [String] {
            if let error { return ["\(target.name): cannot plan the rollback: \(error)"] }
            guard let plan else { return [] }
            return plan.lines(host: target.name) + (command.map { ["  command: \($0)"] } ?? [])
        }
    }

    /// What a rollback did and found: each host's plan, and the verify run after it, whose
    /// host verdicts carry the rollback's (``HostVerdict/rollback``).
    public struct Run: Sendable {
        public var plans: [HostPlan]
        public var verify: VerifyRun
        /// Seconds per host: plan (capture and diff), transaction (with restarts and reboot), verify.
        public var timings: [String: (plan: Double, transaction: Double, verify: Double)] = [:]
    }

    /// Reads each host's baseline, captures the host, computes the plan and its command.
    public static func plan(targets: [HostTarget], connector: Connector, store: BaselineStore, settings: Settings,
                            parallel: Int) async -> [HostPlan] {
        await Fleet.run(targets, parallel: parallel) { target in
            let clock = ContinuousClock.now
            var p = await plan(target, connector: connector, store: store, settings: settings)
            p.seconds = clock.duration(to: .now).inSeconds
            return p
        }
    }

    static func plan(_ target: HostTarget, connector: Connector, store: BaselineStore, settings: Settings) async -> HostPlan {
        var p = HostPlan(target: target)
        let baseline: Snapshot
        do { baseline = try store.read(host: target.name) } catch {
            p.error = "no baseline to roll back to: \(error)"
            return p
        }
        switch await Capture.snapshot(target, connector: connector, settings: settings.capture, baseline: baseline) {
        case let .failure(e):
            p.error = e.description
            p.unreachable = e.unreachable
        case let .success(current):
            let plan = RollbackPlan.compute(baseline: baseline, current: current)
            p.plan = plan
            if !plan.changes.isEmpty, let manager = plan.manager {
                do {
                    p.command = try PackageTransactionCommand.command(plan.changes, manager: manager,
                                                                      tool: current.lastPackageTransaction?.tool,
                                                                      undoTransaction: plan.undoTransaction)
                } catch {
                    p.error = "\(error)"
                    p.refused = true
                }
            }
        }
        return p
    }

    /// Runs each planned host's rollback and verifies it; hosts whose plan failed are judged
    /// `not-restored` with the reason.
    public static func execute(_ plans: [HostPlan], connector: Connector, store: BaselineStore, settings: Settings,
                               parallel: Int, onDone: (@Sendable (HostVerdict) -> Void)? = nil) async -> Run {
        let started = Date()
        let clock = ContinuousClock.now
        try? FileManager.default.createDirectory(atPath: settings.folder + "/patch", withIntermediateDirectories: true)
        let byName = Dictionary(plans.map { ($0.target.name, $0) }, uniquingKeysWith: { a, _ in a })
        let results = await Fleet.run(plans.map(\.target), parallel: parallel, onDone: { (_, r: (HostVerdict, Double, Double)) in onDone?(r.0) }) { t in
            await rollBack(byName[t.name] ?? HostPlan(target: t, error: "no plan"), connector: connector, store: store, settings: settings)
        }
        var run = Run(plans: plans, verify: VerifyRun(startedAt: started, durationSeconds: clock.duration(to: .now).inSeconds,
                                                      hosts: results.map(\.0)))
        for (p, r) in zip(plans, results) { run.timings[p.target.name] = (p.seconds, r.1, r.2) }
        return run
    }

    /// One host: transaction and unit starts, restarts of what it replaced, reboot per policy,
    /// verify, verdict. Returns the verdict and the seconds of transaction and verify.
    static func rollBack(_ p: HostPlan, connector: Connector, store: BaselineStore, settings s: Settings) async -> (HostVerdict, Double, Double) {
        guard let plan = p.plan, p.error == nil else {
            var v = Differ.unchecked(host: p.target.name, error: p.error ?? "no plan")
            v.rollback = RollbackOutcome(verdict: .notRestored, details: ["not rolled back: \(p.error ?? "no plan")"])
            return (v, 0, 0)
        }
        let clock = ContinuousClock.now
        var failure: String?
        if let script = script(p.command, start: plan.start) {
            var rollout = RolloutPlan(waves: [], patchCommand: script, reboot: s.reboot, rebootTimeout: s.rebootTimeout)
            rollout.restartOutdated = true
            rollout.restartDeny = s.restartDeny
            let hs = RolloutHost.Settings(plan: rollout, capture: s.capture, pollInterval: s.pollInterval, waveFolder: s.folder)
            let outcome = await RolloutHost.run(p.target, connector: connector, settings: hs)
            failure = outcome.failure.map { f in
                f.hasPrefix("patch command failed") ? "rollback transaction failed" + f.dropFirst("patch command failed".count) : "rollback: " + f
            }
        }
        let transaction = clock.duration(to: .now).inSeconds
        let verifyClock = ContinuousClock.now
        var v = await VerifyJob.verify(p.target, connector: connector, store: store,
                                       settings: VerifyJob.Settings(capture: s.capture, settle: s.settle))
        v.rollback = plan.verdict(verify: v, failure: failure)
        return (v, transaction, verifyClock.duration(to: .now).inSeconds)
    }

    /// The host's script: the transaction (its exit status ends the script when it fails), then
    /// `systemctl start` of each unit active in the baseline and not now, one line each
    /// (`started U`, `failed to start U STATUS`). Nil when there is nothing to run.
    static func script(_ command: String?, start: [String]) -> String? {
        let units = start.filter(RestartOutdated.isUnitName)
        guard command != nil || !units.isEmpty else { return nil }
        var s = command.map { "\($0) || exit $?\n" } ?? ""
        for u in units {
            s += "if systemctl start -- \(ShellQuote.quote(u)); then echo \(ShellQuote.quote("started " + u)); "
                + "else echo \"failed to start \(u) $?\"; fi\n"
        }
        return s
    }

    /// 0 every host restored; 1 a reachable host not restored; 3 a host not reached (and none
    /// of 1); 5 every host's versions restored but something else differs.
    public static func exitStatus(_ run: VerifyRun) -> ExitStatus {
        let verdicts = run.hosts.map { ($0, $0.rollback?.verdict ?? .notRestored) }
        if verdicts.contains(where: { $0.1 == .notRestored && $0.0.error == nil }) { return .failed }
        if verdicts.contains(where: { $0.1 == .notRestored }) { return .unreachable }
        if verdicts.contains(where: { $0.1 == .restoredWithDifferences }) { return .restoredWithDifferences }
        return .ok
    }

    /// `--dry-run`: 0 every host planned; 1 a plan refused (a value outside its manager's
    /// grammar); 3 a host not planned (unreachable, no baseline) and none refused.
    public static func exitStatus(_ plans: [HostPlan]) -> ExitStatus {
        if plans.contains(where: \.refused) { return .failed }
        if plans.contains(where: { $0.error != nil }) { return .unreachable }
        return .ok
    }

    /// Hosts by verdict, not-restored first, one line each.
    public static func lines(_ run: VerifyRun) -> [String] {
        let order: [RollbackVerdict] = [.notRestored, .restoredWithDifferences, .restored]
        return order.flatMap { verdict in
            run.hosts.filter { ($0.rollback?.verdict ?? .notRestored) == verdict }
                .map { "\($0.host): \($0.rollback?.line ?? RollbackVerdict.notRestored.rawValue)" }
        }
    }
}
