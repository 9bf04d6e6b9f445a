import Model

/// What `postpatch show` says about configuration files and declared files: one count line each.
extension SnapshotPlumbingLines {
    /// "312 conffiles, 7 modified, 1 leftover" (missing ones named by count too); nil (no line)
    /// for a snapshot from before the section.
    static func configs(_ configs: ConfigFiles?) -> TextColumns.Cell? {
        guard let configs else { return nil }
        let files = configs.files, leftovers = configs.leftovers
        var parts = [Wording.count(files.count, "conffile"),
                     "\(files.filter { $0.state == .modified }.count) modified"]
        let missing = files.filter { $0.state == .missing }.count
        if missing > 0 { parts.append("\(missing) missing") }
        parts.append(Wording.count(leftovers.count, "leftover"))
        let unmerged = leftovers.contains { $0.kind == .newDefault }
        return .init(parts.joined(separator: ", "), unmerged ? .yellow : nil)
    }
}

extension SnapshotDeclaredCheckLines {
    /// "3 (1 missing)", "2 (all present)"; nil when none is declared.
    static func files(_ files: [FileResult]) -> TextColumns.Cell? {
        guard !files.isEmpty else { return nil }
        let missing = files.filter { $0.type == .missing }
        guard !missing.isEmpty else { return .init("\(files.count) (all present)") }
        let named = missing.prefix(maxNamed).map { VisibleText.clipped($0.path, maxName) }.joined(separator: ", ")
        return .init("\(files.count) (\(missing.count) missing: \(named))", .yellow)
    }
}

extension SnapshotPlumbingLines {
    /// "12 timers (11 active, 10 enabled), 9 cron jobs"; yellow when a timer is not active.
    static func schedules(_ schedules: Schedules?) -> TextColumns.Cell? {
        guard let schedules else { return nil }
        let timers = schedules.timers
        let active = timers.filter { $0.active == "active" }.count
        let enabled = timers.filter(\.enabled).count
        let text = Wording.count(timers.count, "timer") + " (\(active) active, \(enabled) enabled), "
            + Wording.count(schedules.cron.count, "cron job")
        return .init(text, active < timers.count ? .yellow : nil)
    }
}

extension SnapshotPlumbingLines {
    /// "14 read, 9 persisted, 1 differs from its file"; yellow when a value differs from what
    /// the files persist (a reboot would change it).
    static func sysctl(_ settings: [KernelSetting]?) -> TextColumns.Cell? {
        guard let settings else { return nil }
        let persisted = settings.filter { $0.persisted != nil }
        let differing = persisted.filter { $0.persisted != $0.value }.count
        var text = "\(settings.count) read, \(persisted.count) persisted"
        if differing > 0 { text += ", \(differing) differ\(differing == 1 ? "s" : "") from the files (a reboot changes \(differing == 1 ? "it" : "them"))" }
        return .init(text, differing > 0 ? .yellow : nil)
    }
}

extension SnapshotPlumbingLines {
    /// "23 accounts (2 can log in with a password), sudo: alice, 3 authorized keys"; yellow when
    /// root may log in with a password.
    static func accounts(_ accounts: Accounts?) -> TextColumns.Cell? {
        guard let accounts else { return nil }
        let withPassword = accounts.users.filter { $0.canLogin && ($0.password == "set" || $0.password == "none") }.count
        var parts = [Wording.count(accounts.users.count, "account") + " (\(withPassword) can log in with a password)"]
        for g in accounts.groups where ["sudo", "wheel"].contains(g.name) && !g.members.isEmpty {
            parts.append("\(g.name): \(g.members.prefix(5).joined(separator: ", "))\(g.members.count > 5 ? " …" : "")")
        }
        parts.append(Wording.count(accounts.authorizedKeys.count, "authorized key"))
        let rootPassword = accounts.sshd?["permitrootlogin"] == "yes" && accounts.sshd?["passwordauthentication"] == "yes"
        return .init(parts.joined(separator: ", "), rootPassword ? .yellow : nil)
    }
}
