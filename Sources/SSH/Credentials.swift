/// How a session may log in, tried in this order: agent keys, identity files, password
/// (as `password`, then as `keyboard-interactive`).
public struct Credentials: Sendable {
    public var user: String
    /// Use ssh-agent at this socket (normally $SSH_AUTH_SOCK); nil: no agent.
    public var agentSocket: String?
    public var identities: [Identity]
    public var password: Secret?

    public init(user: String, agentSocket: String? = nil, identities: [Identity] = [], password: Secret? = nil) {
        self.user = user
        self.agentSocket = agentSocket
        self.identities = identities
        self.password = password
    }
}

/// Where to connect and how to trust the host.
public struct Endpoint: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// A label for messages, e.g. the inventory name "web1 (192.0.2.11:22)"; defaults to host:port.
    public var label: String?
    /// The name to look up in known_hosts instead of host/port (ssh_config `HostKeyAlias`).
    public var hostKeyAlias: String?

    public init(host: String, port: Int = 22, label: String? = nil, hostKeyAlias: String? = nil) {
        self.host = host
        self.port = port
        self.label = label
        self.hostKeyAlias = hostKeyAlias
    }

    public var description: String {
        if let label { return label }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

public struct ConnectOptions: Sendable {
    public var connectTimeout: Duration
    public var knownHosts: KnownHostsStore
    public var credentials: Credentials

    public init(connectTimeout: Duration = .seconds(10), knownHosts: KnownHostsStore, credentials: Credentials) {
        self.connectTimeout = connectTimeout
        self.knownHosts = knownHosts
        self.credentials = credentials
    }
}

/// What a remote command left behind. Stdout and stderr are kept apart, as bytes.
public struct ExecResult: Sendable, Equatable {
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    /// nil when the command ended by a signal (see `exitSignal`) or the server sent none.
    public var exitStatus: Int32?
    /// "TERM", "KILL", ... without the SIG prefix, as SSH sends it.
    public var exitSignal: String?

    public init(stdout: [UInt8], stderr: [UInt8], exitStatus: Int32?, exitSignal: String?) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitStatus = exitStatus
        self.exitSignal = exitSignal
    }

    public var succeeded: Bool { exitStatus == 0 && exitSignal == nil }
}
