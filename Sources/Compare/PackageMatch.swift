import Model

/// Pairs the packages of two snapshots into changes, fast: a fleet is ~2,000 packages per host
/// times hundreds of hosts, and hashing every name is most of a diff's cost.
///
/// 1. Walk both lists side by side. Canonical snapshots are sorted the same way, so nearly
///    every position holds the same package on both sides; identical (name, arch, version)
///    entries are unchanged and consumed with a plain comparison. At a mismatch, a short
///    look-ahead on each side finds where the lists line up again (a package inserted or
///    removed); what is skipped is left over.
/// 2. The few leftovers are matched with dictionaries: identical entries first (so any input
///    order gives the same result), then one-to-one by (name, arch) as a version change, then
///    one-to-one by name as an architecture change (all -> amd64). The rest are installs and
///    removals. A name+arch listed several times (rpm's install-only kernels) is fine: each
///    version is its own entry.
enum PackageMatch {
    struct Key: Hashable { var name: String; var arch: String }
    struct Exact: Hashable { var name: String; var arch: String; var version: String }

    static let lookahead = 16

    static func changes(baseline b: [InstalledPackage], current c: [InstalledPackage]) -> [PackageDiff.Change] {
        var leftB: [InstalledPackage] = [], leftC: [InstalledPackage] = []
        var i = 0, j = 0
        func same(_ x: InstalledPackage, _ y: InstalledPackage) -> Bool {
            x.name == y.name && x.arch == y.arch && x.version == y.version
        }
        while i < b.count && j < c.count {
            if same(b[i], c[j]) { i += 1; j += 1; continue }
            if b[i].name == c[j].name && b[i].arch == c[j].arch {
                leftB.append(b[i]); leftC.append(c[j]); i += 1; j += 1; continue
            }
            // Where does each side's package reappear on the other side, if nearby?
            let inC = (1...lookahead).first { j + $0 < c.count && c[j + $0].name == b[i].name && c[j + $0].arch == b[i].arch }
            let inB = (1...lookahead).first { i + $0 < b.count && b[i + $0].name == c[j].name && b[i + $0].arch == c[j].arch }
            if let dc = inC, dc <= (inB ?? Int.max) {
                leftC.append(contentsOf: c[j..<(j + dc)]); j += dc      // inserted in current
            } else if let db = inB {
                leftB.append(contentsOf: b[i..<(i + db)]); i += db      // removed from baseline
            } else {
                leftB.append(b[i]); leftC.append(c[j]); i += 1; j += 1
            }
        }
        leftB.append(contentsOf: b[i...])
        leftC.append(contentsOf: c[j...])
        return pairLeftovers(leftB, leftC)
    }

    static func pairLeftovers(_ leftB: [InstalledPackage], _ leftC: [InstalledPackage]) -> [PackageDiff.Change] {
        if leftB.isEmpty && leftC.isEmpty { return [] }
        // Identical entries that the walk could not line up (unsorted input).
        var exact = [Exact: Int]()
        for p in leftB { exact[Exact(name: p.name, arch: p.arch, version: p.version), default: 0] += 1 }
        var removed: [InstalledPackage] = [], added: [InstalledPackage] = []
        for p in leftC {
            let k = Exact(name: p.name, arch: p.arch, version: p.version)
            if let n = exact[k], n > 0 { exact[k] = n - 1 } else { added.append(p) }
        }
        for p in leftB {
            let k = Exact(name: p.name, arch: p.arch, version: p.version)
            if let n = exact[k], n > 0 { exact[k] = n - 1; removed.append(p) }
        }
        var out: [PackageDiff.Change] = []
        (removed, added) = pairOneToOne(removed, added, by: { Key(name: $0.name, arch: $0.arch) }, into: &out)
        (removed, added) = pairOneToOne(removed, added, by: { $0.name }, into: &out)
        out += removed.map { PackageDiff.Change(before: $0, after: nil) }
        out += added.map { PackageDiff.Change(before: nil, after: $0) }
        return out
    }

    /// Pairs entries whose key occurs exactly once on each side; returns the unpaired rest.
    static func pairOneToOne<K: Hashable>(_ removed: [InstalledPackage], _ added: [InstalledPackage],
                                          by key: (InstalledPackage) -> K,
                                          into out: inout [PackageDiff.Change]) -> ([InstalledPackage], [InstalledPackage]) {
        var countB = [K: Int](), countC = [K: Int]()
        for p in removed { countB[key(p), default: 0] += 1 }
        for p in added { countC[key(p), default: 0] += 1 }
        func oneToOne(_ k: K) -> Bool { countB[k] == 1 && countC[k] == 1 }
        var partner = [K: InstalledPackage]()
        for p in removed where oneToOne(key(p)) { partner[key(p)] = p }
        var restC: [InstalledPackage] = []
        for p in added {
            if let old = partner[key(p)] { out.append(PackageDiff.Change(before: old, after: p)) } else { restC.append(p) }
        }
        return (removed.filter { !oneToOne(key($0)) }, restC)
    }
}
