import Foundation

/// An authenticated SSH connection to one host. Thread-safe: every call hops to the
/// session's poller thread, so one libssh2 session is only ever used by one thread.
public final class SSHSession: @unchecked Sendable {
    public let endpoint: Endpoint
    let connection: Connection
    let poller: PollerThread
    /// The jump host this session runs through, kept alive as long as this session.
    private let jump: SSHSession?
    /// Which tunnel open owns libssh2's one pending channel open (poller thread only).
    private let openGate = TunnelOpenGate()

    init(connection: Connection, via jump: SSHSession? = nil) {
        self.connection = connection
        self.endpoint = connection.endpoint
        self.poller = connection.poller
        self.jump = jump
    }

    deinit {
        let c = connection
        poller.submit { c.shutdown() }
    }

    /// Connects, checks the host key against known_hosts and logs in, within `options.connectTimeout`.
    public static func connect(to endpoint: Endpoint, options: ConnectOptions) async throws -> SSHSession {
        let poller = PollerPool.shared.pick()
        return try await withCheckedThrowingContinuation { (cont: CheckedContinuation<SSHSession, Error>) in
            poller.submit {
                let box = ConnectionBox()
                let conn = Connection(poller: poller, endpoint: endpoint, options: options) { result in
                    switch result {
                    case .success: cont.resume(returning: SSHSession(connection: box.connection!))
                    case let .failure(e): cont.resume(throwing: e)
                    }
                    box.connection = nil
                }
                box.connection = conn
                conn.start()
            }
        }
    }

    /// Runs `command` through the user's login shell on the host (as `ssh host command` does),
    /// feeding it `stdin` and then EOF. Throws on timeout (the channel is closed) or when output passes `outputCap` bytes.
    public func exec(_ command: String, stdin: [UInt8] = [], timeout: Duration = .seconds(120),
                     outputCap: Int = 64 << 20) async throws -> ExecResult {
        let box = OperationBox<ExecOperation>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (cont: CheckedContinuation<ExecResult, Error>) in
                let op = ExecOperation(command: command, stdin: stdin, endpoint: "\(endpoint)", timeout: timeout, outputCap: outputCap) {
                    cont.resume(with: $0.mapError { $0 as Error })
                }
                box.set(op)
                let conn = connection
                poller.submit { conn.enqueue(op) }
            }
        } onCancel: {
            let ep = "\(endpoint)"
            poller.submit { box.get()?.cancel(.interrupted(endpoint: ep)) }
        }
    }

    /// Why an open failed that never got its turn: the session's channel opens go one at a time
    /// (libssh2), and the one before it had not completed (a connect the host could not finish).
    public static let channelOpenQueued = "not sent: an earlier channel open on this session had not completed (one at a time)"

    /// Opens a direct-tcpip channel: the host connects to `host:port` and the bytes flow through SSH.
    /// Opens of one session go one at a time (TunnelOpenGate).
    public func openTunnel(host: String, port: Int, timeout: Duration = .seconds(10)) async throws -> SSHTunnel {
        let target = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let channel = TunnelChannel(target: target, endpoint: "\(endpoint)")
        let gate = openGate
        try await run(TunnelOpenOperation.self) { done in
            TunnelOpenOperation(tunnel: channel, host: host, port: port, gate: gate, deadline: .now + timeout, completion: done)
        }
        return SSHTunnel(session: self, channel: channel)
    }

    /// Disconnects. Operations still running fail with `closed`.
    public func close() async {
        let conn = connection
        await withCheckedContinuation { (cont: CheckedContinuation<Void, Never>) in
            poller.submit {
                conn.shutdown()
                cont.resume()
            }
        }
    }

    /// Queues an operation built by `make` and waits for its result.
    func run<Op: ChannelOp, Value>(_ type: Op.Type, _ make: @escaping (@escaping (Result<Value, SSHError>) -> Void) -> Op) async throws -> Value {
        let conn = connection
        return try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Value, Error>) in
            let op = make { cont.resume(with: $0.mapError { $0 as Error }) }
            poller.submit { conn.enqueue(op) }
        }
    }
}

/// A byte stream through the host (direct-tcpip). Reads and writes take deadlines.
public final class SSHTunnel: @unchecked Sendable {
    private let session: SSHSession
    private let channel: TunnelChannel

    init(session: SSHSession, channel: TunnelChannel) {
        self.session = session
        self.channel = channel
    }

    public var target: String { channel.target }
    var channelState: TunnelChannel { channel }

    public func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {
        let ch = channel
        try await session.run(TunnelWriteOperation.self) { done in
            TunnelWriteOperation(tunnel: ch, bytes: bytes, deadline: deadline, completion: done)
        }
    }

    /// Up to `max` bytes; empty at end of stream.
    public func read(max: Int, deadline: ContinuousClock.Instant) async throws -> [UInt8] {
        let ch = channel
        return try await session.run(TunnelReadOperation.self) { done in
            TunnelReadOperation(tunnel: ch, max: max, deadline: deadline, completion: done)
        }
    }

    public func close() async {
        let ch = channel
        _ = try? await session.run(TunnelCloseOperation.self) { done in
            TunnelCloseOperation(tunnel: ch, deadline: .now + .seconds(3), completion: done)
        }
    }
}

final class ConnectionBox: @unchecked Sendable { var connection: Connection? }

/// Lets a cancellation handler reach an operation created inside the continuation.
final class OperationBox<Op: AnyObject>: @unchecked Sendable {
    private let lock = NSLock()
    private var op: Op?
    func set(_ op: Op) { lock.withLock { self.op = op } }
    func get() -> Op? { lock.withLock { op } }
}

extension SSHSession {
    /// Connects to `endpoint` through `jump` (OpenSSH's ProxyJump): the jump host opens a
    /// direct-tcpip channel to the endpoint and the new session runs inside it. Host keys and
    /// credentials of the endpoint are checked as for a direct connection. Keep `jump` open
    /// while the new session is used; chains are built by jumping from a jumped session.
    public static func connect(to endpoint: Endpoint, options: ConnectOptions, via jump: SSHSession) async throws -> SSHSession {
        let tunnel = try await jump.openTunnel(host: endpoint.host, port: endpoint.port, timeout: options.connectTimeout)
        var pair: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0 else {
            await tunnel.close()
            throw SSHError.connectFailed(endpoint: "\(endpoint)", reason: "socketpair: \(String(cString: strerror(errno)))")
        }
        for fd in pair {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        let jumpConnection = jump.connection
        let channel = tunnel.channelState
        jump.poller.submit {
            let pump = JumpPump(tunnel: channel, fd: pair[1])
            let socketSide = JumpPumpSocket(pump: pump, jump: jumpConnection)
            jumpConnection.enqueue(JumpPumpOperation(pump: pump, socketSide: socketSide))
            jumpConnection.poller.kick(socketSide)
        }
        let poller = PollerPool.shared.pick()
        let session = try await withCheckedThrowingContinuation { (cont: CheckedContinuation<SSHSession, Error>) in
            poller.submit {
                let box = ConnectionBox()
                let conn = Connection(poller: poller, endpoint: endpoint, options: options) { result in
                    switch result {
                    case .success: cont.resume(returning: SSHSession(connection: box.connection!, via: jump))
                    case let .failure(e): cont.resume(throwing: e)
                    }
                    box.connection = nil
                }
                box.connection = conn
                conn.start(adopting: pair[0])
            }
        }
        return session
    }
}
