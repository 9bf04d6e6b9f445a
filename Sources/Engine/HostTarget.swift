import Config
import Model

/// One host to act on, with everything needed to reach and check it. Built from the config by
/// `HostResolver` (Config), which decides every connection setting.
public struct HostTarget: Sendable, Equatable {
    /// The name in reports and file names: the config's host name, or the command-line text.
    public var name: String
    public var address: String
    public var port: Int
    public var user: String
    /// Identity files for this host (config or -i); empty: the agent and the default keys.
    public var identities: [String]
    public var sudo: Bool
    public var checks: CheckSet
    public var rules: CompareRules
    public var connectTimeout: Duration
    public var commandTimeout: Duration
    /// known_hosts file for this host (config `known_hosts`); nil: the run's default.
    public var knownHosts: String?
    /// Record first-seen host keys for this host (ssh_config `StrictHostKeyChecking accept-new`).
    public var acceptNewHostKeys = false
    /// Jump hosts to go through, first hop first (ssh_config `ProxyJump`).
    public var jumps: [JumpHop] = []
    /// Use only the identity files, not the agent's keys (ssh_config `IdentitiesOnly`).
    public var identitiesOnly = false
    /// Name looked up in known_hosts instead of the address (ssh_config `HostKeyAlias`).
    public var hostKeyAlias: String?
    /// ssh_config settings that apply to this host but PostPatch does not honour (e.g. ProxyCommand).
    public var ignoredSSHSettings: [String] = []

    public var isLocal: Bool { address == "local" }

    public init(name: String, address: String, port: Int = ConnectionDefaults.port, user: String,
                identities: [String] = [], sudo: Bool = false, checks: CheckSet = CheckSet(),
                rules: CompareRules = CompareRules(),
                connectTimeout: Duration = .seconds(ConnectionDefaults.connectTimeout),
                commandTimeout: Duration = .seconds(ConnectionDefaults.commandTimeout)) {
        self.name = name
        self.address = address
        self.port = port
        self.user = user
        self.identities = identities
        self.sudo = sudo
        self.checks = checks
        self.rules = rules
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }
}

extension HostTarget {
    /// `host` (its name, what to check and how to judge it) reached as `connection` says.
    public init(_ host: ResolvedHost, connection c: HostConnection) {
        self.init(name: host.name, address: c.address, port: c.port, user: c.user, identities: c.identities,
                  sudo: c.sudo, checks: host.checks, rules: host.rules,
                  connectTimeout: Self.duration(c.connectTimeout, else: ConnectionDefaults.connectTimeout),
                  commandTimeout: Self.duration(c.commandTimeout, else: ConnectionDefaults.commandTimeout))
        knownHosts = c.knownHosts
        acceptNewHostKeys = c.acceptNewHostKeys
        jumps = c.jumps
        identitiesOnly = c.identitiesOnly
        hostKeyAlias = c.hostKeyAlias
        ignoredSSHSettings = c.ignoredSSHSettings
    }
}

extension HostTarget {
    /// Seconds as a Duration. Flags and files range-check theirs where they are read
    /// (FlagRange, YAMLValue.seconds); this never traps on a value that slipped past them.
    static func duration(_ seconds: Double, else fallback: Double) -> Duration {
        Duration(seconds: seconds, within: 0.001...Duration.largestSeconds) ?? .seconds(fallback)
    }
}
