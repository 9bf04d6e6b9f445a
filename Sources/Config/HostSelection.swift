/// A host picked to act on, as its sources name it; `HostResolver` then decides how to reach it.
public struct SelectedHost: Sendable, Equatable {
    /// What the checks file says of it: the config host of the same name, else the file's
    /// defaults, global checks and rules; for an inventory host, under the inventory's name and groups.
    public var host: ResolvedHost
    /// Its entry in the Ansible inventory, for an inventory host.
    public var inventory: InventoryHost?

    public init(host: ResolvedHost, inventory: InventoryHost? = nil) {
        self.host = host
        self.inventory = inventory
    }
}

extension ConfigFile {
    /// Hosts to act on. Without an inventory: `resolve(names:group:)`. With one: each name the
    /// inventory lists, the members of its `group`, or with neither all its hosts, each with the
    /// config host of the same name (else this file's defaults and global checks); names the
    /// inventory does not list are resolved by this file. Errors as `resolve(names:group:)`, and
    /// a group the inventory lacks.
    public func select(names: [String], group: String?, inventory: Inventory?) throws -> [SelectedHost] {
        try select(names: names, group: group, inventory: inventory, home: Self.homeDirectory())
    }

    /// `select(names:group:inventory:)` with `~` expanded against `home` instead of $HOME.
    public func select(names: [String], group: String?, inventory: Inventory?, home: String) throws -> [SelectedHost] {
        guard let inventory else {
            return try resolve(names: names, group: group, home: home).map { SelectedHost(host: $0) }
        }
        var picked: [InventoryHost] = []
        var others: [String] = []
        let byName = Dictionary(inventory.hosts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for name in names {
            if let h = byName[name] { picked.append(h) } else { others.append(name) }
        }
        if let group { picked += try inventory.hosts(inGroup: group) }
        if names.isEmpty && group == nil { picked = inventory.hosts }
        var seen = Set<String>()
        picked = picked.filter { seen.insert($0.name).inserted }
        var result = others.isEmpty ? [] : try resolve(names: others, group: nil, home: home).map { SelectedHost(host: $0) }
        let configNames = Set(hostNames)
        for h in picked {
            let configName = configNames.contains(h.name) ? h.name : h.address ?? h.name
            var r = try resolve(names: [configName], group: nil, home: home)[0]
            r.name = h.name
            r.groups = h.groups
            result.append(SelectedHost(host: r, inventory: h))
        }
        return result
    }
}
