/// What ~/.ssh/config says about one host, after ssh's rules (first obtained value wins).
/// nil / empty means the config does not say; the caller applies its own defaults
/// (port 22, the local user, ~/.ssh/known_hosts, ...).
public struct SSHHostSettings: Sendable, Equatable {
    /// The real name to connect to (HostName, `%h` expanded, lowercased as ssh does).
    public var hostName: String?
    public var user: String?
    public var port: Int?
    /// Every IdentityFile that applied, in order, duplicates dropped; `~` and `%` tokens expanded.
    public var identityFiles: [String]
    public var identitiesOnly: Bool?
    /// The first file of UserKnownHostsFile, expanded; "none" if the config says none.
    public var userKnownHostsFile: String?
    /// yes / no / ask / accept-new (`off` reads as no, `true`/`false` as yes/no).
    public var strictHostKeyChecking: String?
    /// Seconds.
    public var connectTimeout: Int?
    /// Jump hosts in connection order, each `[user@]host[:port]` or `ssh://...` as written
    /// (parse one with `HostSpec.parse(_:syntax: .proxyJump)`). Empty: connect directly (also for `ProxyJump none`).
    public var proxyJump: [String]
    public var hostKeyAlias: String?
    /// Keywords that applied to this host but PostPatch does not act on, in order of first
    /// appearance (e.g. ProxyCommand, ForwardAgent, ControlMaster).
    public var ignored: [String]

    public init(hostName: String? = nil, user: String? = nil, port: Int? = nil, identityFiles: [String] = [],
                identitiesOnly: Bool? = nil, userKnownHostsFile: String? = nil,
                strictHostKeyChecking: String? = nil, connectTimeout: Int? = nil, proxyJump: [String] = [],
                hostKeyAlias: String? = nil, ignored: [String] = []) {
        self.hostName = hostName
        self.user = user
        self.port = port
        self.identityFiles = identityFiles
        self.identitiesOnly = identitiesOnly
        self.userKnownHostsFile = userKnownHostsFile
        self.strictHostKeyChecking = strictHostKeyChecking
        self.connectTimeout = connectTimeout
        self.proxyJump = proxyJump
        self.hostKeyAlias = hostKeyAlias
        self.ignored = ignored
    }
}
