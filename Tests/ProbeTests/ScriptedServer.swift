import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A tiny TCP server on loopback for the cases real servers cannot show: silence, garbage,
/// a banner. It runs on its own thread with blocking calls bounded by poll().
final class ScriptedServer: @unchecked Sendable {
    enum Behavior: Sendable {
        /// Accepts and never says a word (keeps the connection open until stop()).
        case silent
        /// Sends these bytes as soon as a client connects, then keeps the connection open.
        case greet([UInt8])
        /// Waits for the client's first bytes, then answers with these.
        case answer([UInt8])
    }

    let port: Int
    let host: String
    private let listener: Int32
    private let lock = NSLock()
    private var stopped = false
    private var clients: [Int32] = []
    private let finished = DispatchSemaphore(value: 0)

    init(_ behavior: Behavior, ipv6: Bool = false) throws {
        host = ipv6 ? "::1" : "127.0.0.1"
        let bound = try LoopbackSocket.open(.tcp, address: host, backlog: 8)
        listener = bound.fd
        port = bound.port
        let thread = Thread { [self] in serve(behavior) }
        thread.start()
    }

    func stop() {
        lock.withLock { stopped = true }
        finished.wait()
        lock.withLock { clients.forEach { close($0) } }
        close(listener)
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func serve(_ behavior: Behavior) {
        defer { finished.signal() }
        while !isStopped {
            guard wait(listener, Int16(POLLIN), milliseconds: 50) else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            lock.withLock { clients.append(client) }
            switch behavior {
            case .silent:
                break
            case .greet(let bytes):
                _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            case .answer(let bytes):
                for _ in 0..<100 where !isStopped {
                    guard wait(client, Int16(POLLIN), milliseconds: 50) else { continue }
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    _ = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                    _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    break
                }
            }
        }
    }

    private func wait(_ fd: Int32, _ events: Int16, milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        return poll(&entry, 1, milliseconds) > 0
    }
}
