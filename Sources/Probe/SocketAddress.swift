import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One address a host name resolved to, ready for `connect(2)`.
struct SocketAddress: Sendable {
    var family: Int32
    /// The raw sockaddr bytes (sockaddr_in or sockaddr_in6).
    var storage: [UInt8]
    /// Numeric form for messages: "127.0.0.1" or "::1".
    var numeric: String

    /// "127.0.0.1:5432" or "[::1]:5432".
    func display(port: Int) -> String {
        family == AF_INET6 ? "[\(numeric)]:\(port)" : "\(numeric):\(port)"
    }

    /// Resolves `host` for a TCP connection with getaddrinfo. Blocking: call it from a dedicated thread.
    /// IPv4 and IPv6 answers are kept in resolver order (which already prefers the usable family).
    static func resolve(host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let status = getaddrinfo(bare, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let reason = status == EAI_SYSTEM ? String(cString: strerror(errno)) : String(cString: gai_strerror(status))
            throw ProbeError(.resolve, "cannot resolve \(host): \(lowerFirst(reason))")
        }
        defer { freeaddrinfo(first) }
        var result: [SocketAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let entry = node {
            let info = entry.pointee
            if let addr = info.ai_addr, info.ai_family == AF_INET || info.ai_family == AF_INET6 {
                let bytes = [UInt8](UnsafeRawBufferPointer(start: UnsafeRawPointer(addr), count: Int(info.ai_addrlen)))
                let numeric = numericHost(addr, length: info.ai_addrlen) ?? host
                if !result.contains(where: { $0.storage == bytes }) {
                    result.append(SocketAddress(family: info.ai_family, storage: bytes, numeric: numeric))
                }
            }
            node = info.ai_next
        }
        if result.isEmpty { throw ProbeError(.resolve, "cannot resolve \(host): no IPv4 or IPv6 address") }
        return result
    }

    private static func numericHost(_ addr: UnsafeMutablePointer<sockaddr>, length: socklen_t) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard getnameinfo(addr, length, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 else {
            return nil
        }
        return String(cString: buffer)
    }
}

/// "Connection refused" -> "connection refused": messages are embedded mid-sentence.
func lowerFirst(_ text: String) -> String {
    guard let first = text.first else { return text }
    return first.lowercased() + text.dropFirst()
}

/// strerror(errno) as a mid-sentence phrase.
func errnoText(_ code: Int32) -> String {
    lowerFirst(String(cString: strerror(code)))
}
