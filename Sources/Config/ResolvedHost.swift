import Model

/// A host as the checks file (and a `[user@]host[:port]` on the command line) names it: where to
/// connect, as whom, and what to check and how to judge it, with the defaults, groups and host
/// levels of the config already merged and `~` expanded. Connection settings stay nil when the
/// file does not give them: `HostResolver` applies the other sources and the built-in defaults.
public struct ResolvedHost: Sendable, Equatable {
    /// The config name, or for a host given only on the command line its address (with ":port" if one was given).
    public var name: String
    /// Host name or IP to connect to; "local" means this machine, without SSH.
    public var address: String
    /// nil: not given (ssh_config's Port, else 22, may apply).
    public var port: Int?
    /// nil: not given (ssh_config's User, else the current user, may apply).
    public var user: String?
    public var identity: String?
    /// nil: not given (no sudo).
    public var sudo: Bool?
    public var groups: [String]
    public var checks: CheckSet
    public var rules: CompareRules
    /// Seconds; nil: not given.
    public var connectTimeout: Double?
    public var commandTimeout: Double?
    public var knownHosts: String?

    public init(name: String, address: String, port: Int? = nil, user: String? = nil, identity: String? = nil,
                sudo: Bool? = nil, groups: [String] = [], checks: CheckSet = CheckSet(),
                rules: CompareRules = CompareRules(), connectTimeout: Double? = nil,
                commandTimeout: Double? = nil, knownHosts: String? = nil) {
        self.name = name
        self.address = address
        self.port = port
        self.user = user
        self.identity = identity
        self.sudo = sudo
        self.groups = groups
        self.checks = checks
        self.rules = rules
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.knownHosts = knownHosts
    }

    /// True for the pseudo-host `local` (commands run through /bin/sh on this machine).
    public var isLocal: Bool { address == "local" }
}
