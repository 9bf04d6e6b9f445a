/// Turns server-provided bytes into text safe to store in a snapshot and print in a report:
/// printable only, one line, bounded. A hostile or broken server cannot inject terminal escapes,
/// newlines that forge report lines, or megabytes of text.
enum Sanitize {
    static let defaultLimit = 200

    /// Decodes as UTF-8 (invalid sequences become U+FFFD, then '.'), replaces every control or
    /// format character with '.', trims spaces, caps at `limit` characters with a trailing "…".
    static func text(_ bytes: some Collection<UInt8>, limit: Int = defaultLimit) -> String {
        text(String(decoding: Array(bytes.prefix(limit * 4)), as: UTF8.self), limit: limit)
    }

    /// `trim: false` keeps leading and trailing spaces (quoting a configured prefix such as "220 ").
    static func text(_ string: String, limit: Int = defaultLimit, trim: Bool = true) -> String {
        var out = String.UnicodeScalarView()
        var count = 0
        var truncated = false
        for scalar in string.unicodeScalars {
            if count == limit { truncated = true; break }
            out.append(isPrintable(scalar) ? scalar : ".")
            count += 1
        }
        let trimmed = trim ? String(out).trimmingSpaces() : String(out)
        return truncated ? trimmed + "…" : trimmed
    }

    /// The first line of `bytes` (up to CR or LF), sanitized: what a banner "says".
    static func firstLine(_ bytes: [UInt8], limit: Int = defaultLimit) -> String {
        let end = bytes.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) ?? bytes.endIndex
        return text(bytes[..<end], limit: limit)
    }

    /// Replaces every occurrence of each secret with "***": belt and braces on top of never
    /// putting secrets into messages, in case a server echoes one back.
    static func redact(_ text: String?, secrets: [String]) -> String? {
        guard var text else { return nil }
        for secret in secrets where !secret.isEmpty {
            text = text.replacingAll(secret, with: "***")
        }
        return text
    }

    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\u{FFFD}" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
            return false
        default:
            return true
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars = scalars.dropFirst() }
        while scalars.last == " " { scalars = scalars.dropLast() }
        return String(scalars)
    }

    /// Plain substring replacement (stdlib only, no Foundation needed).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
