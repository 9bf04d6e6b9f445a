/// How Ansible's INI plugin reads a host line and a value: the line is split like Python's
/// `shlex.split(line, comments=True)` (quotes, backslashes, `#` to the end of the line even
/// inside a word), and each value goes through `ast.literal_eval`, of which only what matters for
/// the connection keys is kept: integers, quoted strings and `None`.
enum InventoryINIValues {
    struct Unbalanced: Error {
        var message: String
    }

    static func shellWords(_ line: Substring) throws -> [String] {
        enum Quote { case none, single, double }
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote = Quote.none
        var index = line.startIndex
        scan: while index < line.endIndex {
            let c = line[index]
            index = line.index(after: index)
            switch quote {
            case .single:
                if c == "'" { quote = .none } else { word.append(c) }
            case .double:
                if c == "\"" {
                    quote = .none
                } else if c == "\\", index < line.endIndex, line[index] == "\"" || line[index] == "\\" {
                    word.append(line[index])
                    index = line.index(after: index)
                } else {
                    word.append(c)
                }
            case .none:
                if c == " " || c == "\t" || c == "\r" || c == "\n" {
                    if inWord { words.append(word) }
                    word = ""
                    inWord = false
                } else if c == "#" {
                    break scan
                } else if c == "\\" {
                    guard index < line.endIndex else { throw Unbalanced(message: "a '\\' ends the line") }
                    word.append(line[index])
                    index = line.index(after: index)
                    inWord = true
                } else if c == "'" {
                    quote = .single
                    inWord = true
                } else if c == "\"" {
                    quote = .double
                    inWord = true
                } else {
                    word.append(c)
                    inWord = true
                }
            }
        }
        if quote != .none { throw Unbalanced(message: "a quote is not closed") }
        if inWord { words.append(word) }
        return words
    }

    /// A value after `=`: an integer, a quoted Python string, `None`, or else the text as written.
    /// `vars` sections are not shell-split, so there a trailing `# comment` after a literal is
    /// dropped, as Python's parser drops it; after a bare word it stays part of the value.
    static func literal(_ raw: String) -> InventoryValue {
        if let value = strictLiteral(raw.trimmingWhitespace) { return value }
        if let hash = raw.firstIndex(of: "#"), let value = strictLiteral(String(raw[..<hash]).trimmingWhitespace) {
            return value
        }
        return .string(raw)
    }

    private static func strictLiteral(_ s: String) -> InventoryValue? {
        if s == "None" { return .null }
        var digits = Substring(s)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        if !digits.isEmpty, digits.count <= 18, digits.allSatisfy(\.isASCIIDigit), let n = Int(s) {
            return .int(n)
        }
        if s.count >= 2, let q = s.first, q == "'" || q == "\"", s.last == q {
            let inner = s.dropFirst().dropLast()
            if !inner.contains(q), !inner.contains("\\") { return .string(String(inner)) }
        }
        return nil
    }
}
