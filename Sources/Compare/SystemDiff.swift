import Model

/// Kernel, boot, OS and reboot-required: one checked item per fact both snapshots know
/// (an empty value means the collector could not read it, so there is nothing to compare).
/// Uptime is volatile and never compared; the boot id tells reboots apart instead.
enum SystemDiff {
    static func items(baseline: SystemFacts, current: SystemFacts, somethingPatched: Bool,
                      maker: FindingMaker) -> [CheckedItem] {
        var items: [CheckedItem] = []
        if !baseline.kernel.isEmpty && !current.kernel.isEmpty {
            var found: [Finding] = []
            if baseline.kernel != current.kernel {
                found.append(maker.make(.kernelChanged, "kernel", before: baseline.kernel, after: current.kernel,
                                        "kernel \(baseline.kernel) → \(current.kernel)"))
            }
            items.append(maker.item(.system, "kernel", found))
        }
        if !baseline.bootID.isEmpty && !current.bootID.isEmpty {
            var found: [Finding] = []
            if baseline.bootID != current.bootID {
                found.append(maker.make(.hostRebooted, "boot id", before: baseline.bootID, after: current.bootID,
                                        "host rebooted (boot id \(short(baseline.bootID)) → \(short(current.bootID)))"))
            }
            items.append(maker.item(.system, "boot id", found))
        }
        let (ob, oc) = (baseline.os, current.os)
        if !(ob.id + ob.versionID + ob.prettyName).isEmpty && !(oc.id + oc.versionID + oc.prettyName).isEmpty {
            var found: [Finding] = []
            if ob != oc {
                found.append(maker.make(.osChanged, "os", before: osText(ob), after: osText(oc),
                                        "OS \(osText(ob)) → \(osText(oc))"))
            }
            items.append(maker.item(.system, "os", found))
        }
        if let now = current.rebootRequired {
            var found: [Finding] = []
            // Still flagged for the same reasons while nothing was patched since the baseline is
            // no change: an unchanged host gives no findings. Flagged anew, for new reasons, or
            // after a patch, it is "patched but not rebooted".
            let changed = baseline.rebootRequired != true
                || baseline.rebootRequiredPackages != current.rebootRequiredPackages
                || Set(baseline.rebootReasons) != Set(current.rebootReasons)
            if now && (changed || somethingPatched) {
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
