public enum SocketProtocol: String, Codable, Sendable, Equatable, Comparable {
    case tcp, tcp6, udp, udp6
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A listening TCP socket or a bound UDP socket.
public struct ListeningSocket: Codable, Sendable, Equatable, SortKeyed {
    public var `protocol`: SocketProtocol
    /// Textual address as the kernel holds it: "0.0.0.0", "127.0.0.1", "::", "::1", "fe80::1%eth0".
    public var address: String
    public var port: Int
    /// Process name, when the host lets us see it (ss -p needs root for other users' sockets).
    public var process: String?
    /// Volatile: a restarted daemon gets a new pid on the same socket.
    public var pid: Int?

    public init(protocol: SocketProtocol, address: String, port: Int, process: String? = nil, pid: Int? = nil) {
        self.protocol = `protocol`
        self.address = address
        self.port = port
        self.process = process
        self.pid = pid
    }

    /// Identity of the socket for comparison: the process and pid are not part of it.
    public var endpoint: String {
        let host = address.contains(":") ? "[\(address)]" : address
        return "\(`protocol`.rawValue) \(host):\(port)"
    }

    public var sortKey: String {
        "\(`protocol`.rawValue)|\(String(repeating: "0", count: max(0, 5 - String(port).count)))\(port)|\(address)"
    }
}
