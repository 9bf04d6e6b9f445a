/// `~` and `%` tokens in paths, as ssh expands IdentityFile and UserKnownHostsFile:
/// tilde first, then tokens.
enum SSHConfigExpansion {
    /// `~` and `~/...` become the home directory. `~user/...` is left as written: resolving
    /// another user's home would depend on the machine running PostPatch.
    static func tilde(_ path: String, home: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") {
            let base = home.hasSuffix("/") ? String(home.dropLast()) : home
            return base + path.dropFirst()
        }
        return path
    }

    /// Replaces `%x` for each x in `tokens`, and `%%` with `%`. Tokens PostPatch cannot know
    /// without asking the machine (%C %l %L %i %j) stay as written; ssh would fill them in.
    static func percent(_ text: String, _ tokens: [Character: String]) -> String {
        guard text.contains("%") else { return text }
        var out = ""
        var pending = false
        for ch in text {
            if pending {
                pending = false
                if ch == "%" {
                    out.append("%")
                } else if let value = tokens[ch] {
                    out += value
                } else {
                    out.append("%")
                    out.append(ch)
                }
            } else if ch == "%" {
                pending = true
            } else {
                out.append(ch)
            }
        }
        if pending { out.append("%") }
        return out
    }
}
