/// A variable value as an inventory states it: only as much shape as the connection keys need.
/// `null` matters: in Ansible a `~`/`None` value still overrides a lower layer (the key is set),
/// and the SSH plugin then treats it as unset and falls back to the next alias or the host name.
enum InventoryValue: Equatable, Sendable {
    case string(String)
    case int(Int)
    case null
    /// A mapping or a list: legal for other variables, meaningless for a connection key.
    case structured(String)
}

/// The variables PostPatch reads from an inventory, and the rest it reports as ignored.
enum InventoryKeys {
    /// Ansible's connection aliases, each pair listed as the SSH plugin lists them
    /// (ansible/plugins/connection/ssh.py `vars:`): when both are set after merging, the
    /// later name wins, so `ansible_ssh_host` beats `ansible_host` whatever level set it.
    static let address = ["ansible_host", "ansible_ssh_host"]
    static let port = ["ansible_port", "ansible_ssh_port"]
    static let user = ["ansible_user", "ansible_ssh_user"]
    static let privateKeyFile = ["ansible_private_key_file", "ansible_ssh_private_key_file"]

    static let connection: Set<String> = Set(address + port + user + privateKeyFile)

    /// Read from the inventory source only (Ansible ignores it in group_vars files): orders
    /// sibling groups when their variables are merged.
    static let groupPriority = "ansible_group_priority"

    static let shownList = "ansible_host, ansible_port, ansible_user, ansible_ssh_private_key_file "
        + "(and ansible_ssh_host, ansible_ssh_port, ansible_ssh_user, ansible_private_key_file)"
}

/// One layer of variables (a group's inline vars, a vars file, a host's inline vars):
/// only the connection keys, last assignment winning, as Ansible's `set_variable` does.
typealias InventoryVars = [String: InventoryValue]

/// Merges layers lowest first and turns the winning values into connection settings.
enum InventoryVarsMerge {
    struct Connection: Equatable {
        var address: String?
        var port: Int?
        var user: String?
        var privateKeyFile: String?
    }

    /// Later layers replace earlier ones key by key (Ansible's default `hash_behaviour=replace`).
    static func flatten(_ layers: [InventoryVars]) -> InventoryVars {
        var merged: InventoryVars = [:]
        for layer in layers {
            merged.merge(layer) { _, new in new }
        }
        return merged
    }

    /// `problems` receives one line per value that cannot be used (a port that is not a number).
    static func connection(host: String, _ vars: InventoryVars, problems: inout [String]) -> Connection {
        var result = Connection()
        result.address = text(host, vars, InventoryKeys.address, problems: &problems)
        result.user = text(host, vars, InventoryKeys.user, problems: &problems)
        result.privateKeyFile = text(host, vars, InventoryKeys.privateKeyFile, problems: &problems)
        if let (key, value) = winner(vars, InventoryKeys.port) {
            switch value {
            case let .int(n) where (1...65535).contains(n):
                result.port = n
            case let .string(s) where Int(s.trimmingWhitespace).map({ (1...65535).contains($0) }) == true:
                result.port = Int(s.trimmingWhitespace)
            default:
                problems.append("host '\(host)': \(key) \(shown(value)) is not a port number (1-65535); "
                    + "using the SSH default")
            }
        }
        return result
    }

    /// The last alias holding a non-null value, as the SSH plugin picks it.
    private static func winner(_ vars: InventoryVars, _ aliases: [String]) -> (String, InventoryValue)? {
        for key in aliases.reversed() {
            if let value = vars[key], value != .null { return (key, value) }
        }
        return nil
    }

    private static func text(_ host: String, _ vars: InventoryVars, _ aliases: [String],
                             problems: inout [String]) -> String? {
        guard let (key, value) = winner(vars, aliases) else { return nil }
        switch value {
        case let .string(s): return s
        case let .int(n): return String(n)
        case .null: return nil
        case .structured:
            problems.append("host '\(host)': \(key) is \(shown(value)), not a single value; ignored")
            return nil
        }
    }

    static func shown(_ value: InventoryValue) -> String {
        switch value {
        case let .string(s): return "'\(s)'"
        case let .int(n): return String(n)
        case .null: return "null"
        case let .structured(kind): return "a \(kind)"
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing whitespace (Python's `str.strip()`).
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
