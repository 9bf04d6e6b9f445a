/// One non-blank line of an ssh_config file, split the way OpenSSH's readconf.c splits it.
struct SSHConfigLine: Sendable, Equatable {
    /// The keyword lowercased (keywords are case-insensitive), e.g. `hostname`.
    var keyword: String
    /// The keyword as written, for messages about unknown keywords.
    var spelled: String
    /// The arguments: quotes removed, backslash escapes applied, a `#` comment dropped.
    var args: [String]
    /// The rest of the line after the keyword and its separator, untouched: ProxyCommand
    /// and ProxyJump take it whole, as ssh does, quotes and all.
    var raw: String
}

/// Splits lines byte by byte, because ssh does: a config may hold any bytes and must not
/// crash the parser, and ssh's quoting rules are defined on bytes, not on characters.
enum SSHConfigTokenizer {
    enum Outcome: Equatable {
        case blank
        case line(SSHConfigLine)
        case problem(String)
    }

    private static let space: Set<UInt8> = [0x20, 0x09, 0x0D, 0x0A]  // " \t\r\n", ssh's WHITESPACE
    private static let quote: UInt8 = 0x22
    private static let equals: UInt8 = 0x3D
    private static let hash: UInt8 = 0x23

    static func split(_ text: String) -> Outcome { split(Array(text.utf8)) }

    /// One line's bytes, without its newline.
    static func split(_ line: [UInt8]) -> Outcome {
        var bytes = line
        // ssh reads lines as C strings: nothing after a NUL byte exists for it.
        if let nul = bytes.firstIndex(of: 0) { bytes.removeSubrange(nul...) }
        // Trailing whitespace and form feeds go, as in process_config_line.
        while let last = bytes.last, space.contains(last) || last == 0x0C { bytes.removeLast() }
        if bytes.isEmpty { return .blank }

        var pos: Int? = 0
        guard var keyword = delimit(bytes, &pos) else { return .problem("unbalanced quote in keyword") }
        if keyword.isEmpty {
            // Leading whitespace yields an empty first token; the keyword is the next one.
            guard let next = delimit(bytes, &pos) else { return .problem("unbalanced quote in keyword") }
            keyword = next
        }
        if keyword.isEmpty || keyword.first == hash { return .blank }

        var rest = pos.map { Array(bytes[$0...]) } ?? []
        while let first = rest.first, space.contains(first) { rest.removeFirst() }
        let spelled = String(decoding: keyword, as: UTF8.self)
        if rest.isEmpty { return .problem("no argument after keyword \"\(spelled)\"") }
        guard let args = argv(rest) else { return .problem("unbalanced quotes") }
        var raw = rest[...]
        while let first = raw.first, space.contains(first) || first == equals { raw = raw.dropFirst() }
        let lowered = keyword.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        return .line(SSHConfigLine(keyword: String(decoding: lowered, as: UTF8.self), spelled: spelled,
                                   args: args.map { String(decoding: $0, as: UTF8.self) },
                                   raw: String(decoding: raw, as: UTF8.self)))
    }

    /// ssh's strdelim: the next token up to whitespace, a quote or one `=`; a quoted token
    /// runs to the next quote. `nil` for an unmatched quote. `pos` becomes nil at the end.
    private static func delimit(_ bytes: [UInt8], _ pos: inout Int?) -> [UInt8]? {
        guard let start = pos else { return nil }
        guard let stop = bytes[start...].firstIndex(where: { space.contains($0) || $0 == quote || $0 == equals })
        else {
            pos = nil
            return Array(bytes[start...])
        }
        if bytes[stop] == quote {
            guard let close = bytes[(stop + 1)...].firstIndex(of: quote) else { return nil }
            pos = skipSpace(bytes, from: close + 1)
            return Array(bytes[start..<stop]) + Array(bytes[(stop + 1)..<close])
        }
        let wasEquals = bytes[stop] == equals
        var next = skipSpace(bytes, from: stop + 1)
        // `Key = Value`: one `=` surrounded by whitespace is a separator too.
        if !wasEquals, next < bytes.count, bytes[next] == equals { next = skipSpace(bytes, from: next + 1) }
        pos = next
        return Array(bytes[start..<stop])
    }

    private static func skipSpace(_ bytes: [UInt8], from index: Int) -> Int {
        var i = index
        while i < bytes.count, space.contains(bytes[i]) { i += 1 }
        return i
    }

    /// ssh's argv_split: whitespace-separated words, `"` or `'` quoting (also mid-word),
    /// `\` escaping a quote, a backslash or (outside quotes) a space, `#` at a word start
    /// ending the line. `nil` when a quote is left open.
    static func argv(_ bytes: [UInt8]) -> [[UInt8]]? {
        var words: [[UInt8]] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x20 || b == 0x09 { i += 1; continue }
            if b == hash { break }
            var word: [UInt8] = []
            var open: UInt8 = 0
            while i < bytes.count {
                let c = bytes[i]
                if c == 0x5C, i + 1 < bytes.count,
                   [quote, 0x27, 0x5C].contains(bytes[i + 1]) || (open == 0 && bytes[i + 1] == 0x20) {
                    word.append(bytes[i + 1])
                    i += 2
                    continue
                }
                if open == 0, c == 0x20 || c == 0x09 { break }
                if open == 0, c == quote || c == 0x27 {
                    open = c
                } else if open != 0, c == open {
                    open = 0
                } else {
                    word.append(c)
                }
                i += 1
            }
            if open != 0 { return nil }
            words.append(word)
        }
        return words
    }
}
