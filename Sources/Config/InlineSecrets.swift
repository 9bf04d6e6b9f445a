import Foundation

/// Secrets never live in the config: it is committed, copied into tickets and printed in CI logs.
/// A key that looks like one is refused before the unknown-key check, so the user learns
/// where the secret should go instead of being offered a spelling.
enum InlineSecrets {
    private static let markers = ["password", "passwd", "passphrase", "secret", "token", "apikey",
                                  "credential", "privatekey"]

    /// True for `password`, `db_password`, `api-key`, `auth_token`...; false for `password_env`,
    /// the key that names the environment variable holding the value.
    static func looksLikeSecret(key: String) -> Bool {
        let k = key.lowercased()
        if k.hasSuffix("_env") || k.hasSuffix("-env") { return false }
        let folded = k.filter { $0 != "_" && $0 != "-" }
        return folded == "pass" || folded == "pwd" || markers.contains { folded.contains($0) }
    }

    static func message(key: String, place: String) -> String {
        "inline secret \(shown(key: key)) \(place): secrets never go in the config file; "
            + "put it in an environment variable and name that variable with 'password_env: PG_MONITOR_PASSWORD'"
    }

    /// `postgres://user:pw@host` carries a password inside a value.
    static func urlCarriesPassword(_ value: String) -> Bool {
        guard let scheme = value.range(of: "://") else { return false }
        let rest = value[scheme.upperBound...]
        guard let at = rest.firstIndex(of: "@") else { return false }
        return rest[..<at].contains(":")
    }

    /// A key as a message may quote it: `'db_password'`. A key that is not a plain word (a colon,
    /// a `$`, a space: `root:$6$...:19000::` is a pasted shadow entry) may hold the secret
    /// itself and is described instead of shown.
    static func shown(key: String) -> String {
        let plain = !key.isEmpty && key.utf8.count <= 64
            && key.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_-.".unicodeScalars.contains($0)) }
        return plain ? "'\(key)'" : "(a key of \(key.count) characters that is not a plain word, not shown: it may be a pasted secret)"
    }
}
