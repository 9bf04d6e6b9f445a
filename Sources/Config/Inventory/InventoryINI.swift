/// Ansible's INI inventory format (the `ini` inventory plugin), read into an `InventoryGraph`:
/// hosts before any section are `ungrouped`; `[g]` lists hosts, `[g:children]` groups and
/// `[g:vars]` variables; a group named under `:children` must get a section of its own somewhere
/// in the file, and `:vars` needs a group the file declares, or the file is refused, as Ansible does.
struct InventoryINI {
    private struct Pending {
        var line: Int
        var isVars: Bool
        var parents: [String]
    }

    let file: String
    private(set) var graph: InventoryGraph
    private(set) var reader: InventoryVarsReader
    private(set) var warnings: [String] = []
    private var pending: [String: Pending] = [:]
    private var pendingOrder: [String] = []
    private var line = 0

    static func parse(_ text: String, file: String,
                      limits: Limits = .standard) throws -> (InventoryGraph, InventoryVarsReader, [String]) {
        var parser = InventoryINI(file: file, reader: InventoryVarsReader(file: file), limits: limits)
        try parser.run(text)
        return (parser.graph, parser.reader, parser.warnings)
    }

    private init(file: String, reader: InventoryVarsReader, limits: Limits) {
        self.file = file
        self.reader = reader
        graph = InventoryGraph(limits: limits)
    }

    /// Runs `step` on the graph, turning a limit it hits into an error at this line.
    private mutating func limited(_ step: (inout InventoryGraph) throws -> Void) throws {
        do { try step(&graph) } catch let refusal as InventoryGraph.Refusal { throw refuse(refusal.message) }
    }

    private func refuse(_ message: String, at line: Int? = nil) -> ConfigError {
        ConfigError(file: file, line: line ?? self.line, column: 1, message: message)
    }

