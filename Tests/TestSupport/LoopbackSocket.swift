#if canImport(Glibc)
import Glibc
#endif

/// A socket bound to a local address (127.0.0.1 unless told) and, for TCP, listening: the one
/// place the lab's test servers, listeners and free-port lookups get their socket from.
public struct LoopbackSocket: Sendable {
    public enum Transport: String, Sendable { case tcp, udp }

    /// The open descriptor; the caller closes it.
    public let fd: Int32
    /// The bound port (the kernel's choice when opened with port 0).
    public let port: Int

    /// Opens `transport` on `address`:`port` (0 = any free port) with SO_REUSEADDR and, for TCP,
    /// listens with `backlog`. `address` is IPv4 or IPv6 text ("::1").
    public static func open(_ transport: Transport = .tcp, address: String = "127.0.0.1", port: Int = 0,
                            backlog: Int32 = 16) throws -> LoopbackSocket {
        let type = transport == .tcp ? SOCK_STREAM : SOCK_DGRAM
        let family = address.contains(":") ? AF_INET6 : AF_INET
        // Close-on-exec: otherwise every shell a test starts holds it too, and ss names them all.
        let fd = socket(family, Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw LabError("socket for \(address)/\(transport.rawValue): \(errnoText)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let listening = try withAddress(address, port: port) { raw, length in
            bind(fd, raw, length) == 0 && (transport == .udp || listen(fd, backlog) == 0)
        }
        guard listening, let bound = boundPort(of: fd) else {
            let reason = errnoText
            close(fd)
            throw LabError("cannot listen on \(address):\(port)/\(transport.rawValue): \(reason)")
        }
        return LoopbackSocket(fd: fd, port: bound)
    }

    /// Calls `body` with `address`:`port` as the sockaddr the C calls take (IPv6 when the text
    /// has a colon).
    public static func withAddress<R>(_ address: String, port: Int,
                                      _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) throws -> R {
        if address.contains(":") {
            var ipv6 = sockaddr_in6()
            ipv6.sin6_family = sa_family_t(AF_INET6)
            ipv6.sin6_port = UInt16(port).bigEndian
            guard inet_pton(AF_INET6, address, &ipv6.sin6_addr) == 1 else { throw LabError("not an IPv6 address: \(address)") }
            return call(body, with: ipv6)
        }
        var ipv4 = sockaddr_in()
        ipv4.sin_family = sa_family_t(AF_INET)
        ipv4.sin_port = UInt16(port).bigEndian
        guard inet_pton(AF_INET, address, &ipv4.sin_addr) == 1 else { throw LabError("not an IPv4 address: \(address)") }
        return call(body, with: ipv4)
    }

    /// `body` with `address` (a sockaddr_in or sockaddr_in6) seen as the generic sockaddr.
    private static func call<Address, R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R, with address: Address) -> R {
        withUnsafePointer(to: address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<Address>.size)) }
        }
    }

    /// The local port `fd` is bound to, nil when getsockname fails.
    private static func boundPort(of fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard named else { return nil }
        let isIPv6 = storage.ss_family == sa_family_t(AF_INET6)
        return withUnsafePointer(to: storage) { pointer in
            if isIPv6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }

    private static var errnoText: String { String(cString: strerror(errno)) }
}
