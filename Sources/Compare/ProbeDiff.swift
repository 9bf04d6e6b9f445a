import Model

/// Connectivity, DNS and database probes: one checked item per probe in the current snapshot.
/// A probe only in the baseline is one the config no longer asks for: no item. A probe with no
/// baseline result cannot regress, so failing now is a warning ("…-new-…" kinds), passing is fine.
/// Latencies are volatile and never compared.
enum ProbeDiff {
    static func connectivity(_ baseline: [ConnectivityResult], _ current: [ConnectivityResult],
                             _ maker: FindingMaker) -> [CheckedItem] {
        let before = Dictionary(baseline.map { ($0.sortKey, $0) }, uniquingKeysWith: { a, _ in a })
        func ok(_ r: ConnectivityResult) -> Bool { r.reachable && r.error == nil }
        func why(_ r: ConnectivityResult) -> String { r.error.map { ": \($0)" } ?? "" }
        return current.map { c in
            let s = c.subject
            var found: [Finding] = []
            if let b = before[c.sortKey] {
                if ok(b) && !ok(c) {
                    found.append(maker.make(.connectivityLost, s, before: "reachable", after: "unreachable",
                                            "\(s) was reachable, now unreachable\(why(c))"))
                } else if !ok(b) && ok(c) {
                    found.append(maker.make(.connectivityRestored, s, before: "unreachable", after: "reachable",
                                            "\(s) was unreachable\(why(b)), now reachable"))
                }
            } else if !ok(c) {
                found.append(maker.make(.connectivityNewUnreachable, s, after: "unreachable",
                                        "\(s) is unreachable\(why(c)) (no baseline result)"))
            }
            return maker.item(.connectivity, s, found)
        }
    }

    static func dns(_ baseline: [DNSResult], _ current: [DNSResult], _ maker: FindingMaker) -> [CheckedItem] {
        let before = Dictionary(baseline.map { ($0.sortKey, $0) }, uniquingKeysWith: { a, _ in a })
        func answers(_ r: DNSResult) -> String { r.answers.joined(separator: ", ") }
        func why(_ r: DNSResult) -> String { r.error ?? "no answers" }
        return current.map { c in
            let s = c.subject
            var found: [Finding] = []
            if let b = before[c.sortKey] {
                if b.resolved && !c.resolved {
                    found.append(maker.make(.dnsUnresolvable, s, before: answers(b), after: why(c),
                                            "\(s) resolved to \(answers(b)), now fails: \(why(c))"))
                } else if !b.resolved && c.resolved {
                    found.append(maker.make(.dnsRestored, s, before: why(b), after: answers(c),
                                            "\(s) failed (\(why(b))), now resolves to \(answers(c))"))
                } else if b.resolved && c.resolved && Set(b.answers) != Set(c.answers) {
                    found.append(maker.make(.dnsAnswersChanged, s, before: answers(b), after: answers(c),
                                            "\(s) answers changed: \(answers(b)) → \(answers(c))"))
                }
            } else if !c.resolved {
                found.append(maker.make(.dnsNewUnresolvable, s, after: why(c),
                                        "\(s) does not resolve: \(why(c)) (no baseline result)"))
            }
            return maker.item(.dns, s, found)
        }
    }

    static func databases(_ baseline: [DatabaseResult], _ current: [DatabaseResult],
                          _ maker: FindingMaker) -> [CheckedItem] {
        let before = Dictionary(baseline.map { ($0.sortKey, $0) }, uniquingKeysWith: { a, _ in a })
        func ok(_ r: DatabaseResult) -> Bool { r.up && r.error == nil }
        func upText(_ r: DatabaseResult) -> String { r.version.map { "up (\($0))" } ?? "up" }
        func why(_ r: DatabaseResult) -> String { r.error ?? r.detail ?? "down" }
        return current.map { c in
            let s = c.subject
            var found: [Finding] = []
            if let b = before[c.sortKey] {
                if ok(b) && !ok(c) {
                    found.append(maker.make(.databaseDown, s, before: upText(b), after: why(c),
                                            "\(s) was \(upText(b)), now down: \(why(c))"))
                } else if !ok(b) && ok(c) {
                    found.append(maker.make(.databaseRestored, s, before: why(b), after: upText(c),
                                            "\(s) was down (\(why(b))), now \(upText(c))"))
                } else if ok(b) && ok(c), let vb = b.version, let vc = c.version, vb != vc {
                    found.append(maker.make(.databaseVersionChanged, s, before: vb, after: vc,
                                            "\(s) server version \(vb) → \(vc)"))
                }
            } else if !ok(c) {
                found.append(maker.make(.databaseNewDown, s, after: why(c),
                                        "\(s) is down: \(why(c)) (no baseline result)"))
            }
            return maker.item(.databases, s, found)
        }
    }
}
