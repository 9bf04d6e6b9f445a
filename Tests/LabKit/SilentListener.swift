import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A TCP listener on 127.0.0.1 that never speaks. With `fillBacklog`, its accept queue is
/// filled first so further connection attempts are never answered at all.
public final class SilentListener {
    public let port: Int
    private let fd: Int32
    private var fillers: [Int32]

    public init(fillBacklog: Bool, address: String = "127.0.0.1", port: Int = 0) throws {
        let bound = try LoopbackSocket.open(.tcp, address: address, port: port, backlog: 0)
        fd = bound.fd
        self.port = bound.port
        fillers = []
        guard fillBacklog else { return }
        // Backlog 0 still queues one or two connections; fill them with non-blocking connects.
        var filled: [Int32] = []
        defer { fillers = filled }
        for _ in 0..<4 {
            let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            _ = try LoopbackSocket.withAddress(address, port: self.port) { connect(s, $0, $1) }
            filled.append(s)
        }
        // Loopback handshakes complete within the connect calls above; this margin only covers
        // a filler whose SYN the kernel had not yet queued (no state of ours tells which).
        usleep(100_000)
    }

    /// How many TCP connections to this port are in SYN_SENT (/proc/net/tcp and tcp6, state 02):
    /// with a full backlog, a new connect attempt shows as one more of them while it waits.
    public func pendingConnects() -> Int {
        let portHex = String(format: ":%04X", port)
        var count = 0
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            // Read to the end in a loop: a /proc table reports size 0 and comes a page per read,
            // and a single read (what String(contentsOfFile:) does here) sees only the first page.
            let fd = open(table, O_RDONLY)
            guard fd >= 0 else { continue }
            let text = String(decoding: PipedChild.readAll(fd), as: UTF8.self)
            Glibc.close(fd)
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                if fields.count > 3, fields[2].hasSuffix(portHex), fields[3] == "02" { count += 1 }
            }
        }
        return count
    }

    public func close() {
        for s in fillers { Glibc.close(s) }
        Glibc.close(fd)
    }
}
