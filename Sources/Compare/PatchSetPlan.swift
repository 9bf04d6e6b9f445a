import Model

/// `rollout --pin`, pure: what a patch changed on a host (recorded), the set merged across the
/// recording wave's hosts, what a later host must install to match it, and whether it does.
public enum PatchSetPlan {
    public struct Conflict: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// The change from `before` to `after`: every package whose version, presence or
    /// architecture differs, kernels included (`from` before's version, `to` after's).
    public static func changes(before: [InstalledPackage], after: [InstalledPackage]) -> [PackageChange] {
        var out: [PackageChange] = []
        for c in PackageMatch.changes(baseline: before, current: after) {
            switch (c.before, c.after) {
            case let (b?, a?) where b.arch == a.arch:
                if PackageVersion.compare(b.version, a.version, manager: a.manager) != 0 {
                    out.append(PackageChange(name: a.name, arch: a.arch, from: b.version, to: a.version))
                }
            case let (b?, a?):
                out.append(PackageChange(name: b.name, arch: b.arch, from: b.version, to: nil))
                out.append(PackageChange(name: a.name, arch: a.arch, from: nil, to: a.version))
            case let (nil, a?): out.append(PackageChange(name: a.name, arch: a.arch, from: nil, to: a.version))
            case let (b?, nil): out.append(PackageChange(name: b.name, arch: b.arch, from: b.version, to: nil))
            case (nil, nil): continue
            }
        }
        return out.sorted { $0.sortKey < $1.sortKey }
    }

    /// One version per package (name and architecture) across hosts. Two hosts that ended with
    /// different versions of one package are a conflict: no single set says what was tested.
    public static func merge(_ hosts: [PatchSet.Host]) throws -> [PackageChange] {
        var merged: [String: (PackageChange, String)] = [:]
        for h in hosts {
            for c in h.changes {
                if let (seen, first) = merged[c.sortKey] {
                    guard seen.to == c.to else {
                        throw Conflict(description: "the pinned wave's hosts disagree on \(c.name):\(c.arch): \(first) has \(seen.to ?? "it removed"), \(h.host) \(c.to ?? "it removed"); pin a wave whose hosts share their package sources, or give --patch-set FILE")
                    }
                    // Keep an install's `from` nil only when every host installed it.
                    if seen.from == nil, c.from != nil { merged[c.sortKey] = (c, first) }
                } else {
                    merged[c.sortKey] = (c, h.host)
                }
            }
        }
        return merged.values.map(\.0).sorted { $0.sortKey < $1.sortKey }
    }

    /// What `installed` needs to match `set`: a package of the set installed here in another
    /// version → the set's; absent here and new in the set (an install) → installed; removed
    /// by the set and present here → removed. A package the set upgrades but this host does not
    /// have is left alone (it was never this host's).
    public static func transaction(set: [PackageChange], installed: [InstalledPackage]) -> [PackageChange] {
        let here = Dictionary(installed.map { ($0.sortKey, $0) }, uniquingKeysWith: { a, _ in a })
        return set.compactMap { c in
            let now = here[c.sortKey]
            switch (now, c.to) {
            case let (p?, to?):
                return PackageVersion.compare(p.version, to, manager: p.manager) == 0 ? nil
                    : PackageChange(name: c.name, arch: c.arch, from: p.version, to: to)
            case let (nil, to?): return c.from == nil ? PackageChange(name: c.name, arch: c.arch, from: nil, to: to) : nil
            case let (p?, nil): return PackageChange(name: c.name, arch: c.arch, from: p.version, to: nil)
            case (nil, nil): return nil
            }
        }
    }

    /// After the wave: `patch-set-mismatch` for each package of the host's transaction not at
    /// the set's version in `installed`.
    public static func mismatches(host: String, expected: [PackageChange], installed: [InstalledPackage]) -> [Finding] {
        let here = Dictionary(installed.map { ($0.sortKey, $0) }, uniquingKeysWith: { a, _ in a })
        return expected.compactMap { c -> Finding? in
            let now = here[c.sortKey]
            let ok = switch (now, c.to) {
            case let (p?, to?): PackageVersion.compare(p.version, to, manager: p.manager) == 0
            case (nil, nil): true
            default: false
            }
            if ok { return nil }
            let subject = "\(c.name):\(c.arch)"
            let want = c.to ?? "removed", have = now?.version ?? "not installed"
            return Finding(host: host, kind: .patchSetMismatch, severity: FindingKind.patchSetMismatch.defaultSeverity, subject: subject,
                           before: want, after: have, message: "\(subject): the pinned patch set has \(want), the host \(have)")
        }
    }
}
