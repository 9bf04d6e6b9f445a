import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on loopback for the declared HTTP checks' tests: each request is
/// answered by a handler the test sets (and may swap while running, e.g. to start failing),
/// and every request is recorded, so a test sees exactly what a client sent. One thread accepts,
/// one thread per connection answers; every wait is bounded by poll().
public final class LabHTTPServer: @unchecked Sendable {
    public struct Request: Sendable, CustomStringConvertible {
        public var method: String
        public var target: String
        public var headers: [(name: String, value: String)]

        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
        public var description: String { "\(method) \(target) \(headers.map { "\($0.name): \($0.value)" })" }
    }

    public enum Reply: Sendable {
        /// A complete answer with Content-Length and `Connection: close`.
        case respond(status: Int, headers: [(String, String)] = [], body: [UInt8] = [])
        /// These bytes as they are (garbage, a broken head), then close.
        case raw([UInt8])
        /// A 200 head, then `bytes` bytes of body without a length: a server that sends far too much.
        case flood(bytes: Int)
        /// Reads the request and says nothing until the client gives up or the server stops.
        case silent

        public static func text(_ status: Int, _ body: String, headers: [(String, String)] = []) -> Reply {
            .respond(status: status, headers: [("Content-Type", "text/plain")] + headers, body: Array(body.utf8))
        }
    }

    public typealias Handler = @Sendable (Request) -> Reply

    public let host: String
    public let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var handler: Handler
    private var recorded: [Request] = []
    private var clients: Set<Int32> = []
    private var stopped = false
    private var running = 0
    private let acceptDone = DispatchSemaphore(value: 0)

    public init(address: String = "127.0.0.1", handler: @escaping Handler) throws {
        host = address
        let bound = try LoopbackSocket.open(.tcp, address: address, backlog: 64)
        listener = bound.fd
        port = bound.port
        self.handler = handler
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// "http://127.0.0.1:PORT" (IPv6 in brackets), for URLs in checks.
    public var base: String { host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)" }

    public func setHandler(_ new: @escaping Handler) { lock.withLock { handler = new } }

    public var requests: [Request] { lock.withLock { recorded } }

    /// "Basic base64(user:password)": what a client sends for these credentials.
    public static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    /// Stops accepting, ends open connections and waits (bounded) for their threads.
    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        acceptDone.wait()
        close(listener)
        lock.withLock { clients.forEach { shutdown($0, Int32(SHUT_RDWR)) } }
        try? waitUntilBlocking("the HTTP server's handlers to finish", timeout: .seconds(2), poll: .milliseconds(10)) {
            lock.withLock { running } == 0
        }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func acceptLoop() {
        defer { acceptDone.signal() }
        while !isStopped {
            guard Self.wait(listener, Int16(POLLIN), milliseconds: 50) else { continue }
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { continue }
            // Close-on-exec: a shell a test starts meanwhile must not hold the connection open.
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            let admitted = lock.withLock { () -> Bool in
                guard running < 64 else { return false }
                running += 1
                clients.insert(fd)
                return true
            }
            guard admitted else { close(fd); continue }
            Thread { [self] in
                serve(fd)
                lock.withLock {
                    clients.remove(fd)
                    running -= 1
                }
                close(fd)
            }.start()
        }
    }

    private func serve(_ fd: Int32) {
        guard let request = readRequest(fd) else { return }
        let answer = lock.withLock { () -> Handler in
            recorded.append(request)
            return handler
        }
        let reply = answer(request)
        switch reply {
        case let .respond(status, headers, body):
            var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            _ = send(fd, Array((head + "\r\n").utf8) + body)
        case let .raw(bytes):
            _ = send(fd, bytes)
        case let .flood(total):
            guard send(fd, Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n".utf8)) else { return }
            let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
            var sent = 0
            while sent < total, !isStopped, send(fd, Array(chunk.prefix(total - sent))) { sent += chunk.count }
        case .silent:
            while !isStopped {
                if Self.wait(fd, Int16(POLLIN), milliseconds: 50) {
                    var scratch = [UInt8](repeating: 0, count: 4096)
                    if recv(fd, &scratch, scratch.count, 0) <= 0 { return }
                }
            }
        }
        // Let the client read to the end before the close (a close with unread input resets).
        shutdown(fd, Int32(SHUT_WR))
        for _ in 0..<20 where Self.wait(fd, Int16(POLLIN), milliseconds: 50) {
            var scratch = [UInt8](repeating: 0, count: 4096)
            if recv(fd, &scratch, scratch.count, 0) <= 0 { break }
        }
    }

    /// The request line and headers, read within 5 s and 64 KiB; nil otherwise.
    private func readRequest(_ fd: Int32) -> Request? {
        var buffer: [UInt8] = []
        let end = Array("\r\n\r\n".utf8)
        for _ in 0..<100 where !isStopped && buffer.count < 65536 {
            if buffer.firstRange(of: end) != nil { break }
            guard Self.wait(fd, Int16(POLLIN), milliseconds: 50) else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return nil }
            buffer += chunk[0..<n]
        }
        guard let range = buffer.firstRange(of: end) else { return nil }
        let lines = String(decoding: buffer[..<range.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let first = lines[0].split(separator: " ")
        guard first.count == 3 else { return nil }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Request(method: String(first[0]), target: String(first[1]), headers: headers)
    }

    /// Writes all of `bytes` within 10 s; false when the client went away.
    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        var waits = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
            if n > 0 { offset += n; continue }
            guard n < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR, waits < 200, !isStopped else { return false }
            waits += 1
            _ = Self.wait(fd, Int16(POLLOUT), milliseconds: 50)
        }
        return true
    }

    private static func wait(_ fd: Int32, _ events: Int16, milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        return poll(&entry, 1, milliseconds) > 0
    }

    private static func reason(_ status: Int) -> String {
        [200: "OK", 204: "No Content", 301: "Moved Permanently", 302: "Found", 401: "Unauthorized", 403: "Forbidden",
         404: "Not Found", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"][status] ?? "Status"
    }
}
