import Foundation
import Model

/// What a TLS client asks for. Learned endpoint probes use `TLSOptions()`: no verification,
/// every protocol version and cipher the library can speak (security level 0), so an old server
/// is observed rather than refused. Declared HTTP checks verify by default.
public struct TLSOptions: Sendable, Equatable {
    /// SNI; nil or an IP literal sends none.
    public var serverName: String?
    /// Verify the chain (system trust store, plus `caFile`) and that the certificate names `serverName`.
    public var verify: Bool
    /// A PEM file of extra trusted CAs, on the machine running PostPatch.
    public var caFile: String?

    public init(serverName: String? = nil, verify: Bool = false, caFile: String? = nil) {
        self.serverName = serverName
        self.verify = verify
        self.caFile = caFile
    }
}

/// A failed handshake. `info.error` says why, naming the alert when the peer sent one
/// ("tlsv1 alert protocol version"); a verification failure also carries what the server sent.
public struct TLSHandshakeError: Error, CustomStringConvertible, Sendable {
    public var info: TLSInfo
    /// True when the server sent any bytes back (an alert, a non-TLS answer); false when it
    /// stayed silent or closed (no answer at all).
    public var answered: Bool
    public init(info: TLSInfo, answered: Bool) {
        self.info = info
        self.answered = answered
    }
    public var description: String { info.error ?? "TLS handshake failed" }
}

/// A TLS client session over a `ByteStream`, driven through OpenSSL memory BIOs (CTLS): the
/// library never touches a socket, so the bytes may flow through an SSH direct-tcpip channel.
/// After `open`, the connection is itself a `ByteStream` carrying the application data.
///
/// Bounded: the server's bytes are fed to OpenSSL one read (16 KiB) at a time and only when it
/// asks for more; what it wants sent is sent before the next step; writes go out 16 KiB at a time.
public final class TLSConnection: ByteStream, @unchecked Sendable {
    public let info: TLSInfo

    private let handle: TLSHandle
    private let stream: ByteStream
    /// One reader and one writer at a time, and one sender, so records leave in the order
    /// OpenSSL made them even when a read (an alert, a key update) and a write both produce some.
    private let reading = AsyncGate()
    private let writing = AsyncGate()
    private let sending = AsyncGate()
    private let state = NSLock()
    private var closed = false
    private var streamEnded = false

    static let chunk = 16 * 1024
    /// A handshake that has not finished after this many server bytes is not going to.
    static let handshakeByteLimit = 256 * 1024

    private init(info: TLSInfo, handle: TLSHandle, stream: ByteStream) {
        self.info = info
        self.handle = handle
        self.stream = stream
    }

    /// Shakes hands over `stream`, all by `deadline`. Throws `TLSHandshakeError` when the
    /// handshake fails for any reason: an alert, a non-TLS answer, the stream ending, a failed
    /// verification (`options.verify`), or the stream's own error (a timeout, a reset), whose
    /// message becomes `info.error`. The stream is left open: the caller closes it. Task
    /// cancellation throws the stream's cancellation error (or `CancellationError`) instead.
    public static func open(over stream: ByteStream, options: TLSOptions,
                            deadline: ContinuousClock.Instant) async throws -> TLSConnection {
        let handle = try TLSHandle(context: await TLSContext.sharedOffPool(for: options), serverName: options.serverName)
        var received: [UInt8] = []  // the first bytes, to describe a non-TLS answer
        var receivedCount = 0
        var ended = false
        func failure(_ message: String) -> TLSHandshakeError {
            TLSHandshakeError(info: handle.info(error: Sanitize.text(message)), answered: receivedCount > 0)
        }
        func transport<T>(_ body: () async throws -> T) async throws -> T {
            do { return try await body() } catch {
                if Task.isCancelled { throw error }
                let prefix = receivedCount > 0 ? "TLS handshake unfinished" : "no TLS answer"
                throw failure("\(prefix): \(error)")
            }
        }

        while true {
            try Task.checkCancellation()
            let status = handle.handshake()
            if status == .failed {
                // OpenSSL may have queued an alert for the server (protocol version, decode error).
                try? await send(from: handle, over: stream, deadline: min(deadline, .now + .milliseconds(500)))
                throw failure(describeFailure(handle.error, received: received, count: receivedCount, ended: ended))
            }
            try await transport { try await send(from: handle, over: stream, deadline: deadline) }
            if status == .ok { break }
            let bytes = try await transport { try await stream.read(max: chunk, deadline: deadline) }
            if bytes.isEmpty {
                ended = true
                handle.feedEndOfStream()
                continue
            }
            if received.count < 64 { received += bytes.prefix(64 - received.count) }
            receivedCount += bytes.count
            if receivedCount > handshakeByteLimit {
                throw failure("the server sent more than \(handshakeByteLimit / 1024) KiB without finishing the TLS handshake")
            }
            guard handle.feed(bytes) else { throw failure("out of memory during the TLS handshake") }
        }

        if options.verify {
            guard let verdict = handle.verifyResult else { throw failure("the server sent no certificate") }
            if verdict != "ok" { throw failure("certificate verify failed: \(verdict)") }
        }
        return TLSConnection(info: handle.info(error: nil), handle: handle, stream: stream)
    }

