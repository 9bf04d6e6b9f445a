/// How to reach one host, every setting decided by `HostResolver`.
public struct HostConnection: Sendable, Equatable {
    /// Host name or IP to connect to; "local" means this machine, without SSH.
    public var address: String
    public var port: Int
    public var user: String
    /// Identity files; empty: the agent and the default keys.
    public var identities: [String]
    /// nil: the run's known_hosts file.
    public var knownHosts: String?
    public var sudo: Bool
    /// Seconds.
    public var connectTimeout: Double
    /// Seconds.
    public var commandTimeout: Double
    /// Record first-seen host keys (ssh_config `StrictHostKeyChecking accept-new`).
    public var acceptNewHostKeys = false
    /// Use only the identity files, not the agent's keys (ssh_config `IdentitiesOnly`).
    public var identitiesOnly = false
    /// Name looked up in known_hosts instead of the address (ssh_config `HostKeyAlias`).
    public var hostKeyAlias: String?
    /// Jump hosts to go through, first hop first (ssh_config `ProxyJump`).
    public var jumps: [JumpHop] = []
    /// ssh_config keywords that apply to this host but PostPatch does not honour (e.g. ProxyCommand).
    public var ignoredSSHSettings: [String] = []

    /// What the sources gave, with the built-in defaults where none did (step 5 of `HostResolver`):
    /// port 22, the local user, the agent and default keys, the run's known_hosts, no sudo, 10 s, 120 s.
    init(address: String, given s: HostSettings, localUser: String) {
        self.address = address
        port = s.port ?? ConnectionDefaults.port
        user = s.user ?? localUser
        identities = s.identities ?? []
        knownHosts = s.knownHosts
        sudo = s.sudo ?? false
        connectTimeout = s.connectTimeout ?? ConnectionDefaults.connectTimeout
        commandTimeout = s.commandTimeout ?? ConnectionDefaults.commandTimeout
    }
}

/// One jump host of a ProxyJump chain, already resolved through ssh_config.
public struct JumpHop: Sendable, Equatable {
    public var address: String
    public var port: Int
    public var user: String
    public var identities: [String]

    public init(address: String, port: Int = ConnectionDefaults.port, user: String, identities: [String] = []) {
        self.address = address
        self.port = port
        self.user = user
        self.identities = identities
    }
}
