/// PING, and INFO server when allowed. A Redis that demands a password answers PING with
/// "-NOAUTH ...": that is up. With `passwordEnv`, AUTH is sent first; the password is never
/// quoted in what the probe reports (the caller also redacts it from every field).
enum RedisProbe {
    static func speak(_ wire: WireReader, password: String?, passwordNote: String?) async throws -> ProbeOutcome {
        var notes: [String] = passwordNote.map { [$0] } ?? []
        if let password {
            try await wire.send(RedisWire.command(["AUTH", password]))
            if case .error(let message) = try await wire.next(RedisWire.decode) {
                notes.append("AUTH rejected: \(message)")
            }
        }
        try await wire.send(RedisWire.command(["PING"]))
        switch try await wire.next(RedisWire.decode) {
        case .simple(let text) where text.uppercased() == "PONG":
            break
        case .error(let message) where message.hasPrefix("LOADING"):
            return ProbeOutcome(up: false, detail: joined(notes),
                                error: "server is loading its dataset and refuses commands: \(message)")
        case .error(let message):
            // NOAUTH, DENIED (protected mode), WRONGPASS...: a Redis answered.
            return ProbeOutcome(up: true, detail: joined(notes + [message]))
        case let other:
            throw WireError.invalid("unexpected PING reply", sample: Array(RedisWire.describe(other).utf8))
        }
        try await wire.send(RedisWire.command(["INFO", "server"]))
        var version: String?
        switch try await wire.next(RedisWire.decode) {
        case .bulk(let text?):
            version = RedisWire.version(fromInfo: text)
        case .error(let message):
            notes.append("INFO refused: \(message)")
        default:
            break
        }
        if password != nil && notes.isEmpty { notes.append("authenticated") }
        return ProbeOutcome(up: true, version: version, detail: joined(notes))
    }

    private static func joined(_ notes: [String]) -> String? {
        notes.isEmpty ? nil : Sanitize.text(notes.joined(separator: "; "))
    }
}