    private mutating func run(_ text: String) throws {
        var group = "ungrouped"
        var state = "hosts"
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            line += 1
            var content = Substring(raw.trimmingWhitespace)
            if line == 1, content.first == "\u{FEFF}" { content = content.dropFirst() }
            guard let first = content.first, first != "#", first != ";" else { continue }
            if let (name, kind) = Self.section(content) {
                guard ["hosts", "children", "vars"].contains(kind) else {
                    throw refuse("section [\(name):\(kind)] has unknown type '\(kind)'; use [\(name)], "
                        + "[\(name):children] or [\(name):vars]")
                }
                try enterSection(name, kind)
                try limited { try $0.spend(); try $0.checkLimits() }
                (group, state) = (name, kind)
                continue
            }
            if content.hasPrefix("["), content.hasSuffix("]") {
                throw refuse("invalid section header \(content): a group name has no spaces, ':' or ']' "
                    + "and the only suffixes are :children and :vars")
            }
            switch state {
            case "hosts": try hostLine(content, group: group)
            case "vars": try varsLine(content, group: group)
            default: try childLine(content, group: group)
            }
        }
        try reportPending()
    }

    /// `[name]` or `[name:kind]`, optionally followed by a `#` comment, as Ansible's section pattern.
    private static func section(_ s: Substring) -> (String, String)? {
        guard s.first == "[", let close = s.firstIndex(of: "]") else { return nil }
        let inside = s[s.index(after: s.startIndex)..<close]
        let after = s[s.index(after: close)...].drop { $0.isWhitespace }
        guard after.isEmpty || after.first == "#" else { return nil }
        let parts = inside.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts[0]
        guard !name.isEmpty, !name.contains(where: \.isWhitespace) else { return nil }
        guard parts.count == 2 else { return (String(name), "hosts") }
        let kind = parts[1]
        guard !kind.isEmpty, kind.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        return (String(name), String(kind))
    }

    private mutating func enterSection(_ name: String, _ kind: String) throws {
        if graph.groups[name] == nil {
            if kind == "vars", pending[name] == nil { addPending(name, Pending(line: line, isVars: true, parents: [])) }
            graph.addGroup(name)
        }
        guard let waiting = pending[name], kind != "vars" else { return }
        if waiting.isVars {
            removePending(name)
        } else {
            try addPendingChildren(name)
        }
    }

    private mutating func addPendingChildren(_ group: String) throws {
        guard let waiting = pending[group] else { return }
        removePending(group)
        for parent in waiting.parents {
            do { try graph.addChild(parent, group) } catch let refusal as InventoryGraph.Refusal {
                throw refuse(refusal.message, at: waiting.line)
            }
            if let up = pending[parent], !up.isVars { try addPendingChildren(parent) }
        }
    }

    private mutating func hostLine(_ content: Substring, group: String) throws {
        let words: [String]
        do { words = try InventoryINIValues.shellWords(content) } catch let e as InventoryINIValues.Unbalanced {
            throw refuse("cannot read the line of host '\(Self.firstWord(content))': \(e.message)")
        }
        guard let pattern = words.first, !pattern.isEmpty else { throw refuse("empty host name") }
        let (hostPattern, port) = InventoryHostPattern.split(pattern)
        if port == nil, pattern.trimmingWhitespace.hasSuffix(":") {
            throw refuse("host '\(pattern)' ends in ':'; that character introduces a port, as in host:2222")
        }
        let names: [String]
        do { names = try InventoryHostPattern.expand(hostPattern) } catch let refusal as InventoryGraph.Refusal {
            throw refuse(refusal.message)
        }
        try limited { try $0.spend(names.count) }
        if names.contains(where: { $0.trimmingWhitespace == "---" }) {
            throw refuse("host '---' looks like the start of a YAML document; name YAML inventories *.yml")
        }
        var vars: InventoryVars = [:]
        for (position, word) in words.enumerated().dropFirst() {
            // The word itself is not shown: it may be a password written without its key.
            guard let eq = word.firstIndex(of: "=") else {
                throw refuse("host '\(pattern)': every word after the host name must be key=value, "
                    + "word \(position + 1) has no '='")
            }
            let key = String(word[..<eq])
            reader.read(key, InventoryINIValues.literal(String(word[word.index(after: eq)...])), line: line, into: &vars)
        }
        for name in names {
            guard !name.isEmpty else { throw refuse("empty host name in '\(pattern)'") }
            graph.addHost(name, group: group, port: port)
            graph.setHostVars(name, vars)
        }
        try limited { try $0.checkLimits() }
    }

    private mutating func varsLine(_ content: Substring, group: String) throws {
        guard let eq = content.firstIndex(of: "=") else {
            throw refuse("expected key=value in [\(group):vars], got a line without '=' starting "
                + "'\(Self.firstWord(content))'")
        }
        let key = String(content[..<eq]).trimmingWhitespace
        let value = InventoryINIValues.literal(String(content[content.index(after: eq)...]).trimmingWhitespace)
        if key == InventoryKeys.groupPriority {
            guard let priority = InventoryGroupPriority.value(value) else {
                warnings.append("\(file):\(line): ansible_group_priority \(InventoryVarsMerge.shown(value)) "
                    + "is not a whole number; ignored")
                return
            }
            graph.setPriority(group, priority)
            return
        }
        var vars: InventoryVars = [:]
        reader.read(key, value, line: line, into: &vars)
        graph.setGroupVars(group, vars)
    }

    private mutating func childLine(_ content: Substring, group: String) throws {
        let name = content.prefix { $0 != ":" && $0 != "]" && !$0.isWhitespace }
        let after = content[name.endIndex...].drop { $0.isWhitespace }
        guard !name.isEmpty, after.isEmpty || after.first == "#" else {
            throw refuse("expected a group name in [\(group):children], got '\(content)'")
        }
        let child = String(name)
        try limited { try $0.spend() }
        if graph.groups[child] != nil {
            do { try graph.addChild(group, child) } catch let refusal as InventoryGraph.Refusal {
                throw refuse(refusal.message)
            }
        } else if pending[child] != nil {
            pending[child]?.parents.append(group)
        } else {
            addPending(child, Pending(line: line, isVars: false, parents: [group]))
        }
    }

    /// The start of a line, up to a space, ':' or '=': enough to find the line, never a value.
    private static func firstWord(_ line: Substring) -> String {
        String(line.prefix { !$0.isWhitespace && $0 != ":" && $0 != "=" }.prefix(60))
    }

    private mutating func addPending(_ name: String, _ entry: Pending) {
        pending[name] = entry
        pendingOrder.append(name)
    }

    private mutating func removePending(_ name: String) {
        pending[name] = nil
        pendingOrder.removeAll { $0 == name }
    }

    /// Ansible reports only the first unresolved reference; so does this.
    private func reportPending() throws {
        guard let name = pendingOrder.first, let entry = pending[name] else { return }
        if entry.isVars {
            throw refuse("[\(name):vars] is for group '\(name)', which no section of this file declares; "
                + "add a [\(name)] section (it may be empty) or remove the vars", at: entry.line)
        }
        throw refuse("[\(entry.parents[0]):children] lists '\(name)', which no section of this file declares; "
            + "add a [\(name)] section (it may be empty)", at: entry.line)
    }
}

/// `ansible_group_priority` as Ansible's `int(value)` accepts it.
enum InventoryGroupPriority {
    static func value(_ value: InventoryValue) -> Int? {
        switch value {
        case let .int(n): return n
        case let .string(s): return Int(s.trimmingWhitespace)
        default: return nil
        }
    }
}
