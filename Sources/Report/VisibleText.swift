/// Makes text that came from a host safe to show in any report.
///
/// A service description, a package name or an error message is written by whoever controls the
/// host. Such text may carry terminal escapes (`\u{1B}[2J` clears the reviewer's screen), characters
/// XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF: a JUnit file containing them is rejected
/// whole by CI), or bidirectional overrides that make "nginx" display as something else.
/// Every format passes host text through ``escape(_:keepLineBreaks:)`` first, so the reader sees
/// `\u{1B}` where the escape was, and no format has to re-decide what is dangerous.
///
/// Replaced: C0 controls (U+0000–U+001F) except tab and, when asked, line breaks; DEL and the C1
/// controls (U+007F–U+009F); the non-characters U+FFFE and U+FFFF; and the bidirectional
/// formatting characters U+200E, U+200F, U+202A–U+202E, U+2066–U+2069.
/// Invalid UTF-8 is already U+FFFD by the time a String exists, and Swift Strings cannot hold a
/// lone surrogate, so neither needs handling here.
/// The notation is ambiguous with a host string that literally contains `\u{1B}`; reports are for
/// reading, and the JSON report keeps the exact original text.
enum VisibleText {
    static func escape(_ text: String, keepLineBreaks: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { isHidden($0, keepLineBreaks: keepLineBreaks) }) else {
            return text
        }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isHidden(scalar, keepLineBreaks: keepLineBreaks) {
                out.append(contentsOf: notation(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// True for the scalars ``escape(_:keepLineBreaks:)`` replaces.
    static func isHidden(_ s: Unicode.Scalar, keepLineBreaks: Bool) -> Bool {
        switch s.value {
        case 0x09: return false
        case 0x0A, 0x0D: return !keepLineBreaks
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0xFFFE, 0xFFFF: return true
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// `\u{1B}`: Swift's own notation, upper-case hex, at least two digits.
    static func notation(_ s: Unicode.Scalar) -> String {
        let hex = String(s.value, radix: 16, uppercase: true)
        return "\\u{" + (hex.count < 2 ? "0" + hex : hex) + "}"
    }

    /// One line: line breaks become a visible `⏎`, tabs a space, then hidden characters are escaped.
    /// For cells of aligned tables, where a newline would break the layout.
    static func oneLine(_ text: String) -> String {
        var t = text
        if t.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" || $0 == "\t" }) {
            t = t.replacingOccurrences(of: "\r\n", with: "\n")
                .replacingOccurrences(of: "\r", with: "\n")
                .replacingOccurrences(of: "\n", with: " ⏎ ")
                .replacingOccurrences(of: "\t", with: " ")
        }
        return escape(t)
    }

    /// ``oneLine(_:)`` cut to at most `limit` Characters, the last one `…` when something was cut.
    /// For summaries whose every part must stay short whatever the host wrote (a 10 KB banner).
    /// Only the first `limit` Characters are escaped: escaping never shortens text, so they are
    /// enough to fill the limit.
    static func clipped(_ text: String, _ limit: Int) -> String {
        let limit = max(1, limit)
        let end = text.index(text.startIndex, offsetBy: limit, limitedBy: text.endIndex) ?? text.endIndex
        let shown = oneLine(String(text[..<end]))
        if shown.count <= limit, end == text.endIndex { return shown }
        return String(shown.prefix(limit - 1)) + "…"
    }
}
