import CLibSSH2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One SSH connection, driven by its poller thread through the phases
/// resolve → TCP connect → SSH handshake → host key check → authentication → ready,
/// then stepping the channel operations queued on it. All state is touched on that thread only.
final class Connection: PollDriver, @unchecked Sendable {
    enum Phase { case resolving, connecting, handshake, hostKey, authList, authenticating, ready, dead }

    let poller: PollerThread
    let endpoint: Endpoint
    let options: ConnectOptions
    private(set) var fd: Int32 = -1
    private(set) var session: OpaquePointer?
    private(set) var phase = Phase.resolving
    private var addresses: [SocketAddress] = []
    private var addressIndex = 0
    private var lastConnectError: SSHError?
    private let connectDeadline: ContinuousClock.Instant
    private var onConnected: ((Result<Void, SSHError>) -> Void)?
    private var auth: Authenticator?
    private(set) var ops: [ChannelOp] = []
    /// Set once the session is unusable; later operations fail with it at once.
    private(set) var fatal: SSHError?
    /// While operations wait, they are stepped again at least this often even without a poll
    /// event: a safety net against a readiness libssh2 consumed without us seeing it (seen as
    /// one stalled session out of 500 in the benchmark). Costs one cheap step per second.
    private var nudgeAt: ContinuousClock.Instant?
    static let nudgeInterval = Duration.seconds(1)

    init(poller: PollerThread, endpoint: Endpoint, options: ConnectOptions,
         onConnected: @escaping (Result<Void, SSHError>) -> Void) {
        self.poller = poller
        self.endpoint = endpoint
        self.options = options
        self.connectDeadline = .now + options.connectTimeout
        self.onConnected = onConnected
    }

    /// Loop thread: resolve (inline for IP literals) and start connecting.
    func start() {
        poller.kick(self)
        if let numeric = Resolver.numeric(endpoint.host, port: endpoint.port) {
            beginConnect(numeric)
            return
        }
        Resolver.resolve(endpoint.host, port: endpoint.port) { [self] result in
            poller.submit { [self] in
                guard phase == .resolving else { return }
                switch result {
                case let .success(addrs): beginConnect(addrs)
                case let .failure(err): failConnect(err)
                }
                poller.kick(self)
            }
        }
    }

    /// Loop thread: run the session over an already connected socket (one end of the
    /// socketpair a jump host's tunnel is pumped through).
    func start(adopting socket: Int32) {
        poller.kick(self)
        fd = socket
        phase = .connecting
        _ = beginSession()
    }

    /// The socket is connected: start libssh2's session and its handshake.
    private func beginSession() -> Int16 {
        guard LibSSH2.initialized, let s = libssh2_session_init_ex(nil, nil, nil, nil) else {
            failConnect(.handshake(endpoint: "\(endpoint)", reason: "libssh2 could not start a session"))
            return 0
        }
        session = s
        libssh2_session_set_blocking(s, 0)
        Algorithms.prefer(session: s, knownTypes: options.knownHosts.keyTypes(for: knownHostsName))
        phase = .handshake
        return step(revents: 0)
    }

    private func beginConnect(_ addrs: [SocketAddress]) {
        addresses = addrs
        addressIndex = 0
        phase = .connecting
        connectNext()
    }

    /// Starts a non-blocking connect to the next address; fails when none is left.
    private func connectNext() {
        closeSocket()
        while addressIndex < addresses.count {
            var addr = addresses[addressIndex]
            addressIndex += 1
            let s = socket(addr.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if s < 0 { lastConnectError = .connectFailed(endpoint: "\(endpoint)", reason: errnoText()); continue }
            var one: Int32 = 1
            setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let rc = withUnsafePointer(to: &addr.storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(s, $0, addr.length) }
            }
            if rc == 0 || errno == EINPROGRESS {
                fd = s
                return
            }
            lastConnectError = connectError(errno)
            Glibc.close(s)
        }
        failConnect(lastConnectError ?? .connectFailed(endpoint: "\(endpoint)", reason: "no address"))
    }

    private func connectError(_ code: Int32) -> SSHError {
        code == ECONNREFUSED ? .connectRefused(endpoint: "\(endpoint)")
            : .connectFailed(endpoint: "\(endpoint)", reason: String(cString: strerror(code)))
    }

    var deadline: ContinuousClock.Instant? {
        switch phase {
        case .dead: return nil
        case .ready: return (ops.compactMap(\.deadline) + [nudgeAt].compactMap { $0 }).min()
        default: return connectDeadline
        }
    }

    var finished: Bool { phase == .dead }

