import Foundation
import Model
import Report

/// What happened to one host of a wave before verify: a failure stops the host there.
public struct RolloutHostOutcome: Sendable, Equatable {
    public var host: String
    /// The patch command ran and exited 0.
    public var patched: Bool
    public var rebooted: Bool
    /// Why the host failed (baseline, patch, reboot), nil when it reached verify.
    public var failure: String?
    /// True when the failure is the host being unreachable (exit code 3 when nothing else failed).
    public var unreachable: Bool
    /// Why the host wanted a reboot after the patch (see ``SystemFacts/rebootReasons``).
    public var rebootReasons: [String] = []
    /// Units restarted by `--restart-outdated`.
    public var restarted: [String] = []
    /// What keeps the patch from being in effect after this run's restarts and reboot (see
    /// ``RestartOutdated/notInEffect(_:deny:)``): empty when it is in effect (rebooted, or
    /// nothing left running replaced code); nil when the run did not look (no capture after the
    /// patch: neither `--reboot if-required` nor `--restart-outdated`).
    public var notInEffect: [String]?

    public init(host: String, patched: Bool = false, rebooted: Bool = false, failure: String? = nil, unreachable: Bool = false) {
        self.host = host
        self.patched = patched
        self.rebooted = rebooted
        self.failure = failure
        self.unreachable = unreachable
    }
}

/// One wave's result: per-host outcomes, the verify run, the halt reason if it stopped here.
public struct RolloutWaveReport: Sendable {
    /// A host's rollback verdict (`--on-halt rollback`), nil when it was not rolled back.
    public func rollbackOutcome(_ host: String) -> RollbackOutcome? {
        rollback?.hosts.first { $0.host == host }?.rollback
    }

    public var index: Int
    public var name: String
    public var hosts: [RolloutHostOutcome]
    /// Nil when the wave never reached verify (pre-command failed, no host patched).
    public var verify: VerifyRun?
    public var haltReason: String?
    /// The wave's folder in the run folder.
    public var folder: String
    public var durationSeconds: Double

    public var patched: Int { hosts.filter(\.patched).count }
    /// Hosts failed before verify, plus hosts verify could not check.
    public var failed: Int { hosts.filter { $0.failure != nil }.count + (verify?.unchecked ?? 0) }
    public var regressions: Int { verify?.count(.regression) ?? 0 }
    public var passed: Bool { haltReason == nil }
    /// Failed hosts that were reachable: patch command non-zero, reboot timeout, a write error.
    public var hardFailures: Int { hosts.filter { $0.failure != nil && !$0.unreachable }.count }
    /// The control-machine command before the wave failed: nothing of the wave was patched.
    public var preCommandFailed = false
    /// The rollback preflight before the patch: "host: message" for each pending update that
    /// could not be rolled back (``RollbackPreflightDiff``).
    public var rollbackUnavailable: [String] = []
    /// `--on-halt rollback`: the halted wave's patched hosts rolled back and verified, each
    /// verdict in ``HostVerdict/rollback``. Nil when nothing was rolled back.
    public var rollback: VerifyRun?
}

/// The whole rollout: waves run (in order), where and why it halted, the run folder.
public struct RolloutReport: Sendable {
    public var runFolder: String
    public var startedAt: Date
    public var waves: [RolloutWaveReport]
    /// Waves of the plan never started because the rollout halted.
    public var skipped: [String]
    public var haltReason: String?
    /// Report or log files that could not be written, one line each.
    public var ioErrors: [String]

    public var halted: Bool { haltReason != nil }

    /// 1 halted on regressions or failures; 3 only unreachable hosts (halted or not); 4 a run
    /// file could not be written; else 0.
    public var exitStatus: ExitStatus {
        if waves.contains(where: { $0.regressions > 0 || $0.hardFailures > 0 || $0.preCommandFailed }) { return .failed }
        if waves.contains(where: { $0.failed > 0 }) { return .unreachable }
        if halted { return .failed }
        if !ioErrors.isEmpty { return .localIO }
        return .ok
    }

    /// One line per wave, for stdout.
    public func lines() -> [String] {
        var out = waves.map(Self.line)
        for name in skipped { out.append("wave \(name): not started (rollout halted)") }
        if let haltReason { out.append("rollout halted: \(haltReason)") } else { out.append(Self.complete(waves)) }
        return out
    }

