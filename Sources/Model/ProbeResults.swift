/// Connectivity from the host to a target: a TCP connect or an ICMP ping.
public struct ConnectivityResult: Codable, Sendable, Equatable, SortKeyed {
    public enum Kind: String, Codable, Sendable { case tcp, ping }
    public var target: String
    public var port: Int?
    public var kind: Kind
    public var reachable: Bool
    /// Volatile.
    public var latencyMs: Double?
    /// Which tool ran on the host: "nc", "bash-dev-tcp", "ping", ...
    public var method: String?
    public var error: String?

    public init(target: String, port: Int? = nil, kind: Kind, reachable: Bool, latencyMs: Double? = nil,
                method: String? = nil, error: String? = nil) {
        self.target = target
        self.port = port
        self.kind = kind
        self.reachable = reachable
        self.latencyMs = latencyMs
        self.method = method
        self.error = error
    }

    public var subject: String { kind == .tcp ? "\(target):\(port ?? 0)" : "ping \(target)" }
    public var sortKey: String { "\(kind.rawValue)|\(target)|\(port ?? 0)" }
}

/// Name resolution from the host: `getent ahosts`, or `dig` when a type or server is given.
public struct DNSResult: Codable, Sendable, Equatable, SortKeyed {
    public var name: String
    public var type: String?
    public var server: String?
    public var method: String?
    /// Sorted, de-duplicated.
    public var answers: [String]
    public var error: String?

    public init(name: String, type: String? = nil, server: String? = nil, method: String? = nil,
                answers: [String] = [], error: String? = nil) {
        self.name = name
        self.type = type
        self.server = server
        self.method = method
        self.answers = answers
        self.error = error
    }

    public var resolved: Bool { error == nil && !answers.isEmpty }
    public var subject: String {
        var s = name
        if let type { s += " \(type)" }
        if let server { s += " @\(server)" }
        return s
    }
    public var sortKey: String { "\(name)|\(type ?? "")|\(server ?? "")" }
}

public enum DatabaseKind: String, Codable, Sendable, Equatable, CaseIterable {
    case postgres, mysql, redis, mssql, tcp
}

/// A database reached from PostPatch through the host (direct-tcpip), speaking its real handshake.
/// Credentials never appear here.
public struct DatabaseResult: Codable, Sendable, Equatable, SortKeyed {
    public var name: String
    public var kind: DatabaseKind
    public var address: String
    public var port: Int
    public var up: Bool
    public var version: String?
    /// What the server said, e.g. "authentication required (md5)".
    public var detail: String?
    /// Volatile.
    public var latencyMs: Double?
    public var error: String?

    public init(name: String, kind: DatabaseKind, address: String, port: Int, up: Bool,
                version: String? = nil, detail: String? = nil, latencyMs: Double? = nil, error: String? = nil) {
        self.name = name
        self.kind = kind
        self.address = address
        self.port = port
        self.up = up
        self.version = version
        self.detail = detail
        self.latencyMs = latencyMs
        self.error = error
    }

    public var subject: String { "\(name) (\(kind.rawValue) \(address):\(port))" }
    public var sortKey: String { name }
}
