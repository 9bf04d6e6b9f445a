import CLibSSH2

/// The channel behind an `SSHTunnel`; touched on the poller thread only.
final class TunnelChannel {
    var channel: OpaquePointer?
    var eof = false
    let target: String
    let endpoint: String
    init(target: String, endpoint: String) {
        self.target = target
        self.endpoint = endpoint
    }
}

/// Shared shape of tunnel operations: one result, a deadline, delivered once.
class TunnelOperation<Value>: ChannelOp {
    let tunnel: TunnelChannel
    private(set) var deadline: ContinuousClock.Instant?
    private var completion: ((Result<Value, SSHError>) -> Void)?

    init(tunnel: TunnelChannel, deadline: ContinuousClock.Instant, completion: @escaping (Result<Value, SSHError>) -> Void) {
        self.tunnel = tunnel
        self.deadline = deadline
        self.completion = completion
    }

    func step(session: OpaquePointer) -> ChannelStep { fatalError("subclass") }

    func expire() { deliver(.failure(.tunnelTimeout(endpoint: tunnel.endpoint, target: tunnel.target))) }
    func fail(_ error: SSHError) {
        tunnel.channel = nil  // freed with the session
        deliver(.failure(error))
    }

    var delivered: Bool { completion == nil }

    func deliver(_ result: Result<Value, SSHError>) {
        deadline = nil
        let c = completion
        completion = nil
        c?(result)
    }

    /// Maps a libssh2 failure code to a step: session-level codes end the session.
    func failed(_ session: OpaquePointer, _ code: Int32, _ what: String) -> ChannelStep {
        let msg = LibSSH2.lastError(session).message
        if isSessionFatal(code) { return .sessionFailed(.sessionLost(endpoint: tunnel.endpoint, reason: msg)) }
        deliver(.failure(.tunnel(endpoint: tunnel.endpoint, target: tunnel.target, reason: "\(what): \(msg)")))
        return .done
    }
}

/// libssh2 opens one channel at a time per session: while an open is pending, the next call of
/// libssh2_channel_direct_tcpip_ex continues *that* open (its host and port, whatever it was
/// asked) and may be handed its channel. So only the operation that started an open may step
/// it; one whose caller timed out is still stepped to its end and its channel freed, so no later
/// open inherits it. Poller thread only, one per session.
final class TunnelOpenGate {
    var owner: TunnelOpenOperation?
}

/// Opens a direct-tcpip channel: the host itself connects to `host:port`.
final class TunnelOpenOperation: TunnelOperation<Void> {
    let host: String
    let port: Int
    let gate: TunnelOpenGate
    /// A channel that arrived after its caller gave up: freed, never handed out.
    private var orphan: OpaquePointer?

    init(tunnel: TunnelChannel, host: String, port: Int, gate: TunnelOpenGate, deadline: ContinuousClock.Instant,
         completion: @escaping (Result<Void, SSHError>) -> Void) {
        self.host = host
        self.port = port
        self.gate = gate
        super.init(tunnel: tunnel, deadline: deadline, completion: completion)
    }

    override func step(session: OpaquePointer) -> ChannelStep {
        if let ch = orphan {
            if libssh2_channel_free(ch) == LibSSH2.eagain { return .blocked }
            orphan = nil
            return .done
        }
        if gate.owner !== self {
            if delivered { return .done }
            if gate.owner != nil { return .blocked }  // another open is pending: wait for its end
        }
        gate.owner = self
        guard let ch = libssh2_channel_direct_tcpip_ex(session, host, Int32(port), "127.0.0.1", 0) else {
            let code = libssh2_session_last_errno(session)
            if code == LibSSH2.eagain { return .blocked }
            gate.owner = nil
            if delivered { return .done }
            return failed(session, code, "the host could not connect")
        }
        gate.owner = nil
        if delivered {
            orphan = ch
            return step(session: session)
        }
        tunnel.channel = ch
        deliver(.success(()))
        return .done
    }

