import Yams

/// Ansible's YAML inventory format (the `yaml` inventory plugin): top-level keys are groups, each
/// with optional `hosts:`, `children:` (groups, recursively) and `vars:`. Shapes Ansible skips with
/// a warning are skipped with a warning here; shapes it refuses are refused with file:line.
struct InventoryYAML {
    let file: String
    private(set) var graph: InventoryGraph
    private(set) var reader: InventoryVarsReader
    private(set) var warnings: [String] = []
    /// Entries merge keys may still expand to (`<<: [*a, *a]` nested doubles at each level).
    private var mergeBudget: Int
    /// How many groups deep `children:` has taken the reading.
    private var nesting = 0

    static func parse(_ root: Node, file: String,
                      limits: Limits = .standard) throws -> (InventoryGraph, InventoryVarsReader, [String]) {
        guard case let .mapping(top) = root else {
            throw ConfigError(file: file, line: InventoryYAMLNodes.line(root), column: 1,
                              message: "a YAML inventory must be a mapping of group names (all:, webservers:, ...), "
                                  + "got \(InventoryYAMLNodes.kind(root))")
        }
        var parser = InventoryYAML(file: file, reader: InventoryVarsReader(file: file), limits: limits)
        let pairs = try parser.pairs(top)
        if let plugin = pairs.first(where: { InventoryYAMLNodes.key($0.key) == "plugin" }),
           !YAMLDocument.isNull(plugin.value) {
            throw ConfigError(file: file, line: InventoryYAMLNodes.line(plugin.key), column: 1,
                              message: "this is an inventory plugin configuration, not a static inventory; "
                                  + "PostPatch reads static files: export one with "
                                  + "'ansible-inventory -i \(file) --list --yaml > hosts.yml'")
        }
        for (key, value) in pairs {
            let name = try parser.name(key, what: "group name")
            _ = try parser.group(name, value)
        }
        return (parser.graph, parser.reader, parser.warnings)
    }

    private init(file: String, reader: InventoryVarsReader, limits: Limits) {
        self.file = file
        self.reader = reader
        graph = InventoryGraph(limits: limits)
        mergeBudget = limits.entries
    }

    private mutating func pairs(_ mapping: Node.Mapping) throws -> [(key: Node, value: Node)] {
        do { return try InventoryYAMLNodes.pairs(mapping, budget: &mergeBudget) } catch is InventoryGraph.Refusal {
            throw ConfigError(file: file, message: graph.limits.entriesExceeded())
        }
    }

    /// Runs `step` on the graph, turning a limit it hits into an error at `node`.
    private mutating func limited(_ node: Node, _ step: (inout InventoryGraph) throws -> Void) throws {
        do { try step(&graph) } catch let refusal as InventoryGraph.Refusal { throw refuse(node, refusal.message) }
    }

    private func refuse(_ node: Node, _ message: String) -> ConfigError {
        ConfigError(file: file, line: InventoryYAMLNodes.line(node), column: node.mark?.column ?? 1, message: message)
    }

    private func name(_ node: Node, what: String) throws -> String {
        guard let name = InventoryYAMLNodes.key(node), !name.isEmpty else {
            throw refuse(node, "expected a \(what), got \(InventoryYAMLNodes.kind(node))")
        }
        return name
    }

