import Model

/// Reads a `checks:` mapping (global, group or host level) into a `CheckSet`.
enum ChecksSection {
    static let keys = ["dns", "connectivity", "databases", "http", "commands", "files"]

    static func read(_ value: YAMLValue) throws -> CheckSet {
        let map = try value.mapping()
        try map.requireKnown(keys)
        var set = CheckSet()
        set.dns = try (map["dns"]?.entries() ?? []).map(dns)
        set.connectivity = try (map["connectivity"]?.entries() ?? []).map(connectivity)
        set.databases = try (map["databases"]?.entries() ?? []).map(DatabaseEntry.read)
        try requireUniqueNames(map["databases"]?.entries() ?? [], set.databases.map(\.name))
        set.http = try HTTPCheckEntry.list(map["http"])
        set.commands = try map["commands"].map(CommandEntry.list) ?? []
        set.files = try map["files"].map(FileEntry.list) ?? []
        return set
    }

    static func dns(_ value: YAMLValue) throws -> DNSCheck {
        let map = try value.mapping()
        try map.requireKnown(["name", "type", "server"])
        let name = try map.required("name").word()
        var check = DNSCheck(name: name)
        if let type = map["type"] {
            let text = try type.text()
            guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw type.error("'type' must be a DNS record type such as A, AAAA, MX or TXT, got \(type.shown)")
            }
            check.type = text.uppercased()
        }
        if let server = map["server"] {
            check.server = try dnsServer(server)
        }
        return check
    }

    /// "addr" or "addr#port", the form dig takes with `@`.
    private static func dnsServer(_ value: YAMLValue) throws -> String {
        let text = try value.word()
        let parts = text.split(separator: "#", omittingEmptySubsequences: false)
        let badPort = parts.count == 2 && !(Int(parts[1]).map { (1...65535).contains($0) } ?? false)
        if parts.count > 2 || parts[0].isEmpty || badPort || text.contains(where: \.isWhitespace) {
            throw value.error("'server' must be an address, optionally with a port as \"192.0.2.53#5353\", "
                                  + "got \(value.shown)")
        }
        return text
    }

    static func connectivity(_ value: YAMLValue) throws -> ConnectivityCheck {
        let map = try value.mapping()
        try map.requireKnown(["target", "port", "ping", "timeout"])
        let target = try Address.read(map.required("target"))
        var check = ConnectivityCheck(target: target)
        check.ping = try map["ping"]?.bool() ?? false
        if let port = map["port"] {
            if check.ping {
                throw port.error("give either 'port' (a TCP connect) or 'ping: true' (ICMP), not both")
            }
            check.port = try port.port()
        } else if !check.ping {
            throw ConfigError(file: map.file, at: map.location,
                              "missing 'port' \(map.place): add 'port: N' for a TCP connect, or 'ping: true' to ping")
        }
        if let timeout = map["timeout"] { check.timeout = try timeout.seconds(within: YAMLValue.timeoutRange) }
        return check
    }

    /// Two databases with one name would make their findings indistinguishable.
    private static func requireUniqueNames(_ entries: [YAMLValue], _ names: [String]) throws {
        for (i, name) in names.enumerated() {
            if let first = names.firstIndex(of: name), first < i {
                throw entries[i].error("database name '\(name)' is used twice in this list "
                                           + "(first in entry \(first + 1)); give each a distinct 'name'")
            }
        }
    }
}

/// Host addresses as written in the config: a name or an IP literal, with the port kept apart.
enum Address {
    static func read(_ value: YAMLValue) throws -> String {
        var text = try value.word()
        if InlineSecrets.urlCarriesPassword(text) {
            throw value.error("\(value.name) holds a password inside a URL: secrets never go in the config file; "
                                  + "give the host name here and name an environment variable with 'password_env'")
        }
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if text.contains(where: { $0.isWhitespace || $0 == "/" }) || text.isEmpty {
            throw value.error("\(value.name) must be a host name or IP address, got \(value.shown)")
        }
        if text.contains("@") {
            throw value.error("\(value.name) must not hold a user name; put it in 'user:'")
        }
        if text.filter({ $0 == ":" }).count == 1 {
            throw value.error("\(value.name) must not hold a port; put it in 'port:'")
        }
        return text
    }
}
