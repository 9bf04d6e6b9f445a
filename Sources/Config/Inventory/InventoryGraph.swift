/// Groups, hosts and the edges between them, built the way Ansible's `InventoryData` builds them:
/// the same insertion orders (which decide host order), the same implicit `all` and `ungrouped`
/// groups, and the same refusal of cycles. Parsers feed it; `Inventory` reads it.
struct InventoryGraph {
    struct Group {
        var children: [String] = []
        var parents: [String] = []
        /// Direct members, in the order they were added.
        var hosts: [String] = []
        var vars: InventoryVars = [:]
        /// `ansible_group_priority`; Ansible's default is 1.
        var priority = 1
    }

    /// A refused edge or name; the parser adds file and line.
    struct Refusal: Error {
        var message: String
    }

    private(set) var groupOrder: [String] = []
    private(set) var groups: [String: Group] = [:]
    private(set) var hostOrder: [String] = []
    private(set) var hostVars: [String: InventoryVars] = [:]
    /// host -> groups that list it directly, in the order they did.
    private(set) var directGroups: [String: [String]] = [:]
    /// (group, host) pairs already linked: a 50,000-host range must not make adding quadratic.
    private var linked = Set<Pair>()

    private struct Pair: Hashable {
        var group: String
        var host: String
    }

    init() {
        addGroup("all")
        addGroup("ungrouped")
        groups["all"]?.children = ["ungrouped"]
        groups["ungrouped"]?.parents = ["all"]
    }

    mutating func addGroup(_ name: String) {
        guard groups[name] == nil else { return }
        groups[name] = Group()
        groupOrder.append(name)
    }

    /// Adds `name` to `group` (created if new). `port` (from `host:port`) counts only when the host
    /// is first seen, as Ansible sets it once when it creates the host.
    mutating func addHost(_ name: String, group: String, port: Int?) {
        addGroup(group)
        if hostVars[name] == nil {
            hostOrder.append(name)
            // Port 0 sets nothing: Ansible tests the port for truth before storing it.
            hostVars[name] = port.flatMap { $0 == 0 ? nil : ["ansible_port": .int($0)] } ?? [:]
        }
        guard linked.insert(Pair(group: group, host: name)).inserted else { return }
        groups[group]?.hosts.append(name)
        directGroups[name, default: []].append(group)
    }

    mutating func setHostVars(_ name: String, _ vars: InventoryVars) {
        hostVars[name, default: [:]].merge(vars) { _, new in new }
    }

    mutating func setGroupVars(_ name: String, _ vars: InventoryVars) {
        addGroup(name)
        groups[name]?.vars.merge(vars) { _, new in new }
    }

    mutating func setPriority(_ name: String, _ priority: Int) {
        addGroup(name)
        groups[name]?.priority = priority
    }

    mutating func addChild(_ parent: String, _ child: String) throws {
        if parent == child { throw Refusal(message: "group '\(child)' cannot be its own child") }
        addGroup(parent)
        addGroup(child)
        guard groups[parent]?.children.contains(child) == false else { return }
        if ancestors(of: parent).contains(child) {
            throw Refusal(message: "making '\(child)' a child of '\(parent)' creates a loop "
                + "('\(parent)' is already inside '\(child)')")
        }
        groups[parent]?.children.append(child)
        groups[child]?.parents.append(parent)
    }

    func ancestors(of group: String) -> Set<String> {
        var seen = Set<String>()
        var queue = groups[group]?.parents ?? []
        while let next = queue.popLast() {
            if seen.insert(next).inserted { queue += groups[next]?.parents ?? [] }
        }
        return seen
    }

    /// Ansible's `reconcile_inventory`: every parentless group goes under `all`; a host with no
    /// group but `all` joins `ungrouped`, and a host in a real group leaves it.
    mutating func reconcile() {
        for name in groupOrder where name != "all" && ancestors(of: name).isEmpty {
            try? addChild("all", name)
        }
        var leaving = Set<String>()
        for host in hostOrder {
            let mine = groupsOf(host: host)
            if mine.contains("ungrouped") {
                if !mine.subtracting(["all", "ungrouped"]).isEmpty { leaving.insert(host) }
            } else if mine.subtracting(["all"]).isEmpty {
                addHost(host, group: "ungrouped", port: nil)
            }
        }
        guard !leaving.isEmpty else { return }
        groups["ungrouped"]?.hosts.removeAll { leaving.contains($0) }
        for host in leaving {
            directGroups[host]?.removeAll { $0 == "ungrouped" }
            linked.remove(Pair(group: "ungrouped", host: host))
        }
    }

    /// Direct groups plus all their ancestors.
    func groupsOf(host: String) -> Set<String> {
        var result = Set<String>()
        for group in directGroups[host] ?? [] where result.insert(group).inserted {
            result.formUnion(ancestors(of: group))
        }
        return result
    }

    /// Longest path from a root (`all` after `reconcile`), as Ansible's `Group.depth`: deeper groups
    /// are more specific, so their variables are merged later.
    func depths() -> [String: Int] {
        var depth: [String: Int] = [:]
        var pendingParents = groups.mapValues { $0.parents.count }
        var ready = groupOrder.filter { pendingParents[$0] == 0 }
        for name in ready { depth[name] = 0 }
        while let name = ready.popLast() {
            for child in groups[name]?.children ?? [] {
                depth[child] = max(depth[child] ?? 0, (depth[name] ?? 0) + 1)
                pendingParents[child, default: 1] -= 1
                if pendingParents[child] == 0 { ready.append(child) }
            }
        }
        return depth
    }

    /// Hosts of `group` and its descendants: the group's own hosts, then its children's, level by
    /// level, each host once, as Ansible's `Group.get_hosts` walks them.
    func members(of group: String) -> [String] {
        guard let top = groups[group] else { return [] }
        var ordered = [group] + top.children
        var seen = Set<String>()
        var level = ordered
        while !level.isEmpty {
            seen.formUnion(level)
            var next: [String] = []
            for name in level {
                for child in groups[name]?.children ?? [] where !seen.contains(child) && !next.contains(child) {
                    next.append(child)
                }
            }
            ordered += next
            level = next
        }
        var hosts: [String] = []
        var listed = Set<String>()
        for name in ordered {
            for host in groups[name]?.hosts ?? [] where listed.insert(host).inserted {
                hosts.append(host)
            }
        }
        return hosts
    }
}
