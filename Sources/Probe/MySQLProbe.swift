/// Reads the server's greeting and hangs up: the version is in the very first packet, so no
/// credentials are ever needed. An ERR greeting still proves a MySQL/MariaDB server answered.
enum MySQLProbe {
    static func speak(_ wire: WireReader) async throws -> ProbeOutcome {
        switch try await wire.next(MySQLWire.decodeGreeting) {
        case .handshake(_, let version, let plugin):
            return ProbeOutcome(up: true, version: version, detail: plugin.map { "auth plugin \($0)" })
        case .error(let code, let message):
            return ProbeOutcome(up: true, version: nil, detail: "error \(code): \(message)")
        }
    }
}
