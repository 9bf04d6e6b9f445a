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
    /// (parse one with `SSHJumpHop`). Empty: connect directly (also for `ProxyJump none`).
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

/// One ProxyJump hop: `[user@]host[:port]`, `[user@][v6addr][:port]` or `ssh://[user@]host[:port]`.
public struct SSHJumpHop: Sendable, Equatable {
    public var user: String?
    public var host: String
    public var port: Int?

    public init(user: String? = nil, host: String, port: Int? = nil) {
        self.user = user
        self.host = host
        self.port = port
    }

    /// Parses one hop as ssh's parse_jump does; nil when ssh would refuse it.
    public init?(_ spec: String) {
        var rest = Substring(spec)
        let isURI = rest.hasPrefix("ssh://")
        if isURI {
            rest = rest.dropFirst(6)
            if rest.contains("/") { return nil }  // ssh refuses a path in a jump URI
        }
        // A plain spec splits at the last '@' (user names may hold '@'), a URI at the first.
        if let at = isURI ? rest.firstIndex(of: "@") : rest.lastIndex(of: "@") {
            if at == rest.startIndex { return nil }
            user = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }
        var portText: Substring = ""
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
        } else if let colon = rest.firstIndex(of: ":") {
            host = String(rest[..<colon])
            portText = rest[rest.index(after: colon)...]
        } else {
            host = String(rest)
        }
        if host.isEmpty { return nil }
        // ssh would pass these on and fail later; refusing them here gives a clear warning.
        let odd: (Character) -> Bool = { $0.isWhitespace || $0 == "\"" || $0 == "'" }
        if host.contains(where: odd) || user?.contains(where: odd) == true { return nil }
        if !portText.isEmpty {
            guard let p = SSHConfigValues.port(String(portText)) else { return nil }
            port = p
        }
    }
}
