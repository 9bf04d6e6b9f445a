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
    /// What this file may hold; `spend` and `checkLimits` enforce it as the parsers go.
    let limits: Limits
    /// Host and group entries visited so far, repeats included (aliases, merge keys, ranges).
    private var entries = 0

    private struct Pair: Hashable {
        var group: String
        var host: String
    }

    init(limits: Limits = .standard) {
        self.limits = limits
        addGroup("all")
        addGroup("ungrouped")
        groups["all"]?.children = ["ungrouped"]
        groups["ungrouped"]?.parents = ["all"]
    }

    /// Counts `count` entries visited; past `limits.entries` the file is refused (a few KB of
    /// YAML aliasing itself 29 levels deep stands for 2^29 groups).
    mutating func spend(_ count: Int = 1) throws {
        entries += count
        if entries > limits.entries { throw Refusal(message: limits.entriesExceeded()) }
    }

    /// Refuses a file once it holds more hosts or groups than its limits allow.
    func checkLimits() throws {
        if hostOrder.count > limits.hosts { throw Refusal(message: limits.hostsExceeded("the inventory lists")) }
        if groupOrder.count > limits.groups + 2 { throw Refusal(message: limits.groupsExceeded("the inventory defines")) }
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
        if wouldLoop(parent: parent, child: child) {
            throw Refusal(message: "making '\(child)' a child of '\(parent)' creates a loop "
                + "('\(parent)' is already inside '\(child)')")
        }
        groups[parent]?.children.append(child)
        groups[child]?.parents.append(parent)
    }

    /// Whether `child` is already above `parent`, so the edge would close a loop. The walk up from
    /// `parent` and the walk down from `child` advance in turn and stop when either runs out: a
    /// chain of thousands of groups built from either end costs little per edge.
    private func wouldLoop(parent: String, child: String) -> Bool {
        var up = Walk(from: parent), down = Walk(from: child)
        while true {
            guard let above = up.next(groups, \.parents) else { return false }
            if above == child { return true }
            guard let below = down.next(groups, \.children) else { return false }
            if below == parent { return true }
        }
    }

    private struct Walk {
        var seen: Set<String>
        var queue: [String]
        init(from start: String) { (seen, queue) = ([start], [start]) }

        /// The next group reached along `edges` (the start first), each once; nil when all are.
        mutating func next(_ groups: [String: Group], _ edges: KeyPath<Group, [String]>) -> String? {
            guard let name = queue.popLast() else { return nil }
            for other in groups[name]?[keyPath: edges] ?? [] where seen.insert(other).inserted {
                queue.append(other)
            }
            return name
        }
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
        for name in groupOrder where name != "all" && groups[name]?.parents.isEmpty != false {
            try? addChild("all", name)
        }
        var leaving = Set<String>()
        // From direct groups only: all of each host's groups would cost hosts x nesting depth.
        let underUngrouped = descendants(of: "ungrouped").union(["ungrouped"])
        let ungroupedIsPlain = groups["ungrouped"]?.parents == ["all"]
        for host in hostOrder {
            let direct = directGroups[host] ?? []
            guard ungroupedIsPlain else {
                let mine = groupsOf(host: host)
                if mine.contains("ungrouped") {
                    if !mine.subtracting(["all", "ungrouped"]).isEmpty { leaving.insert(host) }
                } else if mine.subtracting(["all"]).isEmpty {
                    addHost(host, group: "ungrouped", port: nil)
                }
                continue
            }
            // A group other than all and ungrouped is among the host's groups iff one is direct.
            let inOthers = direct.contains { $0 != "all" && $0 != "ungrouped" }
            if direct.contains(where: underUngrouped.contains) {
                if inOthers { leaving.insert(host) }
            } else if !inOthers {
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

    /// Groups below `group` through children.
    func descendants(of group: String) -> Set<String> {
        var walk = Walk(from: group)
        var seen = Set<String>()
        while let next = walk.next(groups, \.children) { seen.insert(next) }
        seen.remove(group)
        return seen
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
                for child in groups[name]?.children ?? [] where seen.insert(child).inserted {
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
