/// How to reach a host, as one source says it: the checks file's `defaults:` block and the same
/// keys on a host (host winning; paths kept as written, `~` expanded when hosts are resolved), and
/// in `HostResolver` the flags, the inventory and ssh_config. nil: the source does not say.
struct HostSettings: Sendable, Equatable {
    var user: String?
    var port: Int?
    /// The checks file names one key (`identity:`); `-i` and ssh_config's IdentityFile, several.
    var identities: [String]?
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
        s.identities = try map["identity"].map { [try path($0)] }
        s.sudo = try map["sudo"]?.bool()
        s.knownHosts = try map["known_hosts"].map(path)
        s.connectTimeout = try map["connect_timeout"]?.seconds(within: YAMLValue.timeoutRange)
        s.commandTimeout = try map["command_timeout"]?.seconds(within: YAMLValue.timeoutRange)
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

    /// Each setting from the first source that gives it, `sources` in order of precedence.
    static func firstGiven(_ sources: [HostSettings]) -> HostSettings {
        sources.reversed().reduce(HostSettings()) { lower, upper in lower.overlaid(by: upper) }
    }

    /// `other`'s settings win where it has them.
    func overlaid(by other: HostSettings) -> HostSettings {
        HostSettings(user: other.user ?? user, port: other.port ?? port, identities: other.identities ?? identities,
                     sudo: other.sudo ?? sudo, knownHosts: other.knownHosts ?? knownHosts,
                     connectTimeout: other.connectTimeout ?? connectTimeout,
                     commandTimeout: other.commandTimeout ?? commandTimeout)
    }
}
