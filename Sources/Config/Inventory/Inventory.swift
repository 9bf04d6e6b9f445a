import Foundation

/// A host from an Ansible inventory with the connection settings Ansible would use for it.
/// Only parsed: nothing is resolved or contacted.
public struct InventoryHost: Sendable, Equatable {
    /// The inventory name (Ansible's `inventory_hostname`).
    public var name: String
    /// `ansible_host` (or `ansible_ssh_host`); nil: connect to `name`.
    public var address: String?
    public var port: Int?
    public var user: String?
    public var privateKeyFile: String?
    /// Every group the host is in, directly or through `children`, in the order Ansible merges
    /// their variables: `all` first, then by depth, `ansible_group_priority` and name.
    public var groups: [String]

    public init(name: String, address: String? = nil, port: Int? = nil, user: String? = nil,
                privateKeyFile: String? = nil, groups: [String] = []) {
        self.name = name
        self.address = address
        self.port = port
        self.user = user
        self.privateKeyFile = privateKeyFile
        self.groups = groups
    }
}

/// The hosts and groups of an Ansible INI or YAML inventory, as `ansible-inventory --list` sees
/// them, with the connection variables merged by Ansible's precedence (docs/inventory.md).
public struct Inventory: Sendable {
    /// In Ansible's order (`ansible all --list-hosts`).
    public var hosts: [InventoryHost]
    /// Group -> member host names (through `children` too), including `all` and `ungrouped`.
    /// Computed when asked: stored, 2,000 nested groups of 50,000 hosts would hold 10^8 names.
    public var groups: [String: [String]] {
        var groups: [String: [String]] = [:]
        for name in graph.groupOrder { groups[name] = graph.members(of: name) }
        return groups
    }
    public var warnings: [String]
    /// The file it was read from, for messages.
    var file: String
    private var graph: InventoryGraph

    /// Reads an inventory file and the `group_vars/` and `host_vars/` beside it. `.yml`, `.yaml`
    /// and `.json` are YAML; no extension is YAML if it reads as a YAML mapping, else INI (Ansible
    /// tries its YAML plugin first); any other extension is INI.
    public static func load(path: String) throws -> Inventory {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigError(file: path, message: "inventory file not found; check the --inventory path")
        }
        if isDirectory.boolValue {
            throw ConfigError(file: path, message: "is a directory; pass the inventory file in it (for example "
                + "\((path as NSString).appendingPathComponent("hosts.yml")))")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, message: "cannot read the inventory file; check its permissions")
        }
        if data.starts(with: Array("$ANSIBLE_VAULT;".utf8)) {
            throw ConfigError(file: path, message: "the inventory is encrypted with Ansible Vault, which PostPatch "
                + "does not decrypt; write a plain copy with 'ansible-vault view \(path) > hosts.plain'")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, message: "the inventory is not UTF-8 text; save it as UTF-8")
        }
        let ext = (path as NSString).pathExtension
        let format: Format = ext.isEmpty ? .guess : (InventoryVarsFiles.extensions.contains(ext) ? .yaml : .ini)
        return try read(text: text, file: path, format: format,
                        varsDirectory: PathText.directory(of: path),
                        limits: try Limits.fromEnvironment(file: path))
    }

    /// Hosts of `name` and its child groups, in Ansible's order.
    public func hosts(inGroup name: String) throws -> [InventoryHost] {
        guard graph.groups[name] != nil else {
            let all = graph.groupOrder.sorted()
            let known = all.prefix(50).joined(separator: ", ") + (all.count > 50 ? ", ... (\(all.count) in all)" : "")
            throw ConfigError(file: file, message: "no group '\(name)' in the inventory; its groups are: \(known)")
        }
        let byName = Dictionary(hosts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return graph.members(of: name).compactMap { byName[$0] }
    }

    enum Format { case ini, yaml, guess }

    /// The whole reading, from text; `varsDirectory` nil reads no group_vars/host_vars.
    static func read(text: String, file: String, format: Format, varsDirectory: String?,
                     limits: Limits = .standard) throws -> Inventory {
        let parsed: (InventoryGraph, InventoryVarsReader, [String])
        switch format {
        case .ini:
            parsed = try InventoryINI.parse(text, file: file, limits: limits)
        case .yaml:
            guard let root = try InventoryYAMLNodes.compose(text, file: file) else {
                throw ConfigError(file: file, message: "the YAML inventory is empty; list groups as in docs/inventory.md")
            }
            parsed = try InventoryYAML.parse(root, file: file, limits: limits)
        case .guess:
            if let root = try? InventoryYAMLNodes.compose(text, file: file), case .mapping = root {
                // Ansible falls back to its INI plugin when the YAML one refuses the file.
                do { parsed = try InventoryYAML.parse(root, file: file, limits: limits) } catch {
                    guard let ini = try? InventoryINI.parse(text, file: file, limits: limits) else { throw error }
                    parsed = ini
                }
            } else {
                parsed = try InventoryINI.parse(text, file: file, limits: limits)
            }
        }
        var (graph, reader, warnings) = parsed
        graph.reconcile()
        warnings += reader.notes
        if let ignored = reader.ignoredWarning(kind: "the inventory") { warnings.append(ignored) }
        var files = InventoryVarsFiles(directory: varsDirectory)
        let hosts: [InventoryHost]
        do { hosts = try InventoryMerge.hosts(graph, files: &files, warnings: &warnings) } catch let refusal as InventoryGraph.Refusal {
            throw ConfigError(file: file, message: refusal.message)
        }
        warnings += files.warnings
        for name in graph.hostOrder where graph.groups[name] != nil {
            warnings.append("\(file): '\(name)' is both a group and a host name, as Ansible also warns")
        }
        if hosts.isEmpty { warnings.append("\(file): the inventory lists no hosts") }
        var seen = Set<String>()
        return Inventory(hosts: hosts, warnings: warnings.filter { seen.insert($0).inserted }, file: file, graph: graph)
    }
}