    public static func line(_ w: RolloutWaveReport) -> String {
        let restarted = w.hosts.reduce(0) { $0 + $1.restarted.count }
        return "wave \(w.index) \(w.name): \(w.passed ? "PASSED" : "HALTED")  \(plural(w.hosts.count, "host")), \(w.patched) patched, \(w.hosts.filter(\.rebooted).count) rebooted, "
            + (restarted > 0 ? "\(plural(restarted, "unit")) restarted, " : "")
            + "\(w.failed) failed, \(plural(w.regressions, "regression")) in \(String(format: "%.1f", w.durationSeconds)) s"
            + hostDetails(w).map { "\n  " + $0 }.joined()
            + w.rollbackUnavailable.map { "\n  warning (before the patch) \($0)" }.joined()
            + (w.rollback.map { RollbackJob.lines($0).map { "\n  rollback " + $0 }.joined() } ?? "")
    }

    /// Per host: rebooted (and why), or whether the patch is in effect after the restarts
    /// (and what is left when it is not).
    static func hostDetails(_ w: RolloutWaveReport) -> [String] {
        w.hosts.flatMap { h -> [String] in
            var out: [String] = []
            let restarted = h.restarted.isEmpty ? "" : "restarted \(plural(h.restarted.count, "unit")) (\(h.restarted.joined(separator: ", ")))"
            if let left = h.notInEffect {
                if h.rebooted {
                    out.append("\(h.host): rebooted" + (h.rebootReasons.isEmpty ? "" : " because \(h.rebootReasons.joined(separator: "; "))"))
                } else {
                    out.append("\(h.host): " + (left.isEmpty ? "in effect: " + (restarted.isEmpty ? "nothing runs replaced code" : restarted)
                                                              : "patch not in effect: \(left.joined(separator: "; "))"
                                                                  + (restarted.isEmpty ? "" : " (\(restarted))")))
                }
            } else {
                // Not looked at after the patch (no capture): what was done, as before.
                if !h.rebootReasons.isEmpty {
                    out.append("\(h.host): \(h.rebooted ? "rebooted" : "reboot required") because \(h.rebootReasons.joined(separator: "; "))")
                }
                if !h.restarted.isEmpty { out.append("\(h.host): restarted \(h.restarted.joined(separator: ", "))") }
            }
            return out
        }
    }

    /// Hosts the patch is not in effect on when the run ended, with what is left, in wave order.
    static func notInEffect(_ waves: [RolloutWaveReport]) -> [(host: String, left: [String])] {
        waves.flatMap { $0.hosts.compactMap { h in h.notInEffect.flatMap { $0.isEmpty || h.failure != nil ? nil : (h.host, $0) } } }
    }

    /// The closing line of a rollout that did not halt (failed hosts within --max-failures named;
    /// hosts the patch is not in effect on named with what is left).
    public static func complete(_ waves: [RolloutWaveReport]) -> String {
        let failed = waves.reduce(0) { $0 + $1.failed }
        let left = notInEffect(waves)
        return "rollout complete: \(plural(waves.count, "wave")) passed" + (failed == 0 ? "" : ", \(plural(failed, "host")) failed within --max-failures")
            + (left.isEmpty ? "" : ", patch not in effect on \(plural(left.count, "host")): "
                + left.map { "\($0.host) (\($0.left.joined(separator: "; ")))" }.joined(separator: ", "))
    }

    /// What summary.md of the run folder says (Report renders it: ``RolloutSummaryMarkdown``).
    public var summary: RolloutSummary {
        let waves = waves.map { w in
            RolloutSummary.Wave(index: w.index, name: w.name,
                                hosts: w.hosts.map { RolloutSummary.Host(name: $0.host, rebooted: $0.rebooted, rebootReasons: $0.rebootReasons,
                                                                         restarted: $0.restarted, failure: $0.failure,
                                                                         notInEffect: $0.notInEffect,
                                                                         rollback: w.rollbackOutcome($0.host)) },
                                patched: w.patched, failed: w.failed, regressions: w.regressions, passed: w.passed,
                                rollbackUnavailable: w.rollbackUnavailable)
        }
        return RolloutSummary(startedAt: startedAt, waves: waves, skipped: skipped, haltReason: haltReason)
    }
}

/// "1 host", "2 hosts".
func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
