import Yams

/// Reading Yams nodes the way Ansible's YAML loader (PyYAML, YAML 1.1) would see them, leniently:
/// an inventory or vars file is someone else's file, so shapes PostPatch does not need are skipped,
/// not refused.
enum InventoryYAMLNodes {
    /// The root node, nil for an empty document; syntax errors carry `file:line:col`.
    static func compose(_ text: String, file: String) throws -> Node? {
        let root: Node?
        try YAMLDepth.check(text, file: file)
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            // YAMLDocument already turns every libyaml error shape into the project's wording.
            return try YAMLDocument.compose(text, file: file)
        }
        guard let root, !YAMLDocument.isNull(root) else { return nil }
        return root
    }

    static func line(_ node: Node) -> Int {
        node.mark?.line ?? 1
    }

    /// Key/value pairs as the Python dict Ansible builds: `<<: *anchor` merge keys expanded in
    /// front (PyYAML), then a repeated key keeps its first position and takes its last value
    /// (Ansible warns and uses the last), so a mapping's own `vars:` replaces a merged one whole.
    static func pairs(_ mapping: Node.Mapping) -> [(key: Node, value: Node)] {
        var budget = Limits.standard.entries
        return (try? pairs(mapping, budget: &budget)) ?? []
    }

    /// `pairs(_:)`, each merged pair taken from `budget`: merge keys that alias each other
    /// (`<<: [*a, *a]`, level after level) double at each level, so past the budget it is refused.
    static func pairs(_ mapping: Node.Mapping, budget: inout Int) throws -> [(key: Node, value: Node)] {
        var merged: [(key: Node, value: Node)] = []
        var own: [(key: Node, value: Node)] = []
        for (key, value) in mapping {
            if case let .scalar(s) = key, s.string == "<<", s.style == .plain || s.style == .any {
                merged += try mergeSources(value, budget: &budget)
            } else {
                own.append((key, value))
            }
        }
        var result: [(key: Node, value: Node)] = []
        var position: [String: Int] = [:]
        for pair in merged + own {
            guard let name = key(pair.key) else {
                result.append(pair)
                continue
            }
            if let at = position[name] {
                result[at].value = pair.value
            } else {
                position[name] = result.count
                result.append(pair)
            }
        }
        return result
    }

    private static func mergeSources(_ node: Node, budget: inout Int) throws -> [(key: Node, value: Node)] {
        switch node {
        case let .mapping(m):
            budget -= m.count
            if budget < 0 { throw InventoryGraph.Refusal(message: Limits.standard.entriesExceeded()) }
            return try pairs(m, budget: &budget)
        case let .sequence(s):
            var all: [(key: Node, value: Node)] = []
            for item in s { all += try mergeSources(item, budget: &budget) }
            return all
        default: return []
        }
    }

    /// A key as text; Ansible stringifies scalar keys, and other keys are not names at all.
    static func key(_ node: Node) -> String? {
        guard case let .scalar(s) = node else { return nil }
        return s.string
    }

    static func value(_ node: Node) -> InventoryValue {
        switch node {
        case .scalar:
            if YAMLDocument.isNull(node) { return .null }
            return .string(node.scalar?.string ?? "")
        case .mapping: return .structured("mapping")
        case .sequence: return .structured("list")
        }
    }

    /// `!vault |` inline-encrypted values.
    static func isVaultEncrypted(_ node: Node) -> Bool {
        node.tag.description == "!vault"
    }

    static func kind(_ node: Node) -> String {
        switch node {
        case .scalar: return "a single value"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }
}
