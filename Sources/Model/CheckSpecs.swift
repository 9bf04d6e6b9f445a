/// What the config asks PostPatch to probe on or through a host.
/// Config produces these; Collect turns DNS and connectivity checks into shell for the host;
/// Probe speaks to the databases.
public struct CheckSet: Codable, Sendable, Equatable {
    public var dns: [DNSCheck]
    public var connectivity: [ConnectivityCheck]
    public var databases: [DatabaseCheck]
    public var http: [HTTPCheck]
    public var commands: [CommandCheck]
    /// Declared files whose digest, mode and owner are compared.
    public var files: [FileCheck]
    /// The learned endpoint probes: on or off, and the Host header they send.
    public var learning: EndpointLearning

    public init(dns: [DNSCheck] = [], connectivity: [ConnectivityCheck] = [], databases: [DatabaseCheck] = [],
                http: [HTTPCheck] = [], commands: [CommandCheck] = [], files: [FileCheck] = [],
                learning: EndpointLearning = EndpointLearning()) {
        self.dns = dns
        self.connectivity = connectivity
        self.databases = databases
        self.http = http
        self.commands = commands
        self.files = files
        self.learning = learning
    }

    /// Checks of `other` appended after these (group checks after global ones); its learning settings win where given.
    public func merged(with other: CheckSet) -> CheckSet {
        CheckSet(dns: dns + other.dns, connectivity: connectivity + other.connectivity,
                 databases: databases + other.databases, http: http + other.http, commands: commands + other.commands,
                 files: files + other.files.filter { f in !files.contains(f) },
                 learning: learning.merged(with: other.learning))
    }
}

/// Resolve `name` on the host. Without `type` or `server`: `getent ahosts` (what applications see).
/// With either: `dig`. `server` is an address, optionally with a port as "addr#port".
public struct DNSCheck: Codable, Sendable, Equatable {
    public var name: String
    public var type: String?
    public var server: String?
    public init(name: String, type: String? = nil, server: String? = nil) {
        self.name = name
        self.type = type
        self.server = server
    }
}

/// From the host: a TCP connect to `target:port`, or an ICMP ping of `target` when `ping` is set.
public struct ConnectivityCheck: Codable, Sendable, Equatable {
    public var target: String
    public var port: Int?
    public var ping: Bool
    /// Seconds.
    public var timeout: Double
    public init(target: String, port: Int? = nil, ping: Bool = false, timeout: Double = 5) {
        self.target = target
        self.port = port
        self.ping = ping
        self.timeout = timeout
    }
}

/// A database endpoint as the host sees it, reached through the SSH session.
/// Credentials are never stored: only the names of environment variables holding them.
public struct DatabaseCheck: Codable, Sendable, Equatable {
    public var name: String
    public var kind: DatabaseKind
    public var address: String
    public var port: Int
    /// PostgreSQL: database and user for the startup message (defaults "postgres").
    public var database: String?
    public var user: String?
    /// Name of the environment variable holding the password (Redis AUTH, PostgreSQL).
    public var passwordEnv: String?
    /// Plain TCP: a banner to expect (prefix match), optional.
    public var expectBanner: String?
    /// Seconds.
    public var timeout: Double

    public init(name: String, kind: DatabaseKind, address: String, port: Int, database: String? = nil,
                user: String? = nil, passwordEnv: String? = nil, expectBanner: String? = nil, timeout: Double = 5) {
        self.name = name
        self.kind = kind
        self.address = address
        self.port = port
        self.database = database
        self.user = user
        self.passwordEnv = passwordEnv
        self.expectBanner = expectBanner
        self.timeout = timeout
    }
}
