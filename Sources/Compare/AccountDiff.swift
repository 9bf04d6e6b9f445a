import Model

/// Who can log in and become root: one aggregate item, and one item per account, group,
/// sudoers file, user's keys and sshd setting with a finding (`ignore: accounts` globs match
/// user names). Findings never carry a password hash or a key's text: fingerprints only.
enum AccountDiff {
    static func items(baseline: Snapshot, current: Snapshot, maker: FindingMaker) -> [CheckedItem] {
        guard let b = baseline.accounts, let c = current.accounts else { return [] }
        let ignore = maker.rules.ignore[.accounts]
        func kept(_ user: String) -> Bool { ignore.isEmpty || !Glob.any(ignore, user) }
        var items = [maker.item(.accounts, "accounts (\(c.users.count))")]
        let known = Set(b.users.map(\.name))
        for u in c.users where !known.contains(u.name) && kept(u.name) {
            items.append(maker.item(.accounts, u.name, [added(u, maker)]))
        }
        let groupsBefore = Dictionary(b.groups.map { ($0.name, Set($0.members)) }, uniquingKeysWith: { x, _ in x })
        for g in c.groups {
            let before = groupsBefore[g.name] ?? [], now = Set(g.members)
            let found = now.subtracting(before).filter(kept).sorted().map {
                maker.make(.groupMembershipChanged, "group \(g.name)", after: $0, "\($0) was added to group \(g.name)")
            } + before.subtracting(now).filter(kept).sorted().map {
                maker.make(.groupMembershipChanged, "group \(g.name)", before: $0, "\($0) was removed from group \(g.name)")
            }
            if !found.isEmpty { items.append(maker.item(.accounts, "group \(g.name)", found)) }
        }
        if let old = b.sudoers, let new = c.sudoers {
            let before = Dictionary(old.map { ($0.path, $0.digest) }, uniquingKeysWith: { x, _ in x })
            let now = Dictionary(new.map { ($0.path, $0.digest) }, uniquingKeysWith: { x, _ in x })
            for path in Set(before.keys).union(now.keys).sorted() where before[path] != now[path] {
                let what = before[path] == nil ? "is new" : now[path] == nil ? "is gone" : "changed"
                items.append(maker.item(.accounts, path, [
                    maker.make(.sudoersChanged, path, before: before[path], after: now[path], "sudoers file \(path) \(what)"),
                ]))
            }
        }
        let keysBefore = Set(b.authorizedKeys.map { "\($0.user) \($0.fingerprint)" })
        let keysNow = Set(c.authorizedKeys.map { "\($0.user) \($0.fingerprint)" })
        // `*`: a shared AuthorizedKeysFile (no %u or %h), whose keys every user accepts.
        func subject(_ user: String) -> String { user == "*" ? "shared authorized_keys" : "\(user) authorized_keys" }
        func who(_ user: String) -> String { user == "*" ? "every user (a shared AuthorizedKeysFile)" : user }
        var keyFindings: [String: [Finding]] = [:]
        for k in c.authorizedKeys where !keysBefore.contains("\(k.user) \(k.fingerprint)") && kept(k.user) {
            keyFindings[k.user, default: []].append(maker.make(.authorizedKeyAdded, subject(k.user), after: k.fingerprint,
                                                               "\(who(k.user)) accepts a new SSH key: \(k.type) \(k.fingerprint)"))
        }
        for k in b.authorizedKeys where !keysNow.contains("\(k.user) \(k.fingerprint)") && kept(k.user) {
            keyFindings[k.user, default: []].append(maker.make(.authorizedKeyRemoved, subject(k.user), before: k.fingerprint,
                                                               "\(who(k.user)) no longer accepts the SSH key \(k.type) \(k.fingerprint)"))
        }
        for (user, found) in keyFindings.sorted(by: { $0.key < $1.key }) { items.append(maker.item(.accounts, subject(user), found)) }
        if let old = b.sshd, let new = c.sshd {
            for key in Set(old.keys).union(new.keys).sorted() where old[key] != new[key] {
                let subject = "sshd \(key)"
                items.append(maker.item(.accounts, subject, [
                    maker.make(.sshdSettingChanged, subject, before: old[key], after: new[key],
                               "sshd's \(key) is \(new[key] ?? "unset"), was \(old[key] ?? "unset")"),
                ]))
            }
        }
        return items
    }

    /// Info for a system account a package creates; a warning for one that can log in with a password.
    static func added(_ u: LocalAccount, _ maker: FindingMaker) -> Finding {
        let shell = u.canLogin ? u.shell : "no login shell"
        if u.canLogin, u.password == "set" || u.password == "none" {
            let how = u.password == "none" ? "with an empty password" : "with a password"
            return maker.make(.accountAdded, u.name, severity: .warning, after: "uid \(u.uid)",
                              "new account \(u.name) (uid \(u.uid), \(shell)) can log in \(how)")
        }
        let kind = u.isSystem ? "system account" : "account"
        return maker.make(.accountAdded, u.name, after: "uid \(u.uid)", "new \(kind) \(u.name) (uid \(u.uid), \(shell))")
    }
}
