import Model

/// What the patch fixed, and whether each fix is in effect: one item for the fixes the upgrades'
/// changelogs name (``PackageTransactions/fixes``), one per fixed package with a
/// `fixes-installed` finding, and `fix-not-in-effect` when the package's replaced code still
/// runs in an outdated service (joined through ``Attribution``'s path and program indexes, the
/// same join that explains `service-outdated`) or the host needs a reboot for it.
enum FixDiff {
    /// How many ids a message names before "(+N more)"; `after` keeps them all.
    static let idsInMessage = 10

    static func items(_ p: SectionDiff.Pair) -> [CheckedItem] {
        guard let fixes = p.current.transactions?.fixes else { return [] }
        let maker = p.maker
        let cves = Set(fixes.flatMap(\.cves)).count, advisories = Set(fixes.flatMap(\.advisories)).count
        func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
        var items = [maker.item(.transactions, "fixes installed since the baseline (\(count(cves, "CVE", "CVEs")), "
                                    + "\(count(advisories, "advisory", "advisories")) in \(count(fixes.count, "package", "packages")))")]
        let a = Attribution(baseline: p.baseline, current: p.current, changes: p.packageChanges)
        for fix in fixes {
            let partial = fix.partial == true ? " (read from its newest changelog entries only: the bound came first)" : ""
            var found = [maker.make(.fixesInstalled, fix.package, after: fix.idsText,
                                    "\(fix.package) \(fix.version) fixes \(ids(fix))\(partial)")]
            let reasons = notInEffect(fix.package, a, p.current)
            if !reasons.isEmpty {
                let count = fix.cves.count + (fix.cves.isEmpty ? fix.advisories.count : 0)
                found.append(maker.make(.fixNotInEffect, fix.package, after: reasons.map(\.subject).joined(separator: ", "),
                                        "\(ids(fix)) (\(fix.package) \(fix.version)) \(count == 1 ? "is" : "are") installed but not in effect: "
                                            + reasons.map(\.text).joined(separator: "; ")))
            }
            items.append(maker.item(.transactions, fix.package, found))
        }
        return items
    }

    /// "CVE-1, CVE-2 (+8 more) (DSA-1-1)": the first ``idsInMessage`` of each.
    static func ids(_ fix: PackageFix) -> String {
        func cut(_ list: [String]) -> [String] {
            list.count > idsInMessage ? Array(list.prefix(idsInMessage)) + ["(+\(list.count - idsInMessage) more)"] : list
        }
        return PackageFix(package: fix.package, version: fix.version, cves: cut(fix.cves), advisories: cut(fix.advisories))
            .idsText.replacingOccurrences(of: ", (+", with: " (+")
    }

    struct Reason {
        let subject: String
        let text: String
    }

    /// Why `package`'s fix is not in effect: the outdated services that still run its replaced
    /// code (by kind, with the advice that works for each), and the reboot the host asks for it.
    static func notInEffect(_ package: String, _ a: Attribution, _ current: Snapshot) -> [Reason] {
        var units: [OutdatedService] = [], reasons: [Reason] = []
        for s in current.outdated where a.code(s).contains(package) {
            switch s.kind {
            case .unit, .service: units.append(s)
            case .manager:
                reasons.append(Reason(subject: s.name, text: "the service manager (PID 1) still runs the replaced \(replaced(s, package, a)): "
                                          + "systemctl daemon-reexec, or reboot"))
            case .session, .other:
                reasons.append(Reason(subject: s.name, text: "\(OutdatedDiff.label(s)) (\(s.processes.prefix(4).joined(separator: ", "))) "
                                          + "still run the replaced \(replaced(s, package, a)): restart them or log out"))
            }
        }
        if !units.isEmpty {
            let files = Array(Set(units.map { replaced($0, package, a) })).sorted().joined(separator: ", ")
            let names = units.map(\.name).sorted()
            let one = names.count == 1
            reasons.insert(Reason(subject: names.joined(separator: ", "),
                                  text: "\(names.joined(separator: ", ")) still \(one ? "runs" : "run") the replaced \(files); restart \(one ? "it" : "them")"),
                           at: 0)
        }
        let system = current.system
        if system.rebootRequired == true {
            if package.hasPrefix("linux-image") {
                reasons.append(Reason(subject: "reboot", text: "the host runs the old kernel (\(system.kernel)) until it reboots"))
            } else if let why = (system.rebootRequiredPackages + system.rebootReasons).first(where: { Attribution.mentions($0, package) }) {
                let reason = why == package ? "" : " (\(why))"
                reasons.append(Reason(subject: "reboot", text: "the host needs a reboot for it\(reason)"))
            }
        }
        return reasons
    }

    /// The base names of the service's replaced files that are `package`'s, or its programs.
    static func replaced(_ s: OutdatedService, _ package: String, _ a: Attribution) -> String {
        let files = s.files.filter { a.byPath[Attribution.merged($0)]?.contains(package) == true }
            .map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        if !files.isEmpty { return files.joined(separator: ", ") }
        let programs = s.processes.filter { a.program($0).contains(package) }
        return programs.isEmpty ? "code" : "program " + programs.joined(separator: ", ")
    }
}
