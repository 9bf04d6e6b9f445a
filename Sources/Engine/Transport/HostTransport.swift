import Probe
import SSH

/// How the engine talks to one host: run a command, open a byte stream from the host's
/// point of view. SSH in production; `local` runs the same commands through /bin/sh here.
public protocol HostTransport: Sendable {
    /// Runs `command` (a /bin/sh command line) with `stdin`, then EOF. On a remote host the
    /// command ends when PostPatch's connection does (RemoteGuard).
    func run(_ command: String, stdin: [UInt8], timeout: Duration, outputCap: Int) async throws -> ExecResult
    /// Runs a command that watches the connection itself (the collector script checks at every
    /// step marker), so it needs no guard: one process less per capture.
    func runSelfWatching(_ command: String, stdin: [UInt8], timeout: Duration, outputCap: Int) async throws -> ExecResult
    /// A TCP stream to `host:port` as the host sees it.
    func openStream(host: String, port: Int, deadline: ContinuousClock.Instant) async throws -> ByteStream
    func close() async
}

extension HostTransport {
    public func runSelfWatching(_ command: String, stdin: [UInt8], timeout: Duration, outputCap: Int) async throws -> ExecResult {
        try await run(command, stdin: stdin, timeout: timeout, outputCap: outputCap)
    }
}

/// An SSH session as a transport.
public struct SSHTransport: HostTransport {
    public let session: SSHSession
    /// Jump sessions the session runs through, first hop first.
    public let jumps: [SSHSession]
    public init(session: SSHSession, jumps: [SSHSession] = []) {
        self.session = session
        self.jumps = jumps
    }

    /// Runs `command` under a guard that ends it on the host when this connection ends
    /// (RemoteGuard). After a timeout the session is closed, so the guard ends the command.
    public func run(_ command: String, stdin: [UInt8], timeout: Duration, outputCap: Int) async throws -> ExecResult {
        try await runSelfWatching(RemoteGuard.wrap(command), stdin: stdin, timeout: timeout, outputCap: outputCap)
    }

    public func runSelfWatching(_ command: String, stdin: [UInt8], timeout: Duration, outputCap: Int) async throws -> ExecResult {
        do {
            return try await session.exec(command, stdin: stdin, timeout: timeout, outputCap: outputCap)
        } catch let e as SSHError {
            if case .commandTimeout = e { await close() }
            throw e
        }
    }

    public func openStream(host: String, port: Int, deadline: ContinuousClock.Instant) async throws -> ByteStream {
        let left = ContinuousClock.now.duration(to: deadline)
        return TunnelStream(try await session.openTunnel(host: host, port: port, timeout: max(left, .milliseconds(1))))
    }

    public func close() async {
        await session.close()
        for j in jumps.reversed() { await j.close() }
    }
}

/// An SSH direct-tcpip channel as the probes' byte stream.
final class TunnelStream: ByteStream, @unchecked Sendable {
    let tunnel: SSHTunnel
    init(_ tunnel: SSHTunnel) { self.tunnel = tunnel }
    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws { try await tunnel.write(bytes, deadline: deadline) }
    func read(max: Int, deadline: ContinuousClock.Instant) async throws -> [UInt8] { try await tunnel.read(max: max, deadline: deadline) }
    func close() async { await tunnel.close() }
}
