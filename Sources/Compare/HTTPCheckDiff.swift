import Model

/// Declared HTTP checks: one checked item per check of the current snapshot (category http,
/// subject "name (url)"). A failed expectation is a regression on its own, baseline or not;
/// a check that passes both times but answers with another status or redirect is a warning.
/// A check only in the baseline is one the config no longer declares: no item. Latency is volatile.
enum HTTPCheckDiff {
    static func items(baseline: [HTTPCheckResult], current: [HTTPCheckResult], maker: FindingMaker) -> [CheckedItem] {
        let before = Dictionary(baseline.map { ($0.subject, $0) }, uniquingKeysWith: { a, _ in a })
        return current.map { c in
            var found: [Finding] = []
            if let failure = failure(c, baseline: before[c.subject], maker: maker) {
                found.append(failure)
            } else if let b = before[c.subject], b.passed, let change = change(b, c, maker: maker) {
                found.append(change)
            }
            return maker.item(.http, c.subject, found)
        }
    }

    /// The items of one snapshot alone (a baseline run): each check, with `http-check-failed`
    /// when its expectations failed.
    static func failures(current: [HTTPCheckResult], maker: FindingMaker) -> [CheckedItem] {
        current.map { c in maker.item(.http, c.subject, failure(c, baseline: nil, maker: maker).map { [$0] } ?? []) }
    }

    /// "health (https://web1/health) failed: status 502, expected 200 (and 1 more)".
    static func failure(_ c: HTTPCheckResult, baseline b: HTTPCheckResult?, maker: FindingMaker) -> Finding? {
        guard let first = c.failed.first else { return nil }
        let more = c.failed.count > 1 ? " (and \(c.failed.count - 1) more)" : ""
        let before = b.map { $0.passed ? answer($0) : "failed: " + ($0.failed.first ?? "") }
        return maker.make(.httpCheckFailed, c.subject, before: before, after: c.failed.joined(separator: "; "),
                          "http check \(c.name) (\(c.url)) failed: \(first)\(more)")
    }

    /// Status or redirect target differ while both pass.
    static func change(_ b: HTTPCheckResult, _ c: HTTPCheckResult, maker: FindingMaker) -> Finding? {
        guard b.status != c.status || b.location != c.location else { return nil }
        return maker.make(.httpCheckChanged, c.subject, before: answer(b), after: answer(c),
                          "http check \(c.name) (\(c.url)) still passes, answer changed: \(answer(b)) → \(answer(c))")
    }

    /// "status 200", "status 302 to /login".
    static func answer(_ r: HTTPCheckResult) -> String {
        let status = r.status.map { "status \($0)" } ?? "no status"
        return r.location.map { "\(status) to \($0)" } ?? status
    }
}
