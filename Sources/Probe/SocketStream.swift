import Foundation
import Model
import Net
#if canImport(Glibc)
import Glibc
#endif

/// A `ByteStream` over a plain TCP socket (IPv4 or IPv6): what probes use for the host `local`
/// and in tests. The socket is non-blocking; every system call that could wait runs on a dedicated
/// thread polling in short slices, so deadlines and task cancellation are honoured promptly.
public final class SocketStream: ByteStream, @unchecked Sendable {
    /// "127.0.0.1:5432" or "[::1]:5432": the peer as connected, for messages.
    public let peer: String

    private let lock = NSLock()
    private var fd: Int32
    private var closed = false
    private var inFlight = 0

    private init(fd: Int32, peer: String) {
        self.fd = fd
        self.peer = peer
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }

    /// Resolves `host` and connects to the first address that accepts, all before `deadline`.
    /// Throws `ProbeError` with a one-line message such as
    /// "connect to 127.0.0.1:5432: connection refused" or "... timed out after 5 s".
    public static func connect(host: String, port: Int, deadline: ContinuousClock.Instant) async throws -> SocketStream {
        let allowed = deadline - .now
        let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]:\(port)" : "\(host):\(port)"
        guard (1...65535).contains(port) else {
            throw ProbeError(.io, "connect to \(shown): port \(port) is outside 1-65535; fix the check's port")
        }
        let timeout = ProbeError(.timedOut, "connect to \(shown): name resolution timed out after \(formatSeconds(allowed))")
        let addresses = try await ThreadBridge.run("resolve \(host)", deadline: deadline, timeout: timeout) {
            do { return try NetworkAddress.resolve(host: host, port: port) } catch let failure as NetworkAddress.ResolveFailure {
                throw ProbeError(.resolve, "cannot resolve \(host): \(lowerFirst(failure.reason))")
            }
        }
        var lastError = ProbeError(.io, "connect to \(shown): no address to try")
        for address in addresses {
            let what = address.numeric == host || "[\(address.numeric)]" == host
                ? address.display(port: port) : "\(shown) (\(address.numeric))"
            do {
                let fd = try await ThreadBridge.run("connect \(what)") { flag in
                    try openConnection(to: address, what: what, deadline: deadline, allowed: allowed, cancel: flag)
                }
                return SocketStream(fd: fd, peer: address.display(port: port))
            } catch let error as ProbeError {
                lastError = error
                // Another address of the same name may still answer; a timeout has used up the budget.
                if error.reason == .timedOut || error.reason == .cancelled { throw error }
            }
        }
        throw lastError
    }

    public func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {
        if bytes.isEmpty { return }
        let fd = try begin("write to")
        defer { end() }
        let started = ContinuousClock.now
        let peer = peer
        try await ThreadBridge.run("write \(peer)") { flag in
            var offset = 0
            while offset < bytes.count {
                let sent = bytes.withUnsafeBytes { raw -> Int in
                    guard let base = raw.baseAddress else { return 0 }
                    return send(fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                }
                if sent > 0 { offset += sent; continue }
                let code = errno
                if sent < 0 && code == EINTR { continue }
                guard sent < 0 && (code == EAGAIN || code == EWOULDBLOCK) else {
                    throw socketError("write to \(peer)", code)
                }
                try Self.wait(fd, for: Int16(POLLOUT), what: "write to \(peer)", deadline: deadline,
                              started: started, cancel: flag)
            }
        }
    }

    public func read(max: Int, deadline: ContinuousClock.Instant) async throws -> [UInt8] {
        let fd = try begin("read from")
        defer { end() }
        let started = ContinuousClock.now
        let peer = peer
        let size = Swift.min(Swift.max(1, max), 65536)
        return try await ThreadBridge.run("read \(peer)") { flag in
            var buffer = [UInt8](repeating: 0, count: size)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count > 0 { return Array(buffer[0..<count]) }
                if count == 0 { return [] }
                let code = errno
                if code == EINTR { continue }
                guard code == EAGAIN || code == EWOULDBLOCK else { throw socketError("read from \(peer)", code) }
                try Self.wait(fd, for: Int16(POLLIN), what: "read from \(peer)", deadline: deadline,
                              started: started, cancel: flag)
            }
        }
    }

    public func close() async {
        lock.withLock {
            if closed { return }
            closed = true
            if inFlight == 0 {
                Glibc.close(fd)
                fd = -1
            } else {
                // Wakes the thread polling this socket; it closes the descriptor when it returns.
                shutdown(fd, Int32(SHUT_RDWR))
            }
        }
    }

    private func begin(_ what: String) throws -> Int32 {
        try lock.withLock {
            if closed { throw ProbeError(.closed, "\(what) \(peer): the stream is already closed") }
            inFlight += 1
            return fd
        }
    }

    private func end() {
        lock.withLock {
            inFlight -= 1
            if closed && inFlight == 0 && fd >= 0 {
                Glibc.close(fd)
                fd = -1
            }
        }
    }

    /// Blocking: opens a non-blocking socket and waits for the connect to complete.
    private static func openConnection(to address: NetworkAddress, what: String, deadline: ContinuousClock.Instant,
                                       allowed: Duration, cancel: CancelFlag) throws -> Int32 {
        let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(address.family, kind, 0)
        guard fd >= 0 else { throw socketError("connect to \(what): cannot create a socket", errno) }
        var connected = false
        defer { if !connected { Glibc.close(fd) } }
        let status = address.withSockaddr { Glibc.connect(fd, $0, $1) }
        if status != 0 {
            let code = errno
            guard code == EINPROGRESS else { throw socketError("connect to \(what)", code) }
            let started = deadline - allowed
            try wait(fd, for: Int16(POLLOUT), what: "connect to \(what)", deadline: deadline, started: started, cancel: cancel)
            var pending: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            if getsockopt(fd, SOL_SOCKET, SO_ERROR, &pending, &length) != 0 { pending = errno }
            if pending != 0 { throw socketError("connect to \(what)", pending) }
        }
        connected = true
        return fd
    }

    /// Polls in slices of at most 50 ms so cancellation is noticed quickly; returns when `fd` is
    /// ready (or in error: the next system call reports it).
    private static func wait(_ fd: Int32, for events: Int16, what: String, deadline: ContinuousClock.Instant,
                             started: ContinuousClock.Instant, cancel: CancelFlag) throws {
        while true {
            if cancel.isSet { throw ProbeError(.cancelled, "\(what): cancelled") }
            let remaining = deadline - .now
            if remaining <= .zero {
                throw ProbeError(.timedOut, "\(what): timed out after \(formatSeconds(deadline - started))")
            }
            let millis = Swift.min(50, remaining.pollMilliseconds)
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, millis)
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw socketError(what, errno) }
        }
    }
}

/// Maps errno to a `ProbeError` whose reason callers can test.
private func socketError(_ what: String, _ code: Int32) -> ProbeError {
    let reason: ProbeError.Reason
    switch code {
    case ECONNREFUSED: reason = .refused
    case ENETUNREACH, EHOSTUNREACH: reason = .unreachable
    case ETIMEDOUT: reason = .timedOut
    case ECONNRESET, EPIPE: reason = .closed
    default: reason = .io
    }
    return ProbeError(reason, "\(what): \(errnoText(code))")
}
