import Model

/// Installed packages: one checked item per changed package plus one aggregate item
/// "installed packages (N)" standing for all the unchanged ones, so a host with 2,000
/// packages adds one passing test to a JUnit report, not 2,000.
enum PackageDiff {
    struct Key: Hashable { var name: String; var arch: String }

    /// A package whose presence or version differs; nil on the side where it is absent.
    struct Change {
        var before: InstalledPackage?
        var after: InstalledPackage?
        var name: String { (after ?? before)?.name ?? "" }
    }

    /// Every change, ignore rules not applied (the reboot-required rule wants to know whether
    /// anything at all was patched).
    static func changes(baseline: [InstalledPackage], current: [InstalledPackage]) -> [Change] {
        var out: [Change] = []
        // Canonical snapshots list packages in the same order: walk the common prefix without
        // hashing, which is where nearly all of a 2,000-package host lies.
        var k = 0
        while k < baseline.count && k < current.count
                && baseline[k].name == current[k].name && baseline[k].arch == current[k].arch {
            if baseline[k].version != current[k].version { out.append(Change(before: baseline[k], after: current[k])) }
            k += 1
        }
        if k == baseline.count && k == current.count { return out }

        var before = [Key: InstalledPackage](minimumCapacity: baseline.count - k)
        for p in baseline[k...] { before[Key(name: p.name, arch: p.arch)] = p }
        var added: [InstalledPackage] = []
        for p in current[k...] {
            let key = Key(name: p.name, arch: p.arch)
            if let b = before.removeValue(forKey: key) {
                if b.version != p.version { out.append(Change(before: b, after: p)) }
            } else {
                added.append(p)
            }
        }
        // A package that only changed architecture (all -> amd64, noarch -> x86_64) is one change.
        var removedByName = [String: [InstalledPackage]]()
        for p in before.values { removedByName[p.name, default: []].append(p) }
        for p in added {
            if let olds = removedByName[p.name], olds.count == 1, let old = olds.first {
                removedByName[p.name] = []
                out.append(Change(before: old, after: p))
            } else {
                out.append(Change(before: nil, after: p))
            }
        }
        for olds in removedByName.values { for p in olds { out.append(Change(before: p, after: nil)) } }
        return out
    }

    static func items(changes: [Change], installedCount: Int, maker: FindingMaker) -> [CheckedItem] {
        let ignore = maker.rules.ignore.packages
        let kept = changes.filter { ignore.isEmpty || !Glob.any(ignore, $0.name) }
        // Subjects are package names; a name that changed in two architectures gets ":arch".
        var nameCount = [String: Int]()
        for c in kept { nameCount[c.name, default: 0] += 1 }
        var items = [maker.item(.packages, "installed packages (\(installedCount))")]
        for c in kept {
            let arch = (c.after ?? c.before)?.arch ?? ""
            let subject = (nameCount[c.name] ?? 0) > 1 && !arch.isEmpty ? "\(c.name):\(arch)" : c.name
            if let f = finding(c, subject, maker) { items.append(maker.item(.packages, subject, [f])) }
        }
        return items
    }

    static func finding(_ c: Change, _ subject: String, _ maker: FindingMaker) -> Finding? {
        switch (c.before, c.after) {
        case let (b?, a?):
            let order = PackageVersion.compare(b.version, a.version, manager: a.manager)
            let archNote = b.arch == a.arch ? "" : " (\(b.arch) → \(a.arch))"
            // Same version spelled differently ("0:1.2-3" vs "1.2-3") and same arch: nothing changed.
            if order == 0 && archNote.isEmpty { return nil }
            let kind: FindingKind = order > 0 ? .packageDowngraded : .packageUpgraded
            let verb = order > 0 ? "downgraded" : order < 0 ? "upgraded" : "changed architecture"
            return maker.make(kind, subject, before: b.version, after: a.version,
                              "\(subject) \(verb) \(b.version) → \(a.version)\(archNote)")
        case let (nil, a?):
            return maker.make(.packageInstalled, subject, after: a.version, "\(subject) \(a.version) installed")
        case let (b?, nil):
            return maker.make(.packageRemoved, subject, before: b.version, "\(subject) \(b.version) removed")
        case (nil, nil):
            return nil
        }
    }
}
