import Model

/// Pending updates ("what the package manager would still install"): one aggregate item
/// "pending updates (N)" plus one item per update that appeared, changed candidate or cleared.
/// All info by default: a patch is expected to clear updates, and new ones are published daily.
enum UpdateDiff {
    struct Key: Hashable { var name: String; var arch: String }

    static func items(baseline: [PendingUpdate], current: [PendingUpdate], maker: FindingMaker) -> [CheckedItem] {
        let ignore = maker.rules.ignore[.packages]
        func kept(_ u: PendingUpdate) -> Bool { ignore.isEmpty || !Glob.any(ignore, u.name) }
        var before = [Key: PendingUpdate](minimumCapacity: baseline.count)
        for u in baseline where kept(u) { before[Key(name: u.name, arch: u.arch ?? "")] = u }
        var items = [maker.item(.updates, "pending updates (\(current.count))")]
        for u in current where kept(u) {
            let b = before.removeValue(forKey: Key(name: u.name, arch: u.arch ?? ""))
            if let b, b.candidateVersion == u.candidateVersion { continue }
            let tag = tag(u)
            let message = b.map { "\(u.name) update now pending to \(u.candidateVersion), was \($0.candidateVersion)\(tag)" }
                ?? "\(u.name) update now pending: \(u.currentVersion ?? "?") → \(u.candidateVersion)\(tag)"
            items.append(maker.item(.updates, u.name, [
                maker.make(.updateNew, u.name, before: b?.candidateVersion, after: u.candidateVersion, message),
            ]))
        }
        for b in before.values {
            let tag = tag(b)
            items.append(maker.item(.updates, b.name, [
                maker.make(.updateCleared, b.name, before: b.candidateVersion,
                           "\(b.name) update to \(b.candidateVersion)\(tag) no longer pending"),
            ]))
        }
        return items
    }

    /// " (security, critical: RHSA-2024:1234)", " (security)", " (moderate: FEDORA-2024-1)", or "":
    /// what the update fixes and how badly, with its worst advisory where the manager names one.
    static func tag(_ u: PendingUpdate) -> String {
        let words = [u.security ? "security" : nil, u.severity?.rawValue].compactMap { $0 }
        guard !words.isEmpty else { return "" }
        let worst = u.advisories?.first.map { ": " + String($0.id.prefix(48)) } ?? ""
        return " (" + words.joined(separator: ", ") + worst + ")"
    }
}
