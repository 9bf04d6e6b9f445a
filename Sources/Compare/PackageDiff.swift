import Model

/// Installed packages: one checked item per changed package plus one aggregate item
/// "installed packages (N)" standing for all the unchanged ones, so a host with 2,000
/// packages adds one passing test to a JUnit report, not 2,000. Matching: ``PackageMatch``.
/// Packages not fully installed, and a failed last dnf/yum transaction, are ``PackageStateDiff``'s:
/// an interrupted upgrade is `package-broken`, never also "upgraded".
enum PackageDiff {
    /// A package whose presence or version differs; nil on the side where it is absent.
    struct Change {
        var before: InstalledPackage?
        var after: InstalledPackage?
        var name: String { (after ?? before)?.name ?? "" }
    }

    /// Every change, ignore rules not applied (the reboot-required rule wants to know whether
    /// anything at all was patched).
    static func changes(baseline: [InstalledPackage], current: [InstalledPackage]) -> [Change] {
        PackageMatch.changes(baseline: baseline, current: current)
    }

    static func items(changes: [Change], baseline: Snapshot, current: Snapshot, maker: FindingMaker) -> [CheckedItem] {
        let ignore = maker.rules.ignore[.packages]
        func ignored(_ name: String) -> Bool { !ignore.isEmpty && Glob.any(ignore, name) }
        // Packages not fully installed first: their version changes are theirs to report.
        let states = PackageStateDiff.outcome(baseline: baseline.packages, current: current.packages, changes: changes,
                                              ignored: ignored, maker: maker)
        let kept = changes.filter {
            guard !ignored($0.name), let p = $0.after ?? $0.before else { return false }
            return !states.handled.contains(PackageStateDiff.key(p))
        }
        // Subjects are package names; a name that changed in two architectures gets ":arch".
        var nameCount = [String: Int](), archCount = [String: Int]()
        for c in kept {
            nameCount[c.name, default: 0] += 1
            archCount["\(c.name):\((c.after ?? c.before)?.arch ?? "")", default: 0] += 1
        }
        var items = [maker.item(.packages, "installed packages (\(current.packages.count))")]
        if let item = PackageStateDiff.transaction(baseline: baseline.lastPackageTransaction,
                                                   current: current.lastPackageTransaction, maker: maker) {
            items.append(item)
        }
        for (_, f) in states.findings { items.append(maker.item(.packages, f.subject, [f])) }
        for c in kept {
            let arch = (c.after ?? c.before)?.arch ?? ""
            var subject = (nameCount[c.name] ?? 0) > 1 && !arch.isEmpty ? "\(c.name):\(arch)" : c.name
            // Still ambiguous (rpm's install-only kernels): name the version too.
            if (archCount["\(c.name):\(arch)"] ?? 0) > 1, let v = (c.after ?? c.before)?.version { subject += " \(v)" }
            guard var f = finding(c, subject, maker) else { continue }
            if let p = c.after ?? c.before, let was = states.repairedSuffix[PackageStateDiff.key(p)] { f.message += was }
            items.append(maker.item(.packages, subject, [f]))
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
