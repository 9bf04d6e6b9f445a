/// How to reach a host: the `defaults:` block and the same keys on a host, host winning.
/// Paths are kept as written; `~` is expanded when hosts are resolved.
struct HostSettings: Sendable, Equatable {
    var user: String?
    var port: Int?
    var identity: String?
    var sudo: Bool?
    var knownHosts: String?
    var connectTimeout: Double?
    var commandTimeout: Double?

    static let keys = ["user", "port", "identity", "sudo", "known_hosts", "connect_timeout", "command_timeout"]

    static func read(from map: YAMLMapping) throws -> HostSettings {
        var s = HostSettings()
        s.user = try map["user"]?.word()
        if let user = map["user"], s.user?.contains(where: { $0.isWhitespace || $0 == "@" || $0 == ":" }) == true {
            // Not echoed: "user:password" is a likely mistake here.
            throw user.error("'user' must be a plain login name, without spaces, '@' or ':'")
        }
        s.port = try map["port"]?.port()
        s.identity = try map["identity"].map(path)
        s.sudo = try map["sudo"]?.bool()
        s.knownHosts = try map["known_hosts"].map(path)
        s.connectTimeout = try map["connect_timeout"]?.seconds()
        s.commandTimeout = try map["command_timeout"]?.seconds()
        return s
    }

    /// A file path; `~` and `~/...` are expanded at resolve time, `~user/...` is refused
    /// because resolving another user's home would depend on the machine running PostPatch.
    private static func path(_ value: YAMLValue) throws -> String {
        let text = try value.word()
        if text.hasPrefix("~"), text != "~", !text.hasPrefix("~/") {
            throw value.error("\(value.name): only '~/' is expanded (to $HOME); write '\(text)' as a full path")
        }
        return text
    }

    /// `other`'s settings win where it has them.
    func overlaid(by other: HostSettings) -> HostSettings {
        HostSettings(user: other.user ?? user, port: other.port ?? port, identity: other.identity ?? identity,
                     sudo: other.sudo ?? sudo, knownHosts: other.knownHosts ?? knownHosts,
                     connectTimeout: other.connectTimeout ?? connectTimeout,
                     commandTimeout: other.commandTimeout ?? commandTimeout)
    }
}