    /// The caller's time is up. An open already sent stays queued until the server answers it;
    /// one that never got its turn says so.
    override func expire() {
        if gate.owner === self {
            deliver(.failure(.tunnelTimeout(endpoint: tunnel.endpoint, target: tunnel.target)))
        } else {
            deliver(.failure(.tunnel(endpoint: tunnel.endpoint, target: tunnel.target, reason: SSHSession.channelOpenQueued)))
        }
    }

    override func fail(_ error: SSHError) {
        if gate.owner === self { gate.owner = nil }
        super.fail(error)
    }
}

final class TunnelReadOperation: TunnelOperation<[UInt8]> {
    let max: Int
    init(tunnel: TunnelChannel, max: Int, deadline: ContinuousClock.Instant,
         completion: @escaping (Result<[UInt8], SSHError>) -> Void) {
        self.max = max
        super.init(tunnel: tunnel, deadline: deadline, completion: completion)
    }

    override func step(session: OpaquePointer) -> ChannelStep {
        if delivered { return .done }
        guard let ch = tunnel.channel, !tunnel.eof else { deliver(.success([])); return .done }
        var buffer = [CChar](repeating: 0, count: Swift.max(1, Swift.min(max, 256 * 1024)))
        let n = buffer.withUnsafeMutableBufferPointer { libssh2_channel_read_ex(ch, 0, $0.baseAddress, $0.count) }
        if n > 0 {
            deliver(.success(buffer.prefix(n).map { UInt8(bitPattern: $0) }))
            return .done
        }
        if n == Int(LibSSH2.eagain) {
            if libssh2_channel_eof(ch) == 1 { tunnel.eof = true; deliver(.success([])); return .done }
            return .blocked
        }
        if n == 0 || n == Int(LIBSSH2_ERROR_CHANNEL_CLOSED) {
            tunnel.eof = true
            deliver(.success([]))
            return .done
        }
        return failed(session, Int32(n), "read failed")
    }
}

final class TunnelWriteOperation: TunnelOperation<Void> {
    private var pending: [UInt8]
    init(tunnel: TunnelChannel, bytes: [UInt8], deadline: ContinuousClock.Instant,
         completion: @escaping (Result<Void, SSHError>) -> Void) {
        self.pending = bytes
        super.init(tunnel: tunnel, deadline: deadline, completion: completion)
    }

    override func step(session: OpaquePointer) -> ChannelStep {
        if delivered { return .done }
        guard let ch = tunnel.channel else {
            deliver(.failure(.tunnel(endpoint: tunnel.endpoint, target: tunnel.target, reason: "closed")))
            return .done
        }
        var progressed = false
        while !pending.isEmpty {
            let n = pending.withUnsafeBufferPointer { p in
                p.withMemoryRebound(to: CChar.self) { libssh2_channel_write_ex(ch, 0, $0.baseAddress, $0.count) }
            }
            if n == Int(LibSSH2.eagain) { return progressed ? .progressed : .blocked }
            if n < 0 { return failed(session, Int32(n), "write failed") }
            pending.removeFirst(n)
            progressed = true
        }
        deliver(.success(()))
        return .done
    }
}

/// Closes and frees the tunnel's channel.
final class TunnelCloseOperation: TunnelOperation<Void> {
    private var closed = false
    override func step(session: OpaquePointer) -> ChannelStep {
        if delivered { return .done }
        guard let ch = tunnel.channel else { deliver(.success(())); return .done }
        if !closed {
            let rc = libssh2_channel_close(ch)
            if rc == LibSSH2.eagain { return .blocked }
            closed = true
        }
        let rc = libssh2_channel_free(ch)
        if rc == LibSSH2.eagain { return .blocked }
        tunnel.channel = nil
        deliver(.success(()))
        return .done
    }

    /// A peer that never acknowledges the close: leave the channel to the session's free.
    override func expire() { deliver(.success(())) }
}