    func step(revents: Int16) -> Int16 {
        switch phase {
        case .resolving, .dead:
            return 0
        case .connecting:
            if revents == 0 { return Int16(POLLOUT) }
            var err: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
            if err != 0 {
                lastConnectError = connectError(err)
                connectNext()
                return phase == .connecting ? Int16(POLLOUT) : 0
            }
            return beginSession()
        case .handshake:
            let rc = libssh2_session_handshake(session, libssh2_socket_t(fd))
            if rc == LibSSH2.eagain { return directions }
            if rc != 0 {
                failConnect(.handshake(endpoint: "\(endpoint)", reason: LibSSH2.lastError(session!).message))
                return 0
            }
            phase = .hostKey
            return step(revents: 0)
        case .hostKey:
            var len = 0
            var type: Int32 = 0
            guard let key = libssh2_session_hostkey(session, &len, &type), len > 0 else {
                failConnect(.handshake(endpoint: "\(endpoint)", reason: "server sent no host key"))
                return 0
            }
            let blob = [UInt8](UnsafeRawBufferPointer(start: key, count: len))
            do {
                try options.knownHosts.check(endpoint: "\(endpoint)", name: knownHostsName, keyBlob: blob)
            } catch let e as SSHError {
                failConnect(e)
                return 0
            } catch {
                failConnect(.handshake(endpoint: "\(endpoint)", reason: "\(error)"))
                return 0
            }
            auth = Authenticator(session: session!, endpoint: endpoint, credentials: options.credentials)
            phase = .authenticating
            return step(revents: 0)
        case .authList, .authenticating:
            switch auth!.step() {
            case .again:
                return directions
            case let .failed(err):
                failConnect(err)
                return 0
            case .done:
                auth = nil
                phase = .ready
                let cb = onConnected
                onConnected = nil
                cb?(.success(()))
                return stepOps()
            }
        case .ready:
            return stepOps()
        }
    }

    func expire() -> Int16 {
        let now = ContinuousClock.now
        switch phase {
        case .dead:
            return 0
        case .ready:
            for op in ops where (op.deadline.map { $0 <= now } ?? false) { op.expire() }
            return stepOps()
        case .resolving, .connecting:
            failConnect(.connectTimeout(endpoint: "\(endpoint)", seconds: seconds(options.connectTimeout)))
        case .handshake, .hostKey:
            failConnect(.handshake(endpoint: "\(endpoint)",
                                   reason: "no SSH answer within \(SSHError.seconds(seconds(options.connectTimeout))) (the port accepts TCP but does not speak SSH?)"))
        case .authList, .authenticating:
            failConnect(.handshake(endpoint: "\(endpoint)",
                                   reason: "authentication did not finish within \(SSHError.seconds(seconds(options.connectTimeout)))"))
        }
        return 0
    }

    // MARK: operations

    /// Loop thread: queue an operation on the ready session.
    func enqueue(_ op: ChannelOp) {
        if let fatal { op.fail(fatal); return }
        guard phase == .ready else { op.fail(.closed(endpoint: "\(endpoint)")); return }
        ops.append(op)
        poller.kick(self)
    }

    /// Steps every operation until none progresses: libssh2 may have buffered data for one
    /// channel while reading for another, and no poll event will announce it.
    private func stepOps() -> Int16 {
        guard let session else { return 0 }
        var rounds = 0
        var progressed = true
        while progressed && rounds < 64 && !ops.isEmpty {
            progressed = false
            rounds += 1
            var i = 0
            while i < ops.count {
                switch ops[i].step(session: session) {
                case .blocked:
                    i += 1
                case .progressed:
                    progressed = true
                    i += 1
                case .done:
                    ops.remove(at: i)
                    progressed = true
                case let .sessionFailed(err):
                    kill(err)
                    return 0
                }
            }
        }
        if ops.isEmpty { nudgeAt = nil; return 0 }
        nudgeAt = .now + Self.nudgeInterval
        if progressed { poller.kick(self) }  // round limit hit: continue next iteration, fairly
        return directions
    }

    /// Events libssh2 is waiting for; POLLIN when it says nothing (a read is always safe to wait on).
    private var directions: Int16 {
        guard let session else { return Int16(POLLIN) }
        let d = libssh2_session_block_directions(session)
        var ev: Int16 = 0
        if d & LIBSSH2_SESSION_BLOCK_INBOUND != 0 { ev |= Int16(POLLIN) }
        if d & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { ev |= Int16(POLLOUT) }
        return ev == 0 ? Int16(POLLIN) : ev
    }

    // MARK: endings

    var knownHostsName: String { endpoint.hostKeyAlias ?? KnownHosts.lookupName(host: endpoint.host, port: endpoint.port) }

    private func failConnect(_ err: SSHError) {
        let cb = onConnected
        onConnected = nil
        kill(err)
        cb?(.failure(err))
    }

    /// Fails every operation with `err` and releases the session and socket.
    func kill(_ err: SSHError) {
        fatal = fatal ?? err
        let pending = ops
        ops.removeAll()
        for op in pending { op.fail(err) }
        teardown(graceful: false)
    }

    /// Loop thread: close the session politely.
    func shutdown() {
        kill(.closed(endpoint: "\(endpoint)"))
    }

    private func teardown(graceful: Bool) {
        if let s = session {
            if phase == .ready {
                _ = libssh2_session_disconnect_ex(s, SSH_DISCONNECT_BY_APPLICATION, "postpatch done", "")
            }
            // With the socket shut down libssh2 cannot block or hit EAGAIN while freeing;
            // the fd stays open until after the free so its number cannot be reused meanwhile.
            if fd >= 0 { Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
            libssh2_session_set_blocking(s, 1)
            _ = libssh2_session_free(s)
            session = nil
        }
        closeSocket()
        phase = .dead
    }

    private func closeSocket() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }

    private func errnoText() -> String { String(cString: strerror(errno)) }
    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
