import CLibSSH2
#if canImport(Glibc)
import Glibc
#endif

/// Process-wide libssh2 state and small wrappers over its C conventions.
enum LibSSH2 {
    /// libssh2_init is not thread-safe: run it once, before any session exists.
    static let initialized: Bool = libssh2_init(0) == 0

    /// libssh2's last error message for a session, e.g. "Unable to exchange encryption keys".
    static func lastError(_ session: OpaquePointer) -> (code: Int32, message: String) {
        var msg: UnsafeMutablePointer<CChar>?
        var len: Int32 = 0
        let code = libssh2_session_last_error(session, &msg, &len, 0)
        let text = msg.map { String(cString: $0) } ?? "error \(code)"
        return (code, text)
    }

    static let eagain = Int32(LIBSSH2_ERROR_EAGAIN)

    /// The poll events a non-blocking session waits for after EAGAIN; POLLIN when libssh2 says
    /// nothing (a read is always safe to wait on).
    static func directions(_ session: OpaquePointer?) -> Int16 {
        guard let session else { return Int16(POLLIN) }
        let d = libssh2_session_block_directions(session)
        var ev: Int16 = 0
        if d & LIBSSH2_SESSION_BLOCK_INBOUND != 0 { ev |= Int16(POLLIN) }
        if d & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { ev |= Int16(POLLOUT) }
        return ev == 0 ? Int16(POLLIN) : ev
    }

    /// Key type names as they appear in known_hosts, from libssh2's host key type codes.
    static func hostKeyTypeName(_ type: Int32) -> String {
        switch type {
        case LIBSSH2_HOSTKEY_TYPE_RSA: return "ssh-rsa"
        case LIBSSH2_HOSTKEY_TYPE_DSS: return "ssh-dss"
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: return "ecdsa-sha2-nistp256"
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: return "ecdsa-sha2-nistp384"
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: return "ecdsa-sha2-nistp521"
        case LIBSSH2_HOSTKEY_TYPE_ED25519: return "ssh-ed25519"
        default: return "unknown"
        }
    }
}
