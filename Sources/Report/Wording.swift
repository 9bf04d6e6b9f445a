import Model
import Foundation

/// Small wording helpers shared by the text formats, so counts and durations read the same everywhere.
enum Wording {
    /// "1 regression", "2 regressions"; `plural` defaults to `singular + "s"`.
    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? singular : plural ?? singular + "s")
    }

    /// "0.4 s", "12 s", "3 min 5 s": precise enough for a human, never "12.348291 s".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        if seconds < 10 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \(whole % 3600 / 60) min"
    }

    /// "0.8 ms": a probe's latency, "–" when not a number.
    static func milliseconds(_ value: Double) -> String {
        value.isFinite ? String(format: "%.1f ms", value) : "–"
    }

    /// A decimal string for machine formats: three fraction digits, non-finite or negative as 0.
    static func seconds(_ seconds: Double) -> String {
        String(format: "%.3f", seconds.isFinite && seconds > 0 ? seconds : 0)
    }

    /// "before → after" when both sides are known, "→ after" or "before →" otherwise, nil when neither is.
    static func change(_ before: String?, _ after: String?) -> String? {
        switch (before, after) {
        case (nil, nil): return nil
        case let (b?, a?): return "\(b) → \(a)"
        case let (b?, nil): return "\(b) → (gone)"
        case let (nil, a?): return "(new) → \(a)"
        }
    }

    /// "explained by libssl3 3.0.11-1 → 3.0.13-1" or "not explained by the patch"; nil when
    /// unknown (the capture read no package log).
    static func explanation(_ f: Finding) -> String? {
        guard let by = f.explainedBy else { return nil }
        if by.isEmpty { return "not explained by the patch" }
        let shown = by.prefix(3).joined(separator: "; ")
        return "explained by " + shown + (by.count > 3 ? "; and \(by.count - 3) more" : "")
    }

    /// Findings in review order: within each severity, those the patch does not explain first
    /// (a reviewer looks at them first); otherwise as given.
    static func reviewOrder(_ findings: [Finding]) -> [Finding] {
        findings.filter(\.unexplained) + findings.filter { !$0.unexplained }
    }
}
