import Model

/// Mounts: one checked item per mount point in either snapshot (minus `ignore: mounts` globs).
///
/// Noise rules (docs/findings.md, "Mounts"): pseudo and volatile mounts are never recorded
/// (Collect's MountsParser); size is never compared (tmpfs and pool-backed filesystems report a
/// size that moves); use is compared only against `space_warning_percent`: `space-low` when a
/// mount is at or above it now and was below it in the baseline, so use moving below the
/// threshold, or staying above it, is no finding. A use unknown on either side (df did not
/// list the mount, or timed out) is not compared. Read-only → read-write is no finding.
enum MountDiff {
    static func items(baseline: [Mount], current: [Mount], maker: FindingMaker) -> [CheckedItem] {
        let ignore = maker.rules.ignore[.mounts]
        func kept(_ m: Mount) -> Bool { ignore.isEmpty || !Glob.any(ignore, m.mountPoint) }
        var before = [String: Mount](minimumCapacity: baseline.count)
        for m in baseline where kept(m) { before[m.mountPoint] = m }
        var items: [CheckedItem] = []
        for c in current where kept(c) {
            let b = before.removeValue(forKey: c.mountPoint)
            items.append(maker.item(.mounts, c.mountPoint, b.map { findings($0, c, maker) } ?? [
                maker.make(.mountAdded, c.mountPoint, after: what(c), "\(c.mountPoint) is mounted now (\(what(c)))"),
            ]))
        }
        for b in before.values {
            items.append(maker.item(.mounts, b.mountPoint, [
                maker.make(.mountMissing, b.mountPoint, before: what(b), after: "not mounted",
                           "\(b.mountPoint) is no longer mounted (was \(what(b)))"),
            ]))
        }
        return items
    }

    static func findings(_ b: Mount, _ c: Mount, _ maker: FindingMaker) -> [Finding] {
        var out: [Finding] = []
        let point = c.mountPoint
        if !b.readOnly && c.readOnly {
            out.append(maker.make(.mountReadonly, point, before: "rw", after: "ro", "\(point) is read-only now (was read-write)"))
        }
        if b.source != c.source || b.fsType != c.fsType {
            out.append(maker.make(.mountSourceChanged, point, before: what(b), after: what(c),
                                  "\(point) is mounted from \(what(c)), was \(what(b))"))
        }
        let limit = maker.rules.spaceWarningPercentInForce
        if let now = c.usedPercent, let then = b.usedPercent, now >= limit, then < limit {
            out.append(maker.make(.spaceLow, point, before: "\(then)%", after: "\(now)%",
                                  "\(point) is \(now)% full (was \(then)%; space_warning_percent \(limit))"))
        }
        return out
    }

    /// "ext4 /dev/sda1", "nfs4 nas:/export".
    static func what(_ m: Mount) -> String { "\(m.fsType) \(m.source)" }
}
