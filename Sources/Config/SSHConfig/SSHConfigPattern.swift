/// ssh_config PATTERNS: `*` (any run of characters) and `?` (one character), nothing else,
/// compared byte by byte like OpenSSH's match.c.
enum SSHPattern {
    /// Whether `text` matches `pattern`. Case-sensitive, as ssh's match_pattern is: `Host`
    /// lines compare the name exactly as typed (`ssh -G SERVER1` does not match `Host server1`).
    static func matches(_ text: String, _ pattern: String) -> Bool {
        matches(Array(text.utf8), Array(pattern.utf8))
    }

    /// Greedy matching with one backtrack point (the last `*`): the same answers as ssh's
    /// recursive matcher for `*`/`?` patterns, in linear-ish time on hostile input.
    static func matches(_ s: [UInt8], _ p: [UInt8]) -> Bool {
        var si = 0, pi = 0
        var star: Int? = nil, mark = 0
        while si < s.count {
            if pi < p.count, p[pi] == 0x3F || p[pi] == s[si] && p[pi] != 0x2A {
                si += 1
                pi += 1
            } else if pi < p.count, p[pi] == 0x2A {
                star = pi
                mark = si
                pi += 1
            } else if let st = star {
                pi = st + 1
                mark += 1
                si = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == 0x2A { pi += 1 }
        return pi == p.count
    }

    enum ListResult: Equatable { case negative, none, positive }

    /// ssh's match_pattern_list: comma-separated patterns, each may be negated with `!`;
    /// a matching negated entry wins over everything. `lowercase` folds pattern and text
    /// (Match host/originalhost); Match user/localuser compare exactly.
    static func matchList(_ text: String, _ list: String, lowercase: Bool) -> ListResult {
        let subject = Array((lowercase ? asciiLower(text) : text).utf8)
        let bytes = Array(list.utf8)
        var positive = false
        var i = 0
        while i < bytes.count {
            let negated = bytes[i] == 0x21
            if negated { i += 1 }
            var sub: [UInt8] = []
            while i < bytes.count, bytes[i] != 0x2C {
                sub.append(bytes[i])
                i += 1
            }
            if i < bytes.count { i += 1 }  // the comma
            // ssh copies each entry into a 1024-byte buffer and gives up on longer ones.
            if sub.count >= 1023 { return .none }
            if lowercase { sub = sub.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 } }
            if matches(subject, sub) {
                if negated { return .negative }
                positive = true
            }
        }
        return positive ? .positive : .none
    }

    /// ASCII-only lowercasing, as C's tolower in the C locale: ssh never folds other letters.
    static func asciiLower(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}
