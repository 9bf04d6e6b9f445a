import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A TCP echo server on 127.0.0.1 running on its own thread (accepts one client at a time):
/// the far end for tunnel tests.
public final class EchoServer: @unchecked Sendable {
    public let port: Int
    private let fd: Int32

    public init() throws {
        let bound = try LoopbackSocket.open(.tcp)
        fd = bound.fd
        port = bound.port
        let listener = fd
        let t = Thread {
            while true {
                let c = accept(listener, nil, nil)
                if c < 0 { return }
                var buf = [UInt8](repeating: 0, count: 65536)
                while true {
                    let n = read(c, &buf, buf.count)
                    if n <= 0 { break }
                    _ = write(c, buf, n)
                }
                Glibc.close(c)
            }
        }
        t.start()
    }

    public func close() {
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
    }
}
