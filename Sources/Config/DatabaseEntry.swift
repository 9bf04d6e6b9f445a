import Model

/// One `databases:` entry: which handshake to speak, where, and the name of the environment
/// variable holding the password (never the password itself).
enum DatabaseEntry {
    static let keys = ["name", "kind", "address", "port", "database", "user", "password_env",
                       "expect_banner", "timeout"]

    /// `kind:` spellings; MariaDB speaks the MySQL handshake.
    static let kinds: [String: DatabaseKind] = [
        "postgres": .postgres, "postgresql": .postgres, "mysql": .mysql, "mariadb": .mysql,
        "redis": .redis, "mssql": .mssql, "sqlserver": .mssql, "tcp": .tcp,
    ]

    static func defaultPort(_ kind: DatabaseKind) -> Int? {
        switch kind {
        case .postgres: return 5432
        case .mysql: return 3306
        case .redis: return 6379
        case .mssql: return 1433
        case .tcp: return nil
        }
    }

    static func read(_ value: YAMLValue) throws -> DatabaseCheck {
        let map = try value.mapping()
        try map.requireKnown(keys)
        let name = try map.required("name").word()
        let kindValue = try map.required("kind")
        let kindText = try kindValue.word()
        guard let kind = kinds[kindText.lowercased()] else {
            let shown = ["postgres", "mysql", "mariadb", "redis", "mssql", "tcp"]
            throw kindValue.error("unknown database kind '\(kindText)'"
                                      + Suggestion.hint(for: kindText.lowercased(), in: shown, listName: "kinds"))
        }
        let address = try map["address"].map(Address.read) ?? "127.0.0.1"
        let port: Int
        if let portValue = map["port"] {
            port = try portValue.port()
        } else if let known = defaultPort(kind) {
            port = known
        } else {
            throw ConfigError(file: map.file, at: map.location,
                              "missing 'port' \(map.place): a 'tcp' check has no default port")
        }
        var check = DatabaseCheck(name: name, kind: kind, address: address, port: port)
        check.database = try map["database"]?.word()
        check.user = try map["user"]?.word()
        if let env = map["password_env"] { check.passwordEnv = try environmentName(env) }
        if let banner = map["expect_banner"] {
            guard kind == .tcp else {
                throw banner.error("'expect_banner' applies to 'kind: tcp' only; the other kinds check their own handshake")
            }
            check.expectBanner = try banner.word()
        }
        if let timeout = map["timeout"] { check.timeout = try timeout.seconds(within: YAMLValue.timeoutRange) }
        return check
    }

    /// The value is not echoed: a user who got this wrong may have pasted the password itself.
    /// Also read by `basic_auth_env` and `bearer_env` of HTTP checks.
    static func environmentName(_ value: YAMLValue, key: String = "password_env", example: String = "PG_MONITOR_PASSWORD",
                                secret: String = "password") throws -> String {
        if case let .scalar(s) = value.node, let first = s.string.first, first == "_" || first.isLetter,
           s.string.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
            return s.string
        }
        throw value.error("'\(key)' must be the name of an environment variable (letters, digits and _, "
                              + "like \(example)), not the \(secret) itself")
    }
}
