import Model

/// Kernel settings: one aggregate item for the unchanged ones, one item per changed key
/// (minus `ignore: sysctl` globs of the key). `sysctl-changed` says where the value came from:
/// a runtime value the files never persisted, reset by the reboot, is the common post-patch
/// outage ("net.ipv4.ip_forward is 0, was 1: set at runtime and not persisted in /etc/sysctl.d").
enum SysctlDiff {
    static func items(baseline: Snapshot, current: Snapshot, maker: FindingMaker) -> [CheckedItem] {
        guard let b = baseline.sysctl, let c = current.sysctl else { return [] }
        let ignore = maker.rules.ignore[.sysctl]
        func kept(_ key: String) -> Bool { ignore.isEmpty || !Glob.any(ignore, key) }
        var now = [String: KernelSetting](minimumCapacity: c.count)
        for s in c { now[s.key] = s }
        var items = [maker.item(.sysctl, "kernel settings (\(c.count))")]
        for old in b where kept(old.key) {
            guard let new = now[old.key] else {
                items.append(maker.item(.sysctl, old.key, [
                    maker.make(.sysctlChanged, old.key, before: old.value, after: nil,
                               "\(old.key) no longer exists (was \(old.value)): the module that provides it is not loaded"),
                ]))
                continue
            }
            guard new.value != old.value else { continue }
            items.append(maker.item(.sysctl, old.key, [
                maker.make(.sysctlChanged, old.key, before: old.value, after: new.value, message(old, new)),
            ]))
        }
        return items
    }

    static func message(_ old: KernelSetting, _ new: KernelSetting) -> String {
        let head = "\(new.key) is \(new.value), was \(old.value)"
        if old.persisted != old.value {
            // The baseline's value was set at runtime: nothing persisted it.
            if let p = new.persisted, p == new.value, let file = new.persistedIn {
                return head + ": set at runtime and not persisted; \(file) sets \(p), which the reboot applied"
            }
            if new.persisted == nil { return head + ": set at runtime and not persisted in /etc/sysctl.d" }
        }
        if new.persisted != old.persisted, let p = new.persisted, let file = new.persistedIn {
            return head + ": \(file) now sets \(p)" + (old.persisted.map { " (was \($0))" } ?? "")
        }
        if let p = new.persisted, p != new.value {
            return head + ": \(new.persistedIn ?? "the sysctl files") persist \(p): changed at runtime since the boot"
        }
        return head
    }
}