    /// Returns false when the definition was skipped (not a mapping), as Ansible skips it.
    private mutating func group(_ name: String, _ node: Node) throws -> Bool {
        try limited(node) { try $0.spend() }
        if YAMLDocument.isNull(node) {
            graph.addGroup(name)
            try limited(node) { try $0.checkLimits() }
            return true
        }
        guard case let .mapping(body) = node else {
            warnings.append("\(file):\(InventoryYAMLNodes.line(node)): skipped '\(name)': a group is a mapping "
                + "with hosts:, children: or vars:, this is \(InventoryYAMLNodes.kind(node))")
            return false
        }
        graph.addGroup(name)
        try limited(node) { try $0.checkLimits() }
        for (keyNode, value) in try pairs(body) {
            let key = InventoryYAMLNodes.key(keyNode) ?? ""
            guard ["hosts", "children", "vars"].contains(key) else {
                warnings.append("\(file):\(InventoryYAMLNodes.line(keyNode)): skipped key '\(key)' in group "
                    + "'\(name)'; a group has only hosts:, children: and vars:")
                continue
            }
            if YAMLDocument.isNull(value) { continue }
            let entries: [(key: Node, value: Node)]
            switch value {
            // A single name is allowed: `hosts: web1` means `hosts: {web1: }`.
            case .scalar: entries = [(value, Node("~"))]
            case let .mapping(m): entries = try pairs(m)
            case .sequence:
                throw refuse(value, "'\(key)' of group '\(name)' must be a mapping (one '- item' list is not "
                    + "accepted by Ansible either): write each entry as 'name:' on its own line")
            }
            switch key {
            case "vars": try groupVars(name, entries)
            case "children": try children(name, entries)
            default: try hosts(name, entries)
            }
        }
        return true
    }

    private mutating func groupVars(_ group: String, _ entries: [(key: Node, value: Node)]) throws {
        var vars: InventoryVars = [:]
        for (keyNode, value) in entries {
            let key = try name(keyNode, what: "variable name")
            if key == InventoryKeys.groupPriority {
                if let priority = InventoryGroupPriority.value(InventoryYAMLNodes.value(value)) {
                    graph.setPriority(group, priority)
                } else {
                    warnings.append("\(file):\(InventoryYAMLNodes.line(value)): ansible_group_priority of '\(group)' "
                        + "is not a whole number; ignored")
                }
                continue
            }
            reader.read(key, InventoryYAMLNodes.value(value), line: InventoryYAMLNodes.line(keyNode), into: &vars,
                        encrypted: InventoryYAMLNodes.isVaultEncrypted(value))
        }
        graph.setGroupVars(group, vars)
    }

    private mutating func children(_ parent: String, _ entries: [(key: Node, value: Node)]) throws {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Limits.nesting, let first = entries.first {
            throw refuse(first.key, "groups nest more than \(Limits.nesting) deep under 'children:'; "
                + "Ansible inventories need a handful of levels")
        }
        for (keyNode, value) in entries {
            let child = try name(keyNode, what: "group name")
            if try !group(child, value), graph.groups[child] == nil {
                throw refuse(keyNode, "child '\(child)' of group '\(parent)' is not a group definition")
            }
            do { try graph.addChild(parent, child) } catch let refusal as InventoryGraph.Refusal {
                throw refuse(keyNode, refusal.message)
            }
        }
    }

    private mutating func hosts(_ group: String, _ entries: [(key: Node, value: Node)]) throws {
        for (keyNode, value) in entries {
            let pattern = try name(keyNode, what: "host name")
            let (hostPattern, port) = InventoryHostPattern.split(pattern)
            let names: [String]
            do { names = try InventoryHostPattern.expand(hostPattern) } catch let refusal as InventoryGraph.Refusal {
                throw refuse(keyNode, refusal.message)
            }
            try limited(keyNode) { try $0.spend(names.count) }
            var vars: InventoryVars = [:]
            if case let .mapping(hostBody) = value {
                for (varKey, varValue) in try pairs(hostBody) {
                    let key = try name(varKey, what: "variable name")
                    reader.read(key, InventoryYAMLNodes.value(varValue), line: InventoryYAMLNodes.line(varKey),
                                into: &vars, encrypted: InventoryYAMLNodes.isVaultEncrypted(varValue))
                }
            } else if !YAMLDocument.isNull(value) {
                throw refuse(value, "the variables of host '\(pattern)' must be a mapping (key: value lines), "
                    + "got \(InventoryYAMLNodes.kind(value))")
            }
            for host in names {
                graph.addHost(host, group: group, port: port)
                graph.setHostVars(host, vars)
            }
            try limited(keyNode) { try $0.checkLimits() }
        }
    }
}
