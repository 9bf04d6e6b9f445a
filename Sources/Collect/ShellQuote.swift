/// Turns any string into one shell word that the host's /bin/sh reads back byte for byte.
///
/// Every name that comes from the checks (DNS names, targets, servers) goes through here:
/// inside single quotes nothing is special except the quote itself, which is closed,
/// escaped and reopened (`'` -> `'\''`). `$(...)`, backquotes, `;` and newlines stay inert.
public enum ShellQuote {
    public static func quote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Several words, each quoted, separated by spaces.
    public static func words(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }
}
