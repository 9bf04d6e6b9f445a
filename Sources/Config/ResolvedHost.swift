import Model

/// A host ready to be acted on: where to connect, as whom, and what to check and how to judge it,
/// with the defaults, groups and host levels of the config already merged and `~` expanded.
public struct ResolvedHost: Sendable, Equatable {
    /// The config name, or for a host given only on the command line its address (with ":port" if one was given).
    public var name: String
    /// Host name or IP to connect to; "local" means this machine, without SSH.
    public var address: String
    public var port: Int
    /// nil: the caller picks (the current user).
    public var user: String?
    public var identity: String?
    public var sudo: Bool
    public var groups: [String]
    public var checks: CheckSet
    public var rules: CompareRules
    /// Seconds; nil: the caller's default.
    public var connectTimeout: Double?
    public var commandTimeout: Double?
    public var knownHosts: String?

    public init(name: String, address: String, port: Int = 22, user: String? = nil, identity: String? = nil,
                sudo: Bool = false, groups: [String] = [], checks: CheckSet = CheckSet(),
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
