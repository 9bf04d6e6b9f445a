#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shell-style glob matching (`*`, `?`, `[...]`) through the C library's `fnmatch(3)`,
/// so `ignore:` patterns mean exactly what they mean in a shell.
public enum Glob {
    /// True when `text` matches `pattern`. Socket endpoints contain brackets ("tcp6 [::]:22")
    /// that fnmatch would read as a character class, so a pattern also matches when it matches
    /// with its brackets taken literally: "tcp6 [::]:22" and "tcp6 [::]:*" both do what they look like.
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        if pattern == text || fnmatchC(pattern, text) { return true }
        guard pattern.contains("[") || pattern.contains("]") else { return false }
        var literal = ""
        for c in pattern {
            if c == "[" || c == "]" { literal.append("\\") }
            literal.append(c)
        }
        return fnmatchC(literal, text)
    }

    /// True when any pattern matches any of the texts.
    public static func any(_ patterns: [String], _ texts: String...) -> Bool {
        for p in patterns { for t in texts where matches(p, t) { return true } }
        return false
    }

    private static func fnmatchC(_ pattern: String, _ text: String) -> Bool {
        pattern.withCString { p in text.withCString { t in fnmatch(p, t, 0) == 0 } }
    }
}
