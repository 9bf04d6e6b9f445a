import Model

extension DatabaseProbe {
    /// `run` over a plain TCP connection from this machine to `check.address:check.port`:
    /// what the host `local` uses, with the connect bounded by the check's own timeout.
    public static func runLocal(_ check: DatabaseCheck, environment: [String: String]) async -> DatabaseResult {
        let address = check.address, port = check.port
        let seconds = check.timeout.isFinite ? min(max(check.timeout, 0.05), 3600) : 5
        let deadline = ContinuousClock.now + .milliseconds(Int64((seconds * 1000).rounded()))
        return await run(check, environment: environment) {
            try await SocketStream.connect(host: address, port: port, deadline: deadline)
        }
    }
}
