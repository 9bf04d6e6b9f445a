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
        var a = SocketAddress()
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            withUnsafeMutableBytes(of: &a.storage) { raw in
                let sin = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in.self)
                sin.pointee.sin_family = sa_family_t(AF_INET)
                sin.pointee.sin_port = in_port_t(UInt16(port).bigEndian)
                sin.pointee.sin_addr = v4
            }
            a.length = socklen_t(MemoryLayout<sockaddr_in>.size)
            return [a]
        }
        if inet_pton(AF_INET6, host, &v6) == 1 {
            withUnsafeMutableBytes(of: &a.storage) { raw in
                let sin6 = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in6.self)
                sin6.pointee.sin6_family = sa_family_t(AF_INET6)
                sin6.pointee.sin6_port = in_port_t(UInt16(port).bigEndian)
                sin6.pointee.sin6_addr = v6
            }
            a.length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            return [a]
        }
        return nil
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
