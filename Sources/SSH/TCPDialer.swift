import Net
#if canImport(Glibc)
import Glibc
#endif

/// The TCP half of connecting: one non-blocking connect after another over the addresses a
/// name resolved to, until one is accepted. Its caller polls the socket for POLLOUT.
struct TCPDialer {
    let endpoint: String
    private var addresses: [NetworkAddress]
    private var next = 0
    private var lastError: SSHError?

    init(endpoint: String, addresses: [NetworkAddress]) {
        self.endpoint = endpoint
        self.addresses = addresses
    }

    enum Attempt { case pending(Int32), failed(SSHError) }

    /// Starts a non-blocking connect to the next address: its socket, or the last error once
    /// no address is left.
    mutating func connectNext() -> Attempt {
        while next < addresses.count {
            let addr = addresses[next]
            next += 1
            let s = socket(addr.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if s < 0 { lastError = .connectFailed(endpoint: endpoint, reason: String(cString: strerror(errno))); continue }
            var one: Int32 = 1
            setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let rc = addr.withSockaddr { Glibc.connect(s, $0, $1) }
            if rc == 0 || errno == EINPROGRESS { return .pending(s) }
            lastError = error(errno)
            Glibc.close(s)
        }
        return .failed(lastError ?? .connectFailed(endpoint: endpoint, reason: "no address"))
    }

    /// POLLOUT came on `fd`: true when the connect succeeded; otherwise the error is kept for
    /// the message should no other address answer.
    mutating func connected(_ fd: Int32) -> Bool {
        var err: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
        if err == 0 { return true }
        lastError = error(err)
        return false
    }

    private func error(_ code: Int32) -> SSHError {
        code == ECONNREFUSED ? .connectRefused(endpoint: endpoint)
            : .connectFailed(endpoint: endpoint, reason: String(cString: strerror(code)))
    }
}
