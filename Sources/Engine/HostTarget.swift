import Config
import Model

/// One host to act on, with everything needed to reach and check it.
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

    public init(name: String, address: String, port: Int = 22, user: String, identities: [String] = [],
                sudo: Bool = false, checks: CheckSet = CheckSet(), rules: CompareRules = CompareRules(),
                connectTimeout: Duration = .seconds(10), commandTimeout: Duration = .seconds(120)) {
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

/// Command-line settings that override the config for every host.
public struct TargetOverrides: Sendable {
    public var user: String?
    public var port: Int?
    public var identities: [String]
    public var sudo: Bool
    public var connectTimeout: Double?
    public var commandTimeout: Double?
    public var localUser: String

    public init(user: String? = nil, port: Int? = nil, identities: [String] = [], sudo: Bool = false,
                connectTimeout: Double? = nil, commandTimeout: Double? = nil, localUser: String) {
        self.user = user
        self.port = port
        self.identities = identities
        self.sudo = sudo
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.localUser = localUser
    }
}

extension HostTarget {
    /// Command-line flags win over the host's config, which wins over built-in defaults
    /// (user: the local user, as OpenSSH; timeouts 10 s and 120 s).
    public init(_ host: ResolvedHost, overrides o: TargetOverrides) {
        let identity = o.identities.isEmpty ? (host.identity.map { [$0] } ?? []) : o.identities
        self.init(name: host.name, address: host.isLocal ? "local" : host.address,
                  port: o.port ?? host.port, user: o.user ?? host.user ?? o.localUser,
                  identities: identity, sudo: o.sudo || host.sudo, checks: host.checks, rules: host.rules,
                  connectTimeout: .seconds(o.connectTimeout ?? host.connectTimeout ?? 10),
                  commandTimeout: .seconds(o.commandTimeout ?? host.commandTimeout ?? 120))
        knownHosts = host.knownHosts
    }
}

/// One jump host of a ProxyJump chain, already resolved through ssh_config.
public struct JumpHop: Sendable, Equatable {
    public var address: String
    public var port: Int
    public var user: String
    public var identities: [String]
    public init(address: String, port: Int = 22, user: String, identities: [String] = []) {
        self.address = address
        self.port = port
        self.user = user
        self.identities = identities
    }
}
