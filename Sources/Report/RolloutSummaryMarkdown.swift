import Foundation
import Model

/// What `summary.md` of a rollout's run folder says: plain values Engine fills from its rollout
/// report, so the rendering lives here with the other Markdown and Report needs no Engine.
public struct RolloutSummary: Sendable, Equatable {
    public struct Host: Sendable, Equatable {
        public var name: String
        public var rebooted: Bool
        /// Why the host was rebooted, or wanted to be.
        public var rebootReasons: [String]
        /// Units restarted by `--restart-outdated`.
        public var restarted: [String]
        /// Why the host failed before verify, nil when it reached verify.
        public var failure: String?
        /// What keeps the patch from being in effect after the run (empty: in effect; nil: not looked at).
        public var notInEffect: [String]?
        /// `--on-halt rollback`: the host's rollback verdict; nil when it was not rolled back.
        public var rollback: RollbackOutcome?

        public init(name: String, rebooted: Bool = false, rebootReasons: [String] = [], restarted: [String] = [], failure: String? = nil,
                    notInEffect: [String]? = nil, rollback: RollbackOutcome? = nil) {
            self.rollback = rollback
            self.name = name
            self.rebooted = rebooted
            self.rebootReasons = rebootReasons
            self.restarted = restarted
            self.failure = failure
            self.notInEffect = notInEffect
        }
    }

    public struct Wave: Sendable, Equatable {
        public var index: Int
        public var name: String
        public var hosts: [Host]
        public var patched: Int
        /// Hosts failed before verify plus hosts verify could not check.
        public var failed: Int
        public var regressions: Int
        public var passed: Bool
        /// The rollback preflight's warnings before the patch, "host: message".
        public var rollbackUnavailable: [String]

        public init(index: Int, name: String, hosts: [Host], patched: Int, failed: Int, regressions: Int, passed: Bool,
                    rollbackUnavailable: [String] = []) {
            self.rollbackUnavailable = rollbackUnavailable
            self.index = index
            self.name = name
            self.hosts = hosts
            self.patched = patched
            self.failed = failed
            self.regressions = regressions
            self.passed = passed
        }
    }

    public var startedAt: Date
    public var waves: [Wave]
    /// Waves of the plan never started because the rollout halted.
    public var skipped: [String]
    public var haltReason: String?

    public init(startedAt: Date, waves: [Wave], skipped: [String], haltReason: String?) {
        self.startedAt = startedAt
        self.waves = waves
        self.skipped = skipped
        self.haltReason = haltReason
    }
}

/// `summary.md`: the outcome, one table row per wave, then reboots, restarts and failed hosts.
/// Every name and message goes through ``MarkdownReport/escape(_:)``, as in every other
/// Markdown file: a `|` or a line break in a host, unit or failure can't add a column or a row.
public enum RolloutSummaryMarkdown {
    public static func render(_ summary: RolloutSummary) -> String {
        let escape = MarkdownReport.escape
        var md = ["# Rollout \(ISO8601.string(summary.startedAt))", ""]
        let left = summary.waves.flatMap { w in
            w.hosts.compactMap { h in h.notInEffect.flatMap { $0.isEmpty || h.failure != nil ? nil : (h.name, $0) } }
        }
        if let halt = summary.haltReason {
            md.append("**Halted**: \(escape(halt))")
        } else if left.isEmpty {
            md.append("**Complete**: every wave passed.")
        } else {
            // Passed is not done: the patch is installed but not running everywhere.
            md.append("**Complete, patch not in effect on \(left.count) host\(left.count == 1 ? "" : "s")**: every wave passed, but "
                      + left.map { "\(escape($0.0)): \($0.1.map(escape).joined(separator: "; "))" }.joined(separator: "; ") + ".")
        }
        md += ["", "| wave | hosts | patched | rebooted | failed | regressions | verdict |", "| --- | --- | --- | --- | --- | --- | --- |"]
        for w in summary.waves {
            let hosts = w.hosts.map { escape($0.name) }.joined(separator: ", ")
            md.append("| \(w.index) \(escape(w.name)) | \(hosts) | \(w.patched) | \(w.hosts.filter(\.rebooted).count) | \(w.failed) "
                      + "| \(w.regressions) | \(w.passed ? "passed" : "halted") |")
        }
        for name in summary.skipped { md.append("| \(escape(name)) | | | | | | not started |") }
        let details = summary.waves.flatMap { w in hostDetails(w).map { "- wave \(escape(w.name)), \($0)" } }
        if !details.isEmpty { md += ["", "## Reboots and restarts", ""] + details }
        let failures = summary.waves.flatMap { w in
            w.hosts.compactMap { h in h.failure.map { "- wave \(escape(w.name)), \(escape(h.name)): \(escape($0))" } }
        }
        if !failures.isEmpty { md += ["", "## Failed hosts", ""] + failures }
        let unrollbackable = summary.waves.flatMap { w in w.rollbackUnavailable.map { "- wave \(escape(w.name)), \(escape($0))" } }
        if !unrollbackable.isEmpty { md += ["", "## Cannot be rolled back (preflight, before the patch)", ""] + unrollbackable }
        // --on-halt rollback: hosts not restored first.
        let rolledBack = summary.waves.flatMap { w in w.hosts.compactMap { h in h.rollback.map { (w.name, h.name, $0) } } }
        if !rolledBack.isEmpty {
            md += ["", "## Rolled back", ""]
            for verdict in [RollbackVerdict.notRestored, .restoredWithDifferences, .restored] {
                for (wave, host, r) in rolledBack where r.verdict == verdict {
                    md.append("- wave \(escape(wave)), \(escape(host)): **\(r.verdict.rawValue)**"
                              + (r.details.isEmpty ? "" : ": " + r.details.map(escape).joined(separator: "; ")))
                }
            }
        }
        return md.joined(separator: "\n") + "\n"
    }

    /// Per host: rebooted (and why), or whether the patch is in effect after the restarts (and
    /// what is left when it is not); as the rollout's wave line says it.
    static func hostDetails(_ w: RolloutSummary.Wave) -> [String] {
        let escape = MarkdownReport.escape
        return w.hosts.flatMap { h -> [String] in
            var out: [String] = []
            let name = escape(h.name)
            let restarted = h.restarted.isEmpty ? ""
                : "restarted \(h.restarted.count) unit\(h.restarted.count == 1 ? "" : "s") (\(h.restarted.map(escape).joined(separator: ", ")))"
            if let left = h.notInEffect {
                if h.rebooted {
                    out.append("\(name): rebooted" + (h.rebootReasons.isEmpty ? "" : " because " + h.rebootReasons.map(escape).joined(separator: "; ")))
                } else {
                    out.append("\(name): " + (left.isEmpty ? "in effect: " + (restarted.isEmpty ? "nothing runs replaced code" : restarted)
                                                         : "patch not in effect: " + left.map(escape).joined(separator: "; ")
                                                             + (restarted.isEmpty ? "" : " (\(restarted))")))
                }
            } else {
                // Not looked at after the patch (no capture): what was done, as before.
                if !h.rebootReasons.isEmpty {
                    out.append("\(name): \(h.rebooted ? "rebooted" : "reboot required") because " + h.rebootReasons.map(escape).joined(separator: "; "))
                }
                if !h.restarted.isEmpty { out.append("\(name): restarted \(h.restarted.map(escape).joined(separator: ", "))") }
            }
            return out
        }
    }
}
