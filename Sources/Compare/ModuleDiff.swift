import Foundation
import Model

/// Kernel modules: one aggregate item "loaded modules (N)" for the loaded ones, and one item per
/// module of the baseline that is not loaded now (`module-missing`, a warning by default: a
/// module loaded once on demand, say isofs for a mounted image, is not back after a reboot
/// until something asks for it again). `rules: critical_modules` globs make it a regression for
/// the modules that matter (zfs, a DKMS driver); `ignore: modules` globs drop modules. A module
/// loaded now and not in the baseline is no finding. Names match with `-` and `_` alike, as
/// modprobe takes them (the kernel shows `_`).
enum ModuleDiff {
    static func items(baseline: [KernelModule], current: [KernelModule], maker: FindingMaker) -> [CheckedItem] {
        let ignore = maker.rules.ignore[.modules], critical = maker.rules.criticalModules
        let loaded = Set(current.map { underscored($0.name) })
        var items = [maker.item(.modules, "loaded modules (\(current.count))")]
        for b in baseline where !loaded.contains(underscored(b.name)) {
            let names = [underscored(b.name), b.name.replacingOccurrences(of: "_", with: "-")]
            func matches(_ globs: [String]) -> Bool { globs.contains { g in names.contains { Glob.matches(g, $0) } } }
            if matches(ignore) { continue }
            let tree = b.taints.contains("O") ? " (out of tree: built for the kernel it was loaded under)" : ""
            var finding = maker.make(.moduleMissing, b.name, before: "loaded", after: "not loaded",
                                     "kernel module \(b.name) is no longer loaded\(tree)")
            if matches(critical) { finding.severity = .regression }
            items.append(maker.item(.modules, b.name, [finding]))
        }
        return items
    }

    static func underscored(_ name: String) -> String { name.replacingOccurrences(of: "-", with: "_") }
}
