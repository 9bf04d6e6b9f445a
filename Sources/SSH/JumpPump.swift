import CLibSSH2
#if canImport(Glibc)
import Glibc
#endif

/// ProxyJump without a proxy process: the target session's libssh2 talks to one end of a
/// socketpair; this pump, on the jump session's poller thread, carries the bytes between the
/// other end and a direct-tcpip channel of the jump host. (libssh2 1.10 runs a session only
/// over a socket, so the channel is bridged to one.)
final class JumpPump {
    let tunnel: TunnelChannel
    let fd: Int32
    private(set) var toChannel: [UInt8] = []
    private(set) var toSocket: [UInt8] = []
    private var socketEOF = false
    private var channelEOF = false
    private var eofSent = false
    private(set) var done = false
    static let limit = 256 * 1024

    init(tunnel: TunnelChannel, fd: Int32) {
        self.tunnel = tunnel
        self.fd = fd
    }

    /// Channel side, stepped by the jump connection: channel → buffer → socket, buffer → channel.
    func stepChannel(_ session: OpaquePointer) -> ChannelStep {
        guard !done, let ch = tunnel.channel else { finish(); return .done }
        var progressed = false
        let buffer = Scratch.buffer
        while !channelEOF && toSocket.count < Self.limit {
            let n = libssh2_channel_read_ex(ch, 0, buffer.assumingMemoryBound(to: CChar.self), Scratch.size)
            if n > 0 {
                toSocket.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: n))
                progressed = true
            } else if n == Int(LibSSH2.eagain) {
                if libssh2_channel_eof(ch) == 1 { channelEOF = true }
                break
            } else {
                if n < 0 && isSessionFatal(Int32(n)) { finish(); return .sessionFailed(.sessionLost(endpoint: tunnel.endpoint, reason: LibSSH2.lastError(session).message)) }
                channelEOF = true
            }
        }
        if flushSocket() { progressed = true }
        while !toChannel.isEmpty {
            let n = toChannel.withUnsafeBufferPointer { p in
                p.withMemoryRebound(to: CChar.self) { libssh2_channel_write_ex(ch, 0, $0.baseAddress, $0.count) }
            }
            if n == Int(LibSSH2.eagain) { break }
            if n < 0 {
                if isSessionFatal(Int32(n)) { finish(); return .sessionFailed(.sessionLost(endpoint: tunnel.endpoint, reason: LibSSH2.lastError(session).message)) }
                finish()
                return .done
            }
            toChannel.removeFirst(n)
            progressed = true
        }
        if socketEOF && toChannel.isEmpty && !eofSent {
            if libssh2_channel_send_eof(ch) != LibSSH2.eagain { eofSent = true }
        }
        // Both directions ended: the jumped session is over.
        if (channelEOF && toSocket.isEmpty) || (socketEOF && eofSent) {
            if channelEOF { shutdown(fd, Int32(SHUT_WR)) }
            if socketEOF && channelEOF {
                finish()
                return .done
            }
        }
        return progressed ? .progressed : .blocked
    }

    /// Socket side, on socket readiness: socket → buffer; returns the events to wait for.
    func stepSocket() -> Int16 {
        guard !done else { return 0 }
        let buffer = Scratch.buffer
        while !socketEOF && toChannel.count < Self.limit {
            let n = read(fd, buffer, Scratch.size)
            if n > 0 { toChannel.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: n)); continue }
            if n == 0 || (errno != EAGAIN && errno != EINTR) { socketEOF = true }
            break
        }
        _ = flushSocket()
        return events
    }

    var events: Int16 {
        guard !done else { return 0 }
        var ev: Int16 = 0
        if !socketEOF && toChannel.count < Self.limit { ev |= Int16(POLLIN) }
        if !toSocket.isEmpty { ev |= Int16(POLLOUT) }
        return ev
    }

    /// Writes what the channel gave to the socket; true when something was written.
    private func flushSocket() -> Bool {
        var wrote = false
        while !toSocket.isEmpty {
            let n = toSocket.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
            if n > 0 { toSocket.removeFirst(n); wrote = true; continue }
            if n < 0 && errno != EAGAIN && errno != EINTR { socketEOF = true; channelEOF = true; toSocket.removeAll() }
            break
        }
        return wrote
    }

    /// Closes our end: the target session sees EOF and ends.
    func finish() {
        guard !done else { return }
        done = true
        close(fd)
    }
}

/// The pump's channel half, queued on the jump connection like any channel operation.
final class JumpPumpOperation: ChannelOp {
    let pump: JumpPump
    let socketSide: JumpPumpSocket
    init(pump: JumpPump, socketSide: JumpPumpSocket) {
        self.pump = pump
        self.socketSide = socketSide
    }

    func step(session: OpaquePointer) -> ChannelStep {
        let r = pump.stepChannel(session)
        socketSide.refresh()
        return r
    }

    var deadline: ContinuousClock.Instant? { nil }
    func expire() {}
    func fail(_ error: SSHError) {
        pump.tunnel.channel = nil
        pump.finish()
    }
}

/// The pump's socket half, a poll driver on the jump session's poller thread.
final class JumpPumpSocket: PollDriver {
    let pump: JumpPump
    weak var jump: Connection?
    init(pump: JumpPump, jump: Connection) {
        self.pump = pump
        self.jump = jump
    }

    var fd: Int32 { pump.done ? -1 : pump.fd }
    var deadline: ContinuousClock.Instant? { nil }
    var finished: Bool { pump.done }
    func expire() -> Int16 { pump.events }

    func step(revents: Int16) -> Int16 {
        let (inBefore, outBefore) = (pump.toChannel.count, pump.toSocket.count)
        let ev = pump.stepSocket()
        // New bytes for the channel, or room for more from it (libssh2 may already hold them,
        // so no event on the jump socket would say so): have the jump connection step now.
        if pump.toChannel.count != inBefore || pump.toSocket.count != outBefore || pump.done, let jump {
            jump.poller.kick(jump)
        }
        return ev
    }

    /// After the channel side ran: make sure the poller waits for the right socket events.
    func refresh() {
        jump?.poller.kick(self)
    }
}
