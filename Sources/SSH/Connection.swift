import CLibSSH2
import Model
import Net
#if canImport(Glibc)
import Glibc
#endif

/// One SSH connection, driven by its poller thread through the phases
/// resolve → TCP connect (``TCPDialer``) → SSH login (``SSHLogin``: handshake, host key check,
/// authentication) → ready, then stepping the channel operations queued on it
/// (``ChannelQueue``). All state is touched on that thread only; this type owns the socket and
/// the libssh2 session and is the one place that releases them (`teardown`).
final class Connection: PollDriver, @unchecked Sendable {
    enum Phase { case resolving, connecting, loggingIn, ready, dead }

    let poller: PollerThread
    let endpoint: Endpoint
    let options: ConnectOptions
    private(set) var fd: Int32 = -1
    private(set) var session: OpaquePointer?
    private(set) var phase = Phase.resolving
    private var dialer: TCPDialer?
    private var login: SSHLogin?
    private let connectDeadline: ContinuousClock.Instant
    private var onConnected: ((Result<Void, SSHError>) -> Void)?
    private let queue = ChannelQueue()
    /// Set once the session is unusable; later operations fail with it at once.
    private(set) var fatal: SSHError?

    init(poller: PollerThread, endpoint: Endpoint, options: ConnectOptions,
         onConnected: @escaping (Result<Void, SSHError>) -> Void) {
        self.poller = poller
        self.endpoint = endpoint
        self.options = options
        self.connectDeadline = .now + options.connectTimeout
        self.onConnected = onConnected
    }

    var knownHostsName: String { endpoint.hostKeyAlias ?? KnownHosts.lookupName(host: endpoint.host, port: endpoint.port) }

    // MARK: connecting

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

    private func beginConnect(_ addrs: [NetworkAddress]) {
        dialer = TCPDialer(endpoint: "\(endpoint)", addresses: addrs)
        phase = .connecting
        _ = dialNext()
    }

    /// Starts connecting to the next address; false (the connection failed) when none is left.
    private func dialNext() -> Bool {
        closeSocket()
        switch dialer?.connectNext() {
        case let .pending(s)?:
            fd = s
            return true
        case let .failed(err)?:
            failConnect(err)
        case nil:
            failConnect(.connectFailed(endpoint: "\(endpoint)", reason: "no address"))
        }
        return false
    }

    /// POLLOUT on the connecting socket: on to the SSH session, or to the next address.
    private func stepConnecting(revents: Int16) -> Int16 {
        if revents == 0 { return Int16(POLLOUT) }
        guard dialer?.connected(fd) ?? true else { return dialNext() ? Int16(POLLOUT) : 0 }
        return beginSession()
    }

    /// The socket is connected: start libssh2's session and log in.
    private func beginSession() -> Int16 {
        guard LibSSH2.initialized, let s = libssh2_session_init_ex(nil, nil, nil, nil) else {
            failConnect(.handshake(endpoint: "\(endpoint)", reason: "libssh2 could not start a session"))
            return 0
        }
        session = s
        libssh2_session_set_blocking(s, 0)
        Algorithms.prefer(session: s, knownTypes: options.knownHosts.keyTypes(for: knownHostsName))
        dialer = nil
        login = SSHLogin(session: s, fd: fd, endpoint: endpoint, options: options, knownHostsName: knownHostsName)
        phase = .loggingIn
        return stepLogin()
    }

    private func stepLogin() -> Int16 {
        switch login?.step() {
        case .again?:
            return LibSSH2.directions(session)
        case let .failed(err)?:
            failConnect(err)
            return 0
        case .done?, nil:
            login = nil
            phase = .ready
            let cb = onConnected
            onConnected = nil
            cb?(.success(()))
            return stepOps()
        }
    }

    // MARK: PollDriver

    var deadline: ContinuousClock.Instant? {
        switch phase {
        case .dead: return nil
        case .ready: return queue.deadline
        default: return connectDeadline
        }
    }

    var finished: Bool { phase == .dead }

    func step(revents: Int16) -> Int16 {
        switch phase {
        case .resolving, .dead: return 0
        case .connecting: return stepConnecting(revents: revents)
        case .loggingIn: return stepLogin()
        case .ready: return stepOps()
        }
    }

    func expire() -> Int16 {
        switch phase {
        case .dead:
            return 0
        case .ready:
            queue.expire(now: .now)
            return stepOps()
        case .resolving, .connecting:
            failConnect(.connectTimeout(endpoint: "\(endpoint)", seconds: options.connectTimeout.inSeconds))
        case .loggingIn:
            failConnect(login?.timedOut() ?? .closed(endpoint: "\(endpoint)"))
        }
        return 0
    }

    // MARK: operations

    /// Loop thread: queue an operation on the ready session.
    func enqueue(_ op: ChannelOp) {
        if let fatal { op.fail(fatal); return }
        guard phase == .ready else { op.fail(.closed(endpoint: "\(endpoint)")); return }
        queue.append(op)
        poller.kick(self)
    }

    private func stepOps() -> Int16 {
        guard let session else { return 0 }
        switch queue.step(session: session) {
        case .idle:
            return 0
        case let .waiting(more):
            if more { poller.kick(self) }  // round limit hit: continue next iteration, fairly
            return LibSSH2.directions(session)
        case let .sessionFailed(err):
            kill(err)
            return 0
        }
    }

    // MARK: endings

    private func failConnect(_ err: SSHError) {
        let cb = onConnected
        onConnected = nil
        kill(err)
        cb?(.failure(err))
    }

    /// Fails every operation with `err` and releases the session and socket. `graceful` only
    /// when we end a healthy session ourselves: then the server is told goodbye first.
    func kill(_ err: SSHError, graceful: Bool = false) {
        fatal = fatal ?? err
        queue.failAll(err)
        teardown(graceful: graceful)
    }

    /// Loop thread: close the session politely.
    func shutdown() {
        kill(.closed(endpoint: "\(endpoint)"), graceful: true)
    }

    /// Releases the session and the socket. `graceful` sends SSH_DISCONNECT first, on a ready
    /// session only; after a session-fatal error the stream's state is unknown (libssh2 may be
    /// mid-packet, the peer gone), so the socket is just dropped.
    private func teardown(graceful: Bool) {
        if let s = session {
            if graceful && phase == .ready {
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
}