    public func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {
        try await writing.run {
            var offset = 0
            while offset < bytes.count {
                try checkOpen("write to")
                let end = Swift.min(offset + Self.chunk, bytes.count)
                guard handle.write(Array(bytes[offset..<end])) == .ok else {
                    throw ProbeError(.io, "TLS write failed: \(handle.error ?? "unknown reason")")
                }
                try await flush(deadline: deadline)
                offset = end
            }
        }
    }

    public func read(max: Int, deadline: ContinuousClock.Instant) async throws -> [UInt8] {
        try await reading.run {
            while true {
                try checkOpen("read from")
                let (status, bytes) = handle.read(max: Swift.min(Swift.max(1, max), Self.chunk))
                // Reading may answer the server (a key update); that goes out first.
                try await flush(deadline: deadline)
                switch status {
                case .ok: return bytes
                case .closed: return []  // close_notify, or the stream ended without one
                case .failed: throw ProbeError(.io, "TLS read failed: \(handle.error ?? "unknown reason")")
                case .wantInput:
                    if state.withLock({ streamEnded }) { return [] }
                    let more = try await stream.read(max: Self.chunk, deadline: deadline)
                    if more.isEmpty {
                        state.withLock { streamEnded = true }
                        handle.feedEndOfStream()
                    } else if !handle.feed(more) {
                        throw ProbeError(.io, "TLS read failed: out of memory")
                    }
                }
            }
        }
    }

    /// Sends close_notify (best effort) and closes the underlying stream.
    public func close() async {
        let first = state.withLock { () -> Bool in
            defer { closed = true }
            return !closed
        }
        if first, sending.tryEnter() {
            // Skipped when a write is mid-send: closing the stream below is what ends that write.
            handle.shutdown()
            try? await Self.send(from: handle, over: stream, deadline: .now + .seconds(1))
            sending.leave()
        }
        await stream.close()
    }

    private func checkOpen(_ what: String) throws {
        if state.withLock({ closed }) { throw ProbeError(.closed, "\(what) TLS connection: already closed") }
    }

    private func flush(deadline: ContinuousClock.Instant) async throws {
        try await sending.run { try await Self.send(from: handle, over: stream, deadline: deadline) }
    }

    /// Sends everything OpenSSL has queued, oldest first.
    private static func send(from handle: TLSHandle, over stream: ByteStream,
                             deadline: ContinuousClock.Instant) async throws {
        while true {
            let bytes = handle.takeOutput(max: chunk + 1024)
            if bytes.isEmpty { return }
            try await stream.write(bytes, deadline: deadline)
        }
    }

    /// One line for a failed handshake: OpenSSL's reason, or what the server did instead of TLS.
    static func describeFailure(_ reason: String?, received: [UInt8], count: Int, ended: Bool) -> String {
        let reason = reason ?? "the handshake failed"
        // Every TLS record starts with its content type: 20-24 (SSL 2 answers start with 0x80).
        if let first = received.first, !(20...24).contains(first), first & 0x80 == 0 {
            return "not a TLS answer: '\(Sanitize.firstLine(received, limit: 60))' (\(reason))"
        }
        if ended && count == 0 { return "the server closed the connection without a TLS answer" }
        if ended && !reason.contains("alert") {
            return "the server closed the connection mid-handshake after \(count) bytes (\(reason))"
        }
        return reason
    }
}

/// An async mutex: `run` waits its turn without blocking a thread. Waiters are resumed in order.
final class AsyncGate: @unchecked Sendable {
    private let lock = NSLock()
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func run<T>(_ body: () async throws -> T) async throws -> T {
        await enter()
        defer { leave() }
        return try await body()
    }

    /// Enters when free at once; false when someone holds it.
    func tryEnter() -> Bool {
        lock.withLock {
            if busy { return false }
            busy = true
            return true
        }
    }

    func enter() async {
        if tryEnter() { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let entered = lock.withLock { () -> Bool in
                if !busy { busy = true; return true }
                waiters.append(continuation)
                return false
            }
            if entered { continuation.resume() }
        }
    }

    func leave() {
        let next = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            if waiters.isEmpty { busy = false; return nil }
            return waiters.removeFirst()  // stays busy: handed over
        }
        next?.resume()
    }
}
