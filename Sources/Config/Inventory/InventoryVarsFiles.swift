import Foundation
import Yams

/// `group_vars/` and `host_vars/` beside the inventory file, found as Ansible's `host_group_vars`
/// plugin finds them: `<name>` (a file, or a directory read recursively in sorted order), else
/// `<name>.yml`, `.yaml` or `.json`, the first that exists. Each file is read once.
struct InventoryVarsFiles {
    static let extensions = ["yml", "yaml", "json"]
    /// Ansible recurses without a limit; a symlink loop must not hang PostPatch.
    static let maxDepth = 16

    /// The inventory's directory; nil reads no files (inventories given as text).
    let directory: String?
    private var cache: [String: InventoryVars] = [:]
    /// "group_vars/web" -> merged vars: each host asks again for each of its groups.
    private var entities: [String: InventoryVars] = [:]
    private(set) var warnings: [String] = []
    private var warnedNotDirectory = Set<String>()

    init(directory: String?) {
        self.directory = directory
    }

    mutating func group(_ name: String) throws -> InventoryVars {
        try entity("group_vars", name)
    }

    mutating func host(_ name: String) throws -> InventoryVars {
        try entity("host_vars", name)
    }

    private mutating func entity(_ subdir: String, _ name: String) throws -> InventoryVars {
        let id = subdir + "/" + name
        if let known = entities[id] { return known }
        let vars = try lookUp(subdir, name)
        entities[id] = vars
        return vars
    }

    private mutating func lookUp(_ subdir: String, _ name: String) throws -> InventoryVars {
        // Ansible skips names that are absolute paths ('chroot' style hosts).
        guard let directory, !name.hasPrefix("/") else { return [:] }
        let base = directory.isEmpty ? subdir : (directory as NSString).appendingPathComponent(subdir)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: base, isDirectory: &isDirectory) else { return [:] }
        guard isDirectory.boolValue else {
            if warnedNotDirectory.insert(base).inserted {
                warnings.append("\(base): is not a directory; its variables are not read")
            }
            return [:]
        }
        var merged: InventoryVars = [:]
        for file in Self.files(base: (base as NSString).appendingPathComponent(name)) {
            merged.merge(try load(file)) { _, new in new }
        }
        return merged
    }

    static func files(base: String) -> [String] {
        for suffix in [""] + extensions.map({ "." + $0 }) {
            let path = base + suffix
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            return isDirectory.boolValue ? directoryFiles(path, depth: 0) : [path]
        }
        return []
    }

    /// Sorted, hidden files and `~` backups skipped; subdirectories without an extension recursed.
    private static func directoryFiles(_ path: String, depth: Int) -> [String] {
        guard depth < maxDepth, let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [] }
        var found: [String] = []
        let sorted = names.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        for name in sorted where !name.hasPrefix(".") && !name.hasSuffix("~") {
            let full = (path as NSString).appendingPathComponent(name)
            let ext = (name as NSString).pathExtension
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                if ext.isEmpty { found += directoryFiles(full, depth: depth + 1) }
            } else if ext.isEmpty || extensions.contains(ext) {
                found.append(full)
            }
        }
        return found
    }

    private mutating func load(_ path: String) throws -> InventoryVars {
        if let known = cache[path] { return known }
        let vars = try read(path)
        cache[path] = vars
        return vars
    }

    private mutating func read(_ path: String) throws -> InventoryVars {
        guard let data = FileManager.default.contents(atPath: path) else {
            warnings.append("\(path): cannot be read; its variables are skipped (check its permissions)")
            return [:]
        }
        if data.starts(with: Array("$ANSIBLE_VAULT;".utf8)) {
            warnings.append("\(path): encrypted with Ansible Vault, which PostPatch does not decrypt; its variables "
                + "are skipped (keep connection variables in a plain file beside it)")
            return [:]
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, message: "the vars file is not UTF-8 text; save it as UTF-8 or move it "
                + "out of \(PathText.directory(of: path))")
        }
        guard let root = try InventoryYAMLNodes.compose(text, file: path) else { return [:] }
        guard case let .mapping(mapping) = root else {
            warnings.append("\(path): holds \(InventoryYAMLNodes.kind(root)), not a mapping of variables; skipped")
            return [:]
        }
        var reader = InventoryVarsReader(file: path)
        var vars: InventoryVars = [:]
        for (keyNode, value) in InventoryYAMLNodes.pairs(mapping) {
            guard let key = InventoryYAMLNodes.key(keyNode) else { continue }
            if key == InventoryKeys.groupPriority {
                warnings.append("\(path):\(InventoryYAMLNodes.line(keyNode)): ansible_group_priority has no effect "
                    + "in a vars file (Ansible reads it only from the inventory itself); ignored")
                continue
            }
            reader.read(key, InventoryYAMLNodes.value(value), line: InventoryYAMLNodes.line(keyNode), into: &vars,
                        encrypted: InventoryYAMLNodes.isVaultEncrypted(value))
        }
        warnings += reader.notes
        if let ignored = reader.ignoredWarning(kind: "this vars file") { warnings.append(ignored) }
        return vars
    }
}
