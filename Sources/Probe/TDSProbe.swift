/// Sends PRELOGIN and reads the server's PRELOGIN answer: its version, and whether it insists on
/// encryption. No login is attempted, so no credentials are involved and nothing is logged as a
/// failed login on the server.
enum TDSProbe {
    static func speak(_ wire: WireReader) async throws -> ProbeOutcome {
        try await wire.send(TDSWire.prelogin())
        let answer = try await wire.next(TDSWire.decodeResponse)
        return ProbeOutcome(up: true, version: answer.version, detail: answer.encryption)
    }
}
