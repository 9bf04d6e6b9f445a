/// Sorts the variables of one source (an inventory file or a vars file) into the connection keys
/// PostPatch uses and the rest, which it only names in one warning per source.
struct InventoryVarsReader {
    let file: String
    /// Ignored variable names, first-seen order, each once.
    private(set) var ignored: [String] = []
    /// Values PostPatch cannot use, one line each (`file:line: ...`).
    private(set) var notes: [String] = []

    init(file: String) {
        self.file = file
    }

    /// Stores `key` in `vars` if it is a connection key; a Jinja template or an inline vault
    /// value is stored as null (set, but unusable) so a stale lower-level value does not leak through.
    mutating func read(_ key: String, _ value: InventoryValue, line: Int, into vars: inout InventoryVars,
                       encrypted: Bool = false) {
        guard InventoryKeys.connection.contains(key) else {
            if key != InventoryKeys.groupPriority, !ignored.contains(key) { ignored.append(key) }
            return
        }
        if encrypted {
            notes.append("\(file):\(line): \(key) is encrypted with Ansible Vault, which PostPatch does not "
                + "decrypt; treated as unset (write it in plain text or set it on the command line)")
            vars[key] = .null
        } else if case let .string(s) = value, s.contains("{{") || s.contains("{%") {
            let template = InlineSecrets.looksLikeSecret(key: key) ? "" : " (\(s))"
            notes.append("\(file):\(line): \(key) is a Jinja template\(template), which PostPatch does not "
                + "evaluate; treated as unset (write the plain value)")
            vars[key] = .null
        } else {
            vars[key] = value
        }
    }

    /// The one warning naming what this source set that PostPatch does not read, or nil.
    func ignoredWarning(kind: String) -> String? {
        guard !ignored.isEmpty else { return nil }
        // A key that is not a plain name may be a pasted secret (`root:$6$...:`): counted, not shown.
        let plain = ignored.filter { InlineSecrets.shown(key: $0).hasPrefix("'") }
        let hidden = ignored.count - plain.count
        var shown = plain.prefix(20).joined(separator: ", ") + (plain.count > 20 ? ", ..." : "")
        if hidden > 0 { shown += (shown.isEmpty ? "" : ", and ") + "\(hidden) key\(hidden == 1 ? "" : "s") that \(hidden == 1 ? "is" : "are") not a plain name (not shown)" }
        return "\(file): \(kind) sets variables PostPatch does not use, ignored: \(shown) "
            + "(it reads only \(InventoryKeys.shownList))"
    }
}
