/// Ansible's variable precedence for one host, lowest first, as `VariableManager.get_vars` applies
/// it with the default `[defaults] precedence` (docs: "Understanding variable precedence" and
/// "How variables are merged"):
///
///  1. the inventory's `all` group vars
///  2. the inventory's other group vars, sorted by (depth, ansible_group_priority, name)
///  3. group_vars/all
///  4. group_vars/<group> for the host's other groups, in that same order
///  5. the inventory's host vars
///  6. host_vars/<host>
///
/// Depth is the longest path from `all`, so a child group beats its parent; among groups of equal
/// depth the higher priority (default 1) and then the later name in ASCII order wins. Note that
/// step 4 comes after step 2 as a whole: a parent's group_vars file beats a child's inline vars.
enum InventoryMerge {
    static func hosts(_ graph: InventoryGraph, files: inout InventoryVarsFiles,
                      warnings: inout [String]) throws -> [InventoryHost] {
        let depths = graph.depths()
        if let deepest = depths.values.max(), deepest > Limits.nesting {
            throw InventoryGraph.Refusal(message: "groups nest more than \(Limits.nesting) deep through children; "
                + "Ansible inventories need a handful of levels")
        }
        var order = graph.members(of: "all")
        let listed = Set(order)
        order += graph.hostOrder.filter { !listed.contains($0) }
        var hosts: [InventoryHost] = []
        // Every host carries its groups: 50,000 hosts in 2,000 nested groups would be 10^8 names.
        var memberships = 0
        for name in order {
            let others = sorted(graph.groupsOf(host: name).subtracting(["all"]), graph, depths)
            memberships += others.count
            if memberships > graph.limits.memberships {
                throw InventoryGraph.Refusal(message: graph.limits.membershipsExceeded())
            }
            var layers: [InventoryVars] = [graph.groups["all"]?.vars ?? [:]]
            layers += others.map { graph.groups[$0]?.vars ?? [:] }
            layers.append(try files.group("all"))
            for group in others { layers.append(try files.group(group)) }
            layers.append(graph.hostVars[name] ?? [:])
            layers.append(try files.host(name))
            let connection = InventoryVarsMerge.connection(host: name, InventoryVarsMerge.flatten(layers),
                                                           problems: &warnings)
            hosts.append(InventoryHost(name: name, address: connection.address, port: connection.port,
                                       user: connection.user, privateKeyFile: connection.privateKeyFile,
                                       groups: ["all"] + others))
        }
        return hosts
    }

    /// Ansible's `sort_groups`: (depth, priority, name), names compared by code point as Python does.
    static func sorted(_ names: Set<String>, _ graph: InventoryGraph, _ depths: [String: Int]) -> [String] {
        names.sorted { a, b in
            let (da, db) = (depths[a] ?? 0, depths[b] ?? 0)
            if da != db { return da < db }
            let (pa, pb) = (graph.groups[a]?.priority ?? 1, graph.groups[b]?.priority ?? 1)
            if pa != pb { return pa < pb }
            return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
        }
    }
}
