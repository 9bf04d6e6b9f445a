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

        public init(name: String, rebooted: Bool = false, rebootReasons: [String] = [], restarted: [String] = [], failure: String? = nil) {
            self.name = name
            self.rebooted = rebooted
            self.rebootReasons = rebootReasons
            self.restarted = restarted
            self.failure = failure
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

        public init(index: Int, name: String, hosts: [Host], patched: Int, failed: Int, regressions: Int, passed: Bool) {
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
        md.append(summary.haltReason.map { "**Halted**: \(escape($0))" } ?? "**Complete**: every wave passed.")
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
        return md.joined(separator: "\n") + "\n"
    }

    /// Per host: why it was rebooted (or wanted to be), and the units restarted.
    static func hostDetails(_ w: RolloutSummary.Wave) -> [String] {
        let escape = MarkdownReport.escape
        return w.hosts.flatMap { h -> [String] in
            var out: [String] = []
            if !h.rebootReasons.isEmpty {
                out.append("\(escape(h.name)): \(h.rebooted ? "rebooted" : "reboot required") because "
                           + h.rebootReasons.map(escape).joined(separator: "; "))
            }
            if !h.restarted.isEmpty { out.append("\(escape(h.name)): restarted \(h.restarted.map(escape).joined(separator: ", "))") }
            return out
        }
    }
}
