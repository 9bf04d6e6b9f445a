import Model

/// The rollback preflight's finding, `rollback-unavailable`: an update whose undo the package
/// manager cannot do (its installed version obtainable from no repository and not in the cache,
/// or a package it does not downgrade safely). Before the patch (`baseline`, each `rollout`
/// wave) every such pending update is named; at verify only those the patch then applied.
public enum RollbackPreflightDiff {
    /// Before the patch: every pending update of `snapshot` that could not be rolled back.
    public static func findings(snapshot: Snapshot, rules: CompareRules) -> [Finding] {
        let maker = FindingMaker(host: snapshot.host, rules: rules)
        return blocked(snapshot.pendingUpdates, maker: maker).map { finding($0, maker: maker) }
    }

    /// How many of a host's preflight findings a terminal line list shows: a Debian host a point
    /// release behind has most of its installed versions gone from the archive (89 of 123 on
    /// the Debian 12 fixture), and a hundred lines would bury the rest of the output.
    public static let shownPerHost = 10

    /// The lines for a terminal or summary: the first ``shownPerHost`` messages, then how many more.
    public static func lines(_ findings: [Finding]) -> [String] {
        var out = findings.prefix(shownPerHost).map(\.message)
        if findings.count > shownPerHost {
            out.append("and \(findings.count - shownPerHost) more updates that cannot be rolled back (each in the snapshot's pendingUpdates, rollback)")
        }
        return out
    }

    /// At verify: the baseline's blocked updates whose package the patch changed.
    static func items(baseline: [PendingUpdate], changed: [PackageDiff.Change], maker: FindingMaker) -> [CheckedItem] {
        // The update's current version is the installed package's (apt's "[CURRENT]", dnf's from the package list).
        let patched = Set(changed.compactMap { c in c.before.map { "\($0.name)|\($0.version)" } })
        return blocked(baseline, maker: maker).filter { u in patched.contains("\(bareName(u.name))|\(u.currentVersion ?? "")") }.map { maker.item(.updates, "rollback \($0.name)", [finding($0, maker: maker)]) }
    }

    static func blocked(_ updates: [PendingUpdate], maker: FindingMaker) -> [PendingUpdate] {
        let ignore = maker.rules.ignore[.packages]
        return updates.filter { u in
            u.rollback?.blocksRollback == true && (ignore.isEmpty || !Glob.any(ignore, u.name))
        }
    }

    static func finding(_ u: PendingUpdate, maker: FindingMaker) -> Finding {
        let version = u.currentVersion ?? "?"
        let message: String
        switch u.rollback {
        case .unsafe?:
            message = "\(u.name) \(version) cannot be downgraded safely by its package manager (unsupported for \(u.name)): "
                + "this patch cannot be rolled back through it"
        default:
            message = "\(u.name) \(version) is no longer obtainable from any source or the package cache: this patch cannot be rolled back"
        }
        return maker.make(.rollbackUnavailable, u.name, before: u.currentVersion, after: u.candidateVersion, message)
    }

    /// "libfoo:i386" -> "libfoo": apt names a foreign-architecture package with its arch.
    static func bareName(_ name: String) -> String {
        name.split(separator: ":").first.map(String.init) ?? name
    }
}
