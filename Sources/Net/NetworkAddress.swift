#if canImport(Glibc)
import Glibc
#endif

/// One address a host name resolved to, ready for `connect(2)`: what SSH connections and
/// TCP probes both dial, resolved by the one `getaddrinfo` wrapper below.
public struct NetworkAddress: Sendable, Equatable {
    public var family: Int32
    /// The raw sockaddr bytes (sockaddr_in or sockaddr_in6).
    public var storage: [UInt8]
    /// Numeric form for messages: "127.0.0.1" or "::1".
    public var numeric: String

    /// "127.0.0.1:5432" or "[::1]:5432".
    public func display(port: Int) -> String {
        family == AF_INET6 ? "[\(numeric)]:\(port)" : "\(numeric):\(port)"
    }

    /// Calls `body` with the address as `connect(2)` takes it.
    public func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        storage.withUnsafeBytes { raw in
            body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
    }

    /// Why a name did not resolve, as the resolver said it ("Name or service not known").
    public struct ResolveFailure: Error, Sendable {
        public var reason: String
    }

    /// An IPv4 or IPv6 literal (brackets allowed) at once: getaddrinfo asks no resolver for
    /// these (AI_NUMERICHOST), so it does not block. Nil for names.
    public static func numeric(_ host: String, port: Int) -> [NetworkAddress]? {
        try? lookup(host, port: port, flags: AI_NUMERICHOST)
    }

    /// Resolves `host` for a TCP connection with getaddrinfo. Blocking (a slow DNS server
    /// stalls the caller): call it from a dedicated thread, never from Swift's cooperative pool.
    /// IPv4 and IPv6 answers are kept in resolver order (which already prefers the usable family).
    /// Throws ``ResolveFailure``.
    public static func resolve(host: String, port: Int) throws -> [NetworkAddress] {
        try lookup(host, port: port, flags: 0)
    }

    private static func lookup(_ host: String, port: Int, flags: Int32) throws -> [NetworkAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV | flags
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(unbracketed(host), String(port), &hints, &list)
        guard status == 0, let first = list else {
            let reason = status == EAI_SYSTEM ? String(cString: strerror(errno)) : String(cString: gai_strerror(status))
            throw ResolveFailure(reason: reason)
        }
        defer { freeaddrinfo(first) }
        var result: [NetworkAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let entry = node {
            let info = entry.pointee
            if let addr = info.ai_addr, info.ai_family == AF_INET || info.ai_family == AF_INET6 {
                let bytes = [UInt8](UnsafeRawBufferPointer(start: UnsafeRawPointer(addr), count: Int(info.ai_addrlen)))
                let numeric = numericHost(addr, length: info.ai_addrlen) ?? host
                if !result.contains(where: { $0.storage == bytes }) {
                    result.append(NetworkAddress(family: info.ai_family, storage: bytes, numeric: numeric))
                }
            }
            node = info.ai_next
        }
        if result.isEmpty { throw ResolveFailure(reason: "no IPv4 or IPv6 address") }
        return result
    }

    /// "[::1]" -> "::1": the brackets of a URL-style literal are no part of the address.
    private static func unbracketed(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    private static func numericHost(_ addr: UnsafeMutablePointer<sockaddr>, length: socklen_t) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard getnameinfo(addr, length, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 else {
            return nil
        }
        return String(cString: buffer)
    }
}
