/// An operation on a ready session (an exec, a tunnel read or write), stepped by the poller.
enum ChannelStep { case blocked, progressed, done, sessionFailed(SSHError) }

protocol ChannelOp: AnyObject {
    /// Advance without blocking. `.done` means the op has delivered its result.
    func step(session: OpaquePointer) -> ChannelStep
    var deadline: ContinuousClock.Instant? { get }
    /// The deadline passed: deliver a timeout (the op stays queued until `step` says `.done`).
    func expire()
    /// The session died or closed: deliver `error` and release nothing libssh2 still owns.
    func fail(_ error: SSHError)
}

/// Errors that mean the connection itself is gone, not just this channel.
func isSessionFatal(_ code: Int32) -> Bool {
    switch code {
    case -43 /* SOCKET_RECV */, -13 /* SOCKET_DISCONNECT */, -7 /* SOCKET_SEND */, -9 /* TIMEOUT */,
         -14 /* PROTO */, -12 /* DECRYPT */, -10 /* HOSTKEY_INIT */:
        return true
    default:
        return false
    }
}
