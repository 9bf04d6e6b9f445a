import Model

/// Kernel, boot, OS and reboot-required: one checked item per fact both snapshots know
/// (an empty value means the collector could not read it, so there is nothing to compare).
/// Uptime is volatile and never compared; the boot id tells reboots apart instead.
enum SystemDiff {
    static func items(baseline: SystemFacts, current: SystemFacts, patched: Set<String>,
                      maker: FindingMaker) -> [CheckedItem] {
        let (ob, oc) = (baseline.os, current.os)
        var items = [
            fact("kernel", baseline.kernel, current.kernel, known: !baseline.kernel.isEmpty && !current.kernel.isEmpty, maker) {
                maker.make(.kernelChanged, "kernel", before: baseline.kernel, after: current.kernel,
                           "kernel \(baseline.kernel) → \(current.kernel)")
            },
            fact("boot id", baseline.bootID, current.bootID, known: !baseline.bootID.isEmpty && !current.bootID.isEmpty, maker) {
                maker.make(.hostRebooted, "boot id", before: baseline.bootID, after: current.bootID,
                           "host rebooted (boot id \(short(baseline.bootID)) → \(short(current.bootID)))")
            },
            fact("os", ob, oc, known: !(ob.id + ob.versionID + ob.prettyName).isEmpty && !(oc.id + oc.versionID + oc.prettyName).isEmpty, maker) {
                maker.make(.osChanged, "os", before: osText(ob), after: osText(oc), "OS \(osText(ob)) → \(osText(oc))")
            },
        ].compactMap { $0 }
        if let now = current.rebootRequired {
            var found: [Finding] = []
            // Still required for the same reasons, with nothing patched since that bears on them,
            // is no change: an unchanged host gives no findings. Required anew, for new reasons,
            // or after a patch of a package the reasons name, it is "patched but not rebooted".
            let changed = baseline.rebootRequired != true
                || baseline.rebootRequiredPackages != current.rebootRequiredPackages
                || Set(baseline.rebootReasons) != Set(current.rebootReasons)
            if now && (changed || bearsOnReboot(patched, current)) {
                let pkgs = current.rebootRequiredPackages.isEmpty
                    ? "" : " (\(current.rebootRequiredPackages.joined(separator: ", ")))"
                let why = current.rebootReasons.isEmpty ? "" : ": " + current.rebootReasons.joined(separator: "; ")
                found.append(maker.make(.rebootRequired, "reboot required", before: baseline.rebootRequired.map(String.init),
                                        after: "true", "reboot required\(pkgs): patched but not rebooted\(why)"))
            }
            items.append(maker.item(.system, "reboot required", found))
        }
        return items
    }

    /// The checked item of a fact both snapshots `known`; `change` makes its finding when it differs.
    static func fact<T: Equatable>(_ subject: String, _ before: T, _ after: T, known: Bool, _ maker: FindingMaker,
                                   change: () -> Finding) -> CheckedItem? {
        guard known else { return nil }
        return maker.item(.system, subject, before == after ? [] : [change()])
    }

    /// Whether the packages patched since the baseline touch a pending reboot: one named by the
    /// reasons or by the reboot-required file, or any package when the host gave no names.
    static func bearsOnReboot(_ patched: Set<String>, _ facts: SystemFacts) -> Bool {
        guard !patched.isEmpty else { return false }
        let named = Set(facts.rebootRequiredPackages)
        let words = Set(facts.rebootReasons.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "(" || $0 == ")" }).map(String.init) })
        if named.isEmpty && !facts.rebootReasons.contains(where: { $0.hasPrefix("core packages") || $0.hasPrefix("running kernel") }) {
            return true
        }
        return !patched.isDisjoint(with: named) || !patched.isDisjoint(with: words)
    }

    static func osText(_ os: OSRelease) -> String {
        if !os.prettyName.isEmpty {
            // Debian's PRETTY_NAME omits the point release; show VERSION_ID when it adds something.
            return os.versionID.isEmpty || os.prettyName.contains(os.versionID)
                ? os.prettyName : "\(os.prettyName) [\(os.versionID)]"
        }
        return [os.id, os.versionID].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// First 8 characters of a boot id: enough to tell two apart in a sentence.
    static func short(_ id: String) -> String { String(id.prefix(8)) }
}
