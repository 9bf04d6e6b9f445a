import CLibSSH2
import Model

/// The SSH half of connecting, over a connected socket: handshake, host key check against
/// known_hosts, then authentication, one non-blocking step at a time on the poller thread.
final class SSHLogin {
    enum Stage { case handshake, hostKey, authenticating }
    enum Outcome { case again, failed(SSHError), done }

    private let session: OpaquePointer
    private let fd: Int32
    private let endpoint: Endpoint
    private let options: ConnectOptions
    private let knownHostsName: String
    private(set) var stage = Stage.handshake
    private var auth: Authenticator?

    init(session: OpaquePointer, fd: Int32, endpoint: Endpoint, options: ConnectOptions, knownHostsName: String) {
        self.session = session
        self.fd = fd
        self.endpoint = endpoint
        self.options = options
        self.knownHostsName = knownHostsName
    }

    /// As far as the server lets us without blocking; `.again`: wait for the session's directions.
    func step() -> Outcome {
        while true {
            let outcome: Outcome?
            switch stage {
            case .handshake: outcome = handshake()
            case .hostKey: outcome = checkHostKey()
            case .authenticating: outcome = authenticate()
            }
            if let outcome { return outcome }
        }
    }

    /// The connect timeout passed in this stage: the message says what the server did not do.
    func timedOut() -> SSHError {
        let limit = SSHError.seconds(options.connectTimeout.inSeconds)
        switch stage {
        case .handshake, .hostKey:
            return .handshake(endpoint: "\(endpoint)",
                              reason: "no SSH answer within \(limit) (the port accepts TCP but does not speak SSH?)")
        case .authenticating:
            return .handshake(endpoint: "\(endpoint)", reason: "authentication did not finish within \(limit)")
        }
    }

    /// Each stage returns nil when it moved on to the next.
    private func handshake() -> Outcome? {
        let rc = libssh2_session_handshake(session, libssh2_socket_t(fd))
        if rc == LibSSH2.eagain { return .again }
        if rc != 0 { return .failed(.handshake(endpoint: "\(endpoint)", reason: LibSSH2.lastError(session).message)) }
        stage = .hostKey
        return nil
    }

    private func checkHostKey() -> Outcome? {
        var len = 0
        var type: Int32 = 0
        guard let key = libssh2_session_hostkey(session, &len, &type), len > 0 else {
            return .failed(.handshake(endpoint: "\(endpoint)", reason: "server sent no host key"))
        }
        let blob = [UInt8](UnsafeRawBufferPointer(start: key, count: len))
        do {
            try options.knownHosts.check(endpoint: "\(endpoint)", name: knownHostsName, keyBlob: blob)
        } catch let e as SSHError {
            return .failed(e)
        } catch {
            return .failed(.handshake(endpoint: "\(endpoint)", reason: "\(error)"))
        }
        auth = Authenticator(session: session, endpoint: endpoint, credentials: options.credentials)
        stage = .authenticating
        return nil
    }

    private func authenticate() -> Outcome? {
        guard let auth else { return .failed(.handshake(endpoint: "\(endpoint)", reason: "no authenticator")) }
        switch auth.step() {
        case .again: return .again
        case let .failed(err): return .failed(err)
        case .done:
            self.auth = nil
            return .done
        }
    }
}
