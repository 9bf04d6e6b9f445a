/// "Did you mean" for names the user typed: the point of strict keys is to turn a typo
/// into an error, and the error is only kind if it names the intended word.
enum Suggestion {
    /// The closest of `candidates` to `typed`, if close enough to be a plausible typo.
    /// Spelling variants (`knownHosts`, `known-hosts`) always match `known_hosts`.
    static func closest(to typed: String, in candidates: [String]) -> String? {
        let folded = fold(typed)
        if let same = candidates.first(where: { fold($0) == folded }) { return same }
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let d = distance(folded, fold(candidate))
            let allowed = max(1, min(3, candidate.count / 3))
            if d <= allowed, d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        return best?.name
    }

    /// " (did you mean 'x'?)" or "; known: a, b, c" - the tail of an unknown-name message.
    static func hint(for typed: String, in candidates: [String], listName: String = "known keys") -> String {
        if let near = closest(to: typed, in: candidates) { return " (did you mean '\(near)'?)" }
        if candidates.isEmpty { return "" }
        return "; \(listName): \(candidates.joined(separator: ", "))"
    }

    private static func fold(_ s: String) -> String {
        String(s.lowercased().filter { $0 != "_" && $0 != "-" })
    }

    /// Optimal string alignment distance: edits plus adjacent transpositions ("nmae").
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}
