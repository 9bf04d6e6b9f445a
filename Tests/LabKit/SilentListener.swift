import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP listener on 127.0.0.1 that never speaks. With `fillBacklog`, its accept queue is
/// filled first so further connection attempts are never answered at all.
public final class SilentListener {
    public let port: Int
    private let fd: Int32
    private var fillers: [Int32]

    public init(fillBacklog: Bool, address: String = "127.0.0.1") throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr(address)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        listen(fd, 0)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = Int(UInt16(bigEndian: addr.sin_port))
        fillers = []
        guard fillBacklog else { return }
        // Backlog 0 still queues one or two connections; fill them with non-blocking connects.
        var filled: [Int32] = []
        defer { fillers = filled }
        for _ in 0..<4 {
            let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(s, $0, len) } }
            filled.append(s)
        }
        usleep(100_000)
    }

    public func close() {
        for s in fillers { Glibc.close(s) }
        Glibc.close(fd)
    }
}
