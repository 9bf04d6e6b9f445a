/// A host as written on the command line: `[user@]host[:port]`, `[user@][v6addr]:port`, or `local`.
public struct HostSpec: Equatable, Sendable, CustomStringConvertible {
    public var user: String?
    public var host: String
    public var port: Int?

    public init(user: String? = nil, host: String, port: Int? = nil) {
        self.user = user
        self.host = host
        self.port = port
    }

    /// `local` runs commands on this machine through /bin/sh instead of SSH.
    public var isLocal: Bool { host == "local" && user == nil && port == nil }

    public enum ParseError: Error, CustomStringConvertible, Equatable {
        case invalid(String, why: String)
        public var description: String {
            switch self {
            case let .invalid(text, why):
                return "host '\(text)': \(why); write it as [user@]host[:port] or [user@][ipv6]:port"
            }
        }
    }

    public static func parse(_ text: String) throws -> HostSpec {
        var rest = Substring(text)
        var user: String?
        if let at = rest.lastIndex(of: "@") {
            user = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
            if user!.isEmpty { throw ParseError.invalid(text, why: "empty user name before '@'") }
        }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                throw ParseError.invalid(text, why: "'[' without ']'")
            }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw ParseError.invalid(text, why: "junk after ']'") }
                portText = after.dropFirst()
            }
        } else if rest.filter({ $0 == ":" }).count > 1 {
            host = rest  // bare IPv6 address, no port
        } else if let colon = rest.firstIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        if host.isEmpty { throw ParseError.invalid(text, why: "empty host name") }
        if host.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "'" || $0 == "\"" }) {
            throw ParseError.invalid(text, why: "host names hold no spaces, slashes or quotes")
        }
        var port: Int?
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else {
                throw ParseError.invalid(text, why: "port '\(portText)' is not a number from 1 to 65535")
            }
            port = p
        }
        return HostSpec(user: user, host: String(host), port: port)
    }

    public var description: String {
        var s = user.map { "\($0)@" } ?? ""
        if let port { s += host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" } else { s += host }
        return s
    }
}
