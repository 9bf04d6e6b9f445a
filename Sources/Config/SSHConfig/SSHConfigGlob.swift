/// Include patterns, expanded like glob(3) does for ssh: `*`, `?` and `[...]` in any path
/// component, hidden files only when the pattern names the dot, results in byte order.
/// Directory listing is injected so tests need no files on disk.
enum SSHConfigGlob {
    static func hasMagic(_ text: String) -> Bool {
        var escaped = false
        for byte in text.utf8 {
            if escaped { escaped = false; continue }
            if byte == 0x5C { escaped = true; continue }
            if byte == 0x2A || byte == 0x3F || byte == 0x5B { return true }
        }
        return false
    }

    /// The paths `pattern` names. A pattern without wildcards comes back as is (whether
    /// the file exists is up to the reader); with wildcards, only listed entries that match.
    static func expand(_ pattern: String, listDirectory: (String) -> [String]?) -> [String] {
        guard hasMagic(pattern) else { return [unescape(pattern)] }
        var paths = [pattern.hasPrefix("/") ? "/" : ""]
        for component in pattern.split(separator: "/") {
            let part = String(component)
            if !hasMagic(part) {
                paths = paths.map { join($0, unescape(part)) }
                continue
            }
            let compiled = Array(part.utf8)
            var next: [String] = []
            for dir in paths {
                guard let names = listDirectory(dir.isEmpty ? "." : dir) else { continue }
                for name in names where matches(Array(name.utf8), compiled) {
                    next.append(join(dir, name))
                }
            }
            paths = next
            if paths.isEmpty { break }
        }
        return paths.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    private static func join(_ dir: String, _ name: String) -> String {
        dir.isEmpty ? name : dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }

    private static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var out: [UInt8] = []
        var escaped = false
        for byte in text.utf8 {
            if !escaped, byte == 0x5C { escaped = true; continue }
            escaped = false
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// fnmatch(3) with FNM_PERIOD for one path component.
    static func matches(_ name: [UInt8], _ p: [UInt8]) -> Bool {
        if name.first == 0x2E, p.first != 0x2E { return false }  // hidden files need an explicit dot
        var ni = 0, pi = 0
        var star: Int? = nil, mark = 0
        while ni < name.count {
            if pi < p.count, p[pi] == 0x2A {
                star = pi
                mark = ni
                pi += 1
                continue
            }
            if pi < p.count, let step = single(p, pi, name[ni]) {
                if step.ok {
                    ni += 1
                    pi = step.next
                    continue
                }
            }
            guard let st = star else { return false }
            pi = st + 1
            mark += 1
            ni = mark
        }
        while pi < p.count, p[pi] == 0x2A { pi += 1 }
        return pi == p.count
    }

    /// Matches one pattern element (not `*`) at `pi` against `c`: whether it matched and where
    /// the next element starts.
    private static func single(_ p: [UInt8], _ pi: Int, _ c: UInt8) -> (ok: Bool, next: Int)? {
        switch p[pi] {
        case 0x3F: return (true, pi + 1)
        case 0x5C where pi + 1 < p.count: return (p[pi + 1] == c, pi + 2)
        case 0x5B:
            if let result = bracket(p, pi, c) { return result }
            return (c == 0x5B, pi + 1)  // no closing ']': a literal '['
        default: return (p[pi] == c, pi + 1)
        }
    }

    /// A `[...]` class: `!` or `^` negates, `a-z` ranges, a leading `]` is literal.
    private static func bracket(_ p: [UInt8], _ start: Int, _ c: UInt8) -> (ok: Bool, next: Int)? {
        var i = start + 1
        var negate = false
        if i < p.count, p[i] == 0x21 || p[i] == 0x5E {
            negate = true
            i += 1
        }
        var found = false
        var first = true
        while i < p.count {
            if p[i] == 0x5D, !first { return (found != negate, i + 1) }
            first = false
            var low = p[i]
            if low == 0x5C, i + 1 < p.count {
                i += 1
                low = p[i]
            }
            if i + 2 < p.count, p[i + 1] == 0x2D, p[i + 2] != 0x5D {
                if low <= c && c <= p[i + 2] { found = true }
                i += 3
            } else {
                if low == c { found = true }
                i += 1
            }
        }
        return nil
    }
}
