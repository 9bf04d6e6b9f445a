/// Turns any string into one shell word that the host's /bin/sh reads back byte for byte.
///
/// Every name that comes from the checks (DNS names, targets, servers) goes through here:
/// inside single quotes nothing is special except the quote itself, which is closed,
/// escaped and reopened (`'` -> `'\''`). `$(...)`, backquotes, `;` and newlines stay inert.
/// The one shell quoting in `Sources/`: Engine (sudo, the remote guard, the rollout
/// pre-command's environment) reaches it through Collect, the lowest layer that needs it.
public enum ShellQuote {
    public static func quote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Several words, each quoted, separated by spaces.
    public static func words(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }
}
