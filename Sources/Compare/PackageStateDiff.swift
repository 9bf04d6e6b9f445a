import Model

/// Packages not fully installed (``InstalledPackage/isBroken``): an upgrade cut short leaves dpkg's
/// `unpacked` or `half-configured` (the new version's files on disk, its configuration never run)
/// or two rpm versions side by side. Such a package is `package-broken` (a regression; a warning
/// when the baseline already had it so) and never also "upgraded"; one broken in the baseline and
/// fine now is `package-repaired`, or its usual upgrade line saying so. Matched by name and arch.
enum PackageStateDiff {
    struct Key: Hashable { var name: String; var arch: String }

    /// What the package-state pass decided: its findings, by package, and the keys whose version
    /// changes it took over (so ``PackageDiff`` does not report them again).
    struct Outcome {
        var findings: [(key: Key, finding: Finding)] = []
        var handled: Set<Key> = []
        /// Repaired packages whose one version change keeps its usual line, with this added.
        var repairedSuffix: [Key: String] = [:]
    }

    static func key(_ p: InstalledPackage) -> Key { Key(name: p.name, arch: p.arch) }

    static func outcome(baseline: [InstalledPackage], current: [InstalledPackage],
                        changes: [PackageDiff.Change], ignored: (String) -> Bool,
                        maker: FindingMaker) -> Outcome {
        var out = Outcome()
        let brokenNow = grouped(current.filter(\.isBroken))
        let brokenBefore = grouped(baseline.filter(\.isBroken))
        if brokenNow.isEmpty && brokenBefore.isEmpty { return out }
        let names = Dictionary(grouping: Set(brokenNow.keys).union(brokenBefore.keys), by: \.name)
        func subject(_ k: Key) -> String { (names[k.name]?.count ?? 0) > 1 && !k.arch.isEmpty ? "\(k.name):\(k.arch)" : k.name }
        var changesByKey: [Key: [PackageDiff.Change]] = [:]
        for c in changes { if let p = c.after ?? c.before { changesByKey[key(p), default: []].append(c) } }

        for (k, now) in brokenNow where !ignored(k.name) {
            let s = subject(k)
            var message = describe(s, now)
            let before = brokenBefore[k]
            if let before {
                message += " (already so in the baseline: \(states(before)))"
            }
            let baselineVersions = baseline.filter { $0.name == k.name && $0.arch == k.arch }.map(\.version)
            let f = maker.make(.packageBroken, s, severity: before == nil ? .regression : .warning,
                               before: baselineVersions.isEmpty ? nil : baselineVersions.joined(separator: ", "),
                               after: now.map(\.version).joined(separator: ", "), message)
            out.findings.append((k, f))
            out.handled.insert(k)
        }
        for (k, before) in brokenBefore where brokenNow[k] == nil && !ignored(k.name) {
            let now = current.filter { $0.name == k.name && $0.arch == k.arch }
            guard !now.isEmpty else { continue }    // removed since: the change says so
            let was = "not fully installed in the baseline: \(states(before))"
            let keyChanges = changesByKey[k] ?? []
            if keyChanges.count == 1, keyChanges[0].before != nil, keyChanges[0].after != nil {
                out.repairedSuffix[k] = " (\(was))"
                continue
            }
            let s = subject(k)
            let versions = now.map(\.version).joined(separator: ", ")
            let f = maker.make(.packageRepaired, s, before: before.map(\.version).joined(separator: ", "), after: versions,
                               "\(s) \(versions) is fully installed now (\(was))")
            out.findings.append((k, f))
            out.handled.insert(k)
        }
        out.findings.sort { ($0.key.name, $0.key.arch) < ($1.key.name, $1.key.arch) }
        return out
    }

    /// The last dnf/yum transaction when it did not succeed: a regression when it is new since the
    /// baseline, a warning when the baseline's last transaction was this same failed one. A host
    /// with no transaction history, or whose last transaction succeeded, has no item.
    static func transaction(baseline: LastPackageTransaction?, current: LastPackageTransaction?, maker: FindingMaker) -> CheckedItem? {
        guard let t = current, !t.succeeded else { return nil }
        let subject = "\(t.tool) transaction \(t.id)"
        let already = baseline?.tool == t.tool && baseline?.id == t.id
        let begun = t.begin.map { ", begun \($0)" } ?? ""
        var message = "the last \(t.tool) transaction (\(t.id)\(begun)) ended \(t.returnCode): an update failed or was cut short; "
            + "see \(t.tool) history info \(t.id), fix the cause and run the update again "
            + "(package-cleanup --problems and --cleandupes from dnf-utils or yum-utils list what it left)"
        if already { message += " (already so in the baseline)" }
        let f = maker.make(.packageBroken, subject, severity: already ? .warning : .regression,
                           before: baseline.map { "\($0.id) \($0.returnCode)" }, after: "\(t.id) \(t.returnCode)", message)
        return maker.item(.packages, subject, [f])
    }

    private static func grouped(_ packages: [InstalledPackage]) -> [Key: [InstalledPackage]] {
        Dictionary(grouping: packages, by: key)
    }

    /// "unpacked 1.1", "duplicate 1.0, 1.1".
    private static func states(_ packages: [InstalledPackage]) -> String {
        let state = packages[0].state?.rawValue ?? "reinst-required"
        return "\(state) \(packages.map(\.version).joined(separator: ", "))"
    }

    /// The finding's message: the state in dpkg's or rpm's words, what it means, and the fix.
    static func describe(_ subject: String, _ packages: [InstalledPackage]) -> String {
        let p = packages[0]
        if p.state == .duplicate || packages.count > 1 {
            let versions = packages.map(\.version)
            let count = versions.count == 2 ? "two" : "\(versions.count)"
            return "\(count) versions of \(subject) installed (\(versions.joined(separator: ", "))): an interrupted "
                + "transaction; run package-cleanup --cleandupes (dnf-utils or yum-utils), or dnf remove --duplicates"
        }
        let v = p.version
        let reinstall = "apt-get install --reinstall \(p.name)"
        let letters = (p.state?.dpkgLetter.map(String.init) ?? "i") + (p.reinstRequired == true ? "R" : "")
        let code = "dpkg -l status \(letters)"
        var text: String
        var fix = "dpkg --configure -a"
        switch p.state {
        case .unpacked?:
            text = "\(subject) is unpacked, not configured (\(code): version \(v) unpacked, its configuration never ran)"
        case .halfConfigured?:
            text = "\(subject) is half-configured (\(code): version \(v) unpacked, its configuration started and did not finish)"
        case .halfInstalled?:
            // dpkg keeps the version it was unpacking over (the old one) until the unpack ends.
            text = "\(subject) is half-installed (\(code), recorded version \(v): an unpack did not finish)"
            fix = reinstall
        case .triggersPending?:
            text = "\(subject) has triggers pending (\(code), version \(v): its triggers never ran)"
        case .triggersAwaited?:
            text = "\(subject) awaits triggers (\(code), version \(v): another package's triggers never ran)"
        case let other?:
            text = "\(subject) is not fully installed (state \(other.rawValue), version \(v))"
        case nil:
            text = "\(subject) \(v) needs a reinstall (\(code): dpkg's reinst-required flag)"
        }
        if p.reinstRequired == true {
            if p.state != nil { text += "; dpkg requires a reinstall" }
            fix = reinstall
        }
        return text + ": run \(fix)"
    }
}
