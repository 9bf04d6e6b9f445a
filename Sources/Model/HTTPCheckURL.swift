/// The parts of a declared HTTP check's `url` that a request needs: Config reads the file
/// with it (one message per problem), the tunnel runner connects and writes the request line
/// with it. Deliberately narrow: `http://` or `https://`, a host (an IPv6 literal in brackets),
/// an optional port, an optional path and query in plain ASCII; no user or password (those
/// come from `basic_auth_env`), no fragment sent.
public struct HTTPCheckURL: Sendable, Equatable {
    public var secure: Bool
    /// Name or address, without brackets ("www.example.test", "192.0.2.1", "::1").
    public var host: String
    public var port: Int
    /// True when the URL names the port.
    public var explicitPort: Bool
    /// Origin form for the request line: "/", "/health?full=1".
    public var target: String

    /// The Host header: the host (bracketed when IPv6), with the port when the URL gives one
    /// that is not the scheme's own.
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return explicitPort && port != (secure ? 443 : 80) ? "\(name):\(port)" : name
    }

    /// Why `text` is not a URL a check can use, in words that say what to write instead.
    public struct Invalid: Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public static func parse(_ text: String) throws -> HTTPCheckURL {
        let lower = text.lowercased()
        let secure: Bool
        if lower.hasPrefix("https://") { secure = true } else if lower.hasPrefix("http://") { secure = false } else {
            throw Invalid(message: "must start with http:// or https://")
        }
        if let bad = text.unicodeScalars.first(where: { $0.value <= 0x20 || $0.value >= 0x7f }) {
            let what = bad.value == 0x20 ? "a space" : bad.value < 0x20 || bad.value == 0x7f ? "a control character" : "a non-ASCII character"
            throw Invalid(message: "holds \(what): percent-encode it (%20 for a space)")
        }
        let rest = text.dropFirst(secure ? 8 : 7)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var target = String(rest[authorityEnd...])
        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
        if target.isEmpty || target.hasPrefix("?") { target = "/" + target }
        if authority.contains("@") {
            throw Invalid(message: "holds a user name or password: name an environment variable holding user:password with 'basic_auth_env' instead")
        }
        let (host, portText) = try split(authority)
        var port = secure ? 443 : 80
        if let portText {
            guard let n = Int(portText), (1...65535).contains(n), portText.allSatisfy(\.isNumber) else {
                throw Invalid(message: "has port '\(portText)': give a number from 1 to 65535")
            }
            port = n
        }
        return HTTPCheckURL(secure: secure, host: host, port: port, explicitPort: portText != nil, target: target)
    }

    /// "host", "host:port", "[v6]", "[v6]:port" → host and port text.
    private static func split(_ authority: Substring) throws -> (String, String?) {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw Invalid(message: "has an IPv6 address without its closing ']'") }
            let address = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            guard address.contains(":"), address.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw Invalid(message: "has '[\(address)]', which is not an IPv6 address")
            }
            if after.isEmpty { return (String(address), nil) }
            guard after.hasPrefix(":") else { throw Invalid(message: "has text after ']' that is not ':port'") }
            return (String(address), String(after.dropFirst()))
        }
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count > 2 { throw Invalid(message: "has an IPv6 address without brackets: write it as http://[2001:db8::1]:8080/") }
        let host = parts[0]
        guard !host.isEmpty else { throw Invalid(message: "has no host name or address") }
        guard host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" }), !host.hasPrefix("-") else {
            throw Invalid(message: "has host '\(host)': a host name or IP address holds only letters, digits, '-', '.' and '_'")
        }
        return (String(host), parts.count == 2 ? String(parts[1]) : nil)
    }
}
