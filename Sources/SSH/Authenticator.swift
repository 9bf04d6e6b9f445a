import CLibSSH2
import Foundation

/// Tries the credentials in order (agent keys, identity files, password, keyboard-interactive)
/// against the methods the server accepts, one non-blocking step at a time.
final class Authenticator {
    enum Outcome { case again, done, failed(SSHError) }

    private enum Attempt {
        case agent(UnsafeMutablePointer<libssh2_agent_publickey>, name: String, rsa: Bool)
        case file(Identity)
        case password(Secret)
        case keyboard(Secret)
    }

    private let session: OpaquePointer
    private let endpoint: Endpoint
    private let credentials: Credentials
    private var methods: String?
    private var attempts: [Attempt] = []
    private var tried: [String] = []
    private var rsaRefused = false
    private var agent: OpaquePointer?
    private var passwordBox: PasswordBox?
    /// Where libssh2 finds the signer for ``KeySigner/callback`` (the same place on every
    /// call of one attempt, which may return EAGAIN and be called again).
    private let signerSlot = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: 1)

    init(session: OpaquePointer, endpoint: Endpoint, credentials: Credentials) {
        self.session = session
        self.endpoint = endpoint
        self.credentials = credentials
    }

    deinit {
        signerSlot.deallocate()
        if let agent {
            libssh2_agent_disconnect(agent)
            libssh2_agent_free(agent)
        }
    }

    func step() -> Outcome {
        if methods == nil {
            let user = credentials.user
            guard let list = libssh2_userauth_list(session, user, UInt32(user.utf8.count)) else {
                if libssh2_userauth_authenticated(session) == 1 { return .done }  // "none" was enough
                let (code, msg) = LibSSH2.lastError(session)
                if code == LibSSH2.eagain { return .again }
                return .failed(.handshake(endpoint: "\(endpoint)", reason: msg))
            }
            methods = String(cString: list)
            planAttempts()
        }
        while let attempt = attempts.first {
            let rc = run(attempt)
            if rc == LibSSH2.eagain { return .again }
            if rc == 0 { return .done }
            attempts.removeFirst()
            noteFailure(attempt, rc: rc)
            if libssh2_session_last_errno(session) == LIBSSH2_ERROR_SOCKET_DISCONNECT
                || libssh2_session_last_errno(session) == LIBSSH2_ERROR_SOCKET_RECV {
                return .failed(.sessionLost(endpoint: "\(endpoint)", reason: "server closed the connection during authentication"))
            }
        }
        return .failed(.authFailed(endpoint: "\(endpoint)", user: credentials.user, tried: tried,
                                   serverAccepts: methods ?? "?", rsaRefused: rsaRefused))
    }

    private func planAttempts() {
        let accepts = Set((methods ?? "").split(separator: ",").map(String.init))
        if accepts.contains("publickey") {
            if let socket = credentials.agentSocket { attempts += agentIdentities(socket) }
            attempts += credentials.identities.map { .file($0) }
        }
        if let pw = credentials.password {
            if accepts.contains("password") { attempts.append(.password(pw)) }
            if accepts.contains("keyboard-interactive") { attempts.append(.keyboard(pw)) }
        }
    }

    /// The agent is a local Unix socket: listing its keys blocks only briefly.
    private func agentIdentities(_ socket: String) -> [Attempt] {
        guard let a = libssh2_agent_init(session) else { return [] }
        agent = a
        libssh2_agent_set_identity_path(a, socket)
        guard libssh2_agent_connect(a) == 0, libssh2_agent_list_identities(a) == 0 else {
            tried.append("agent (cannot reach \(socket))")
            return []
        }
        var out: [Attempt] = []
        var prev: UnsafeMutablePointer<libssh2_agent_publickey>?
        var store: UnsafeMutablePointer<libssh2_agent_publickey>?
        while libssh2_agent_get_identity(a, &store, prev) == 0, let id = store {
            let blob = [UInt8](UnsafeBufferPointer(start: id.pointee.blob, count: Int(id.pointee.blob_len)))
            let type = KnownHosts.keyType(ofBlob: blob) ?? "key"
            let comment = id.pointee.comment.map { String(cString: $0) } ?? ""
            out.append(.agent(id, name: "agent \(type) \(comment)".trimmingCharacters(in: .whitespaces), rsa: type == "ssh-rsa"))
            prev = id
        }
        if out.isEmpty { tried.append("agent (no keys)") }
        return out
    }

    private func run(_ attempt: Attempt) -> Int32 {
        let user = credentials.user
        switch attempt {
        case let .agent(identity, _, _):
            return libssh2_agent_userauth(agent, user, identity)
        case let .file(id):
            if let signer = id.signer {
                signerSlot.pointee = Unmanaged.passUnretained(signer).toOpaque()
                return signer.publicBlob.withUnsafeBufferPointer { blob in
                    libssh2_userauth_publickey(session, user, blob.baseAddress, blob.count, KeySigner.callback, signerSlot)
                }
            }
            // Read once at start-up (Identity.load), so a thousand hosts do not re-read the file.
            return id.privateKey.withUnsafeBufferPointer { key in
                key.withMemoryRebound(to: CChar.self) { k in
                    libssh2_userauth_publickey_frommemory(session, user, user.utf8.count, nil, 0,
                                                          k.baseAddress, k.count, id.passphrase?.reveal)
                }
            }
        case let .password(pw):
            let p = pw.reveal
            return libssh2_userauth_password_ex(session, user, UInt32(user.utf8.count), p, UInt32(p.utf8.count), nil)
        case let .keyboard(pw):
            if passwordBox == nil {
                passwordBox = PasswordBox(pw)
                libssh2_session_abstract(session).pointee = Unmanaged.passUnretained(passwordBox!).toOpaque()
            }
            return libssh2_userauth_keyboard_interactive_ex(session, user, UInt32(user.utf8.count), keyboardResponder)
        }
    }

    private func noteFailure(_ attempt: Attempt, rc: Int32) {
        switch attempt {
        case let .agent(_, name, rsa):
            tried.append(name)
            if rsa { rsaRefused = true }
        case let .file(id):
            // libssh2 reports a key it could not decode (wrong passphrase, unknown format)
            // as "Unable to extract public key ..." or "Private key unpack failed (correct password?)".
            let msg = LibSSH2.lastError(session).message
            if rc == LIBSSH2_ERROR_FILE || msg.contains("Unable to extract") || msg.contains("unpack failed") || msg.contains("passphrase") {
                tried.append("\(id.path) (cannot load: \(id.encrypted ? "wrong passphrase?" : "unsupported key format"))")
            } else {
                tried.append(id.path)
                if id.kind == .rsa { rsaRefused = true }
            }
        case .password:
            tried.append("password")
        case .keyboard:
            tried.append("keyboard-interactive")
        }
    }
}

/// Holds the password for the keyboard-interactive callback, reached through the
/// session's abstract pointer (C callbacks cannot capture).
final class PasswordBox {
    let secret: Secret
    init(_ secret: Secret) { self.secret = secret }
}

/// Answers every keyboard-interactive prompt with the password. libssh2 frees the
/// responses with free(3), so they are allocated with strdup.
private let keyboardResponder: @convention(c) (
    UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, Int32, Int32,
    UnsafePointer<LIBSSH2_USERAUTH_KBDINT_PROMPT>?, UnsafeMutablePointer<LIBSSH2_USERAUTH_KBDINT_RESPONSE>?,
    UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> Void = { _, _, _, _, count, _, responses, abstract in
    guard let responses, let raw = abstract?.pointee else { return }
    let box = Unmanaged<PasswordBox>.fromOpaque(raw).takeUnretainedValue()
    let pw = box.secret.reveal
    for i in 0..<Int(count) {
        responses[i].text = strdup(pw)
        responses[i].length = UInt32(pw.utf8.count)
    }
}
