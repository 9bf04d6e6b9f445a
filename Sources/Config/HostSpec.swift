/// A host as written on the command line (`[user@]host[:port]`, `[user@][v6addr]:port`, or `local`)
/// or as one ProxyJump hop of ssh_config: the one parser of `[user@]host[:port]`.
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

    /// The two places a `[user@]host[:port]` is written, which read it slightly differently.
    public enum Syntax: Sendable {
        /// A host named on the command line: a bare IPv6 address (two or more ':') has no port;
        /// the port is a number; host names hold no spaces, slashes or quotes.
        case commandLine
        /// One hop of ssh_config's ProxyJump, as ssh's parse_jump reads it: `ssh://[user@]host[:port]`
        /// too (no path), split at the first '@' in a URI; a ':' always starts the port (so a bare
        /// IPv6 address is refused); the port may be `ssh`; no spaces or quotes in host or user.
        case proxyJump
    }

    public static func parse(_ text: String, syntax: Syntax = .commandLine) throws -> HostSpec {
        func fail(_ why: String) -> ParseError { .invalid(text, why: why) }
        var rest = Substring(text)
        let isURI = syntax == .proxyJump && rest.hasPrefix("ssh://")
        if isURI {
            rest = rest.dropFirst(6)
            if rest.contains("/") { throw fail("a jump URI holds no path") }
        }
        var user: String?
        // A plain spec splits at the last '@' (user names may hold '@'), a URI at the first.
        if let at = isURI ? rest.firstIndex(of: "@") : rest.lastIndex(of: "@") {
            if at == rest.startIndex { throw fail("empty user name before '@'") }
            user = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }
        let (host, portText) = try splitPort(rest, bareIPv6: syntax == .commandLine, fail: fail)
        if host.isEmpty { throw fail("empty host name") }
        try checkCharacters(host: host, user: user, syntax: syntax, fail: fail)
        var port: Int?
        // ssh_config's reader has always taken `gw:` as `gw` with no port.
        if let portText, !(portText.isEmpty && syntax == .proxyJump) {
            port = syntax == .commandLine ? Int(portText) : SSHConfigValues.port(String(portText))
            guard let p = port, (1...65535).contains(p) else {
                throw fail("port '\(portText)' is not a number from 1 to 65535")
            }
        }
        return HostSpec(user: user, host: String(host), port: port)
    }

    /// `[host]:port`, `host:port`, or (`bareIPv6`) an address with two or more ':' and no port.
    private static func splitPort(_ rest: Substring, bareIPv6: Bool,
                                  fail: (String) -> ParseError) throws -> (Substring, Substring?) {
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw fail("'[' without ']'") }
            let host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.isEmpty { return (host, nil) }
            guard after.hasPrefix(":") else { throw fail("junk after ']'") }
            return (host, after.dropFirst())
        }
        if bareIPv6 && rest.filter({ $0 == ":" }).count > 1 { return (rest, nil) }
        guard let colon = rest.firstIndex(of: ":") else { return (rest, nil) }
        return (rest[..<colon], rest[rest.index(after: colon)...])
    }

    /// ssh would pass odd characters on and fail later; refusing them here gives a clear message.
    private static func checkCharacters(host: Substring, user: String?, syntax: Syntax,
                                        fail: (String) -> ParseError) throws {
        let quoteOrSpace: (Character) -> Bool = { $0.isWhitespace || $0 == "'" || $0 == "\"" }
        switch syntax {
        case .commandLine:
            if host.contains(where: { quoteOrSpace($0) || $0 == "/" }) {
                throw fail("host names hold no spaces, slashes or quotes")
            }
        case .proxyJump:
            if host.contains(where: quoteOrSpace) || user?.contains(where: quoteOrSpace) == true {
                throw fail("host and user hold no spaces or quotes")
            }
        }
    }

    public var description: String {
        var s = user.map { "\($0)@" } ?? ""
        if let port { s += host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" } else { s += host }
        return s
    }
}
