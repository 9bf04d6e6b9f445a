import CLibSSH2

/// Method preferences set on each session before the handshake.
enum Algorithms {
    /// Host key types libssh2 1.10 can verify, best first. (No rsa-sha2-*: 1.10 predates them.)
    static let hostKeyDefault = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
                                 "ecdsa-sha2-nistp521", "ssh-rsa"]
    /// curve25519 first: the cheapest key exchange for both ends.
    static let kex = "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256"

    /// Like OpenSSH, ask first for the key types known_hosts already holds for this host,
    /// so a host with several keys is not reported "unknown" for the type we did not record.
    static func prefer(session: OpaquePointer, knownTypes: [String]) {
        let supported = hostKeyDefault
        let order = knownTypes.filter(supported.contains) + supported.filter { !knownTypes.contains($0) }
        _ = libssh2_session_method_pref(session, LIBSSH2_METHOD_HOSTKEY, order.joined(separator: ","))
        _ = libssh2_session_method_pref(session, LIBSSH2_METHOD_KEX, kex)
    }
}
