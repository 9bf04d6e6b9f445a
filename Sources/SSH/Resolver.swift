import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A socket address ready for connect(2).
struct SocketAddress: @unchecked Sendable {
    var storage = sockaddr_storage()
    var length: socklen_t = 0
    var family: Int32 { Int32(storage.ss_family) }
}

/// Name resolution off the cooperative pool: IP literals inline, names by getaddrinfo on
/// a few dedicated threads (a slow DNS server must not stall the poller either).
enum Resolver {
    private static let queue = DispatchQueue(label: "postpatch.resolver", attributes: .concurrent)
    private static let slots = DispatchSemaphore(value: 8)

    /// Numeric addresses resolve at once; returns nil for names.
    static func numeric(_ host: String, port: Int) -> [SocketAddress]? {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = in_port_t(UInt16(port).bigEndian)
            sin.sin_addr = v4
            return [address(of: sin)]
        }
        if inet_pton(AF_INET6, host, &v6) == 1 {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = in_port_t(UInt16(port).bigEndian)
            sin6.sin6_addr = v6
            return [address(of: sin6)]
        }
        return nil
    }

    /// Copies a sockaddr_in or sockaddr_in6 into the storage connect(2) takes.
    private static func address<T>(of raw: T) -> SocketAddress {
        var a = SocketAddress()
        var value = raw
        withUnsafeBytes(of: &value) { src in
            withUnsafeMutableBytes(of: &a.storage) { $0.copyMemory(from: src) }
        }
        a.length = socklen_t(MemoryLayout<T>.size)
        return a
    }

    /// Resolves `host` on a resolver thread and calls `done` there with the addresses or an error text.
    static func resolve(_ host: String, port: Int, done: @escaping (Result<[SocketAddress], SSHError>) -> Void) {
        queue.async {
            slots.wait()
            defer { slots.signal() }
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var res: UnsafeMutablePointer<addrinfo>?
            let rc = getaddrinfo(host, String(port), &hints, &res)
            guard rc == 0, let first = res else {
                done(.failure(.resolve(host: host, reason: String(cString: gai_strerror(rc)))))
                return
            }
            defer { freeaddrinfo(first) }
            var out: [SocketAddress] = []
            var p: UnsafeMutablePointer<addrinfo>? = first
            while let ai = p {
                var a = SocketAddress()
                withUnsafeMutableBytes(of: &a.storage) { raw in
                    raw.copyMemory(from: UnsafeRawBufferPointer(start: ai.pointee.ai_addr, count: Int(ai.pointee.ai_addrlen)))
                }
                a.length = ai.pointee.ai_addrlen
                out.append(a)
                p = ai.pointee.ai_next
            }
            done(.success(out))
        }
    }
}
