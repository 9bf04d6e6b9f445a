/// MySQL/MariaDB client/server protocol: the server speaks first, with an initial handshake
/// packet (protocol 10, or 9 on antique servers) or an ERR packet when it refuses the client
/// outright ("Host '10.0.0.5' is not allowed to connect", "Too many connections").
enum MySQLWire {
    enum Greeting: Equatable {
        case handshake(protocolVersion: UInt8, serverVersion: String, authPlugin: String?)
        case error(code: UInt16, message: String)
    }

    static let maxPacket = 64 * 1024

    /// Decodes the first packet: 3-byte little-endian length, sequence id, payload.
    static func decodeGreeting(_ bytes: [UInt8]) -> Decoded<Greeting> {
        var cursor = ByteCursor(bytes)
        guard let length = cursor.u24le(), let sequence = cursor.u8() else { return .needMore }
        guard length > 0, length <= maxPacket else { return .invalid("implausible packet length \(length)") }
        guard sequence == 0 else { return .invalid("first packet has sequence id \(sequence), not 0") }
        guard let payload = cursor.take(Int(length)) else {
            // Reject early when the first bytes already rule MySQL out (a text protocol's reply).
            if let kind = bytes.dropFirst(4).first, ![0x0A, 0x09, 0xFF].contains(kind) {
                return .invalid("unexpected greeting type \(kind)")
            }
            return .needMore
        }
        guard let greeting = parseGreeting(payload) else { return .invalid("malformed greeting packet") }
        return .done(greeting, consumed: 4 + Int(length))
    }

    static func parseGreeting(_ payload: ArraySlice<UInt8>) -> Greeting? {
        var cursor = ByteCursor(payload)
        guard let kind = cursor.u8() else { return nil }
        switch kind {
        case 0xFF:
            guard let code = cursor.u16le() else { return nil }
            var text = cursor.rest
            // Protocol 4.1 ERR packets carry '#' and a 5-character SQLSTATE before the message.
            if text.first == UInt8(ascii: "#"), text.count >= 6 { text = text.dropFirst(6) }
            return .error(code: code, message: Sanitize.text(text))
        case 0x0A, 0x09:
            guard let raw = cursor.cString(), !raw.isEmpty, raw.count <= 100,
                  raw.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
            return .handshake(protocolVersion: kind, serverVersion: displayVersion(Sanitize.text(raw)),
                              authPlugin: kind == 0x0A ? authPlugin(after: cursor) : nil)
        default:
            return nil
        }
    }

    /// MariaDB prefixes "5.5.5-" so old replication clients accept it; the real version follows.
    static func displayVersion(_ raw: String) -> String {
        raw.hasPrefix("5.5.5-") && raw.contains("MariaDB") ? String(raw.dropFirst(6)) : raw
    }

    /// The default authentication plugin named at the end of a v10 handshake, if present.
    /// Layout after the version: thread id (4), scramble part 1 (8), filler (1), capabilities low (2),
    /// charset (1), status (2), capabilities high (2), scramble length (1), reserved (10),
    /// scramble part 2 (max(13, length - 8)), plugin name (NUL-terminated).
    static func authPlugin(after start: ByteCursor) -> String? {
        var cursor = start
        guard cursor.skip(4 + 8 + 1), let low = cursor.u16le(),
              cursor.skip(1 + 2), let high = cursor.u16le(), let scrambleLength = cursor.u8(),
              cursor.skip(10) else { return nil }
        let capabilities = UInt32(high) << 16 | UInt32(low)
        let pluginAuth: UInt32 = 0x0008_0000
        guard capabilities & pluginAuth != 0, cursor.skip(max(13, Int(scrambleLength) - 8)) else { return nil }
        guard let name = cursor.cString() ?? (cursor.isAtEnd ? nil : cursor.rest), !name.isEmpty else { return nil }
        return Sanitize.text(name, limit: 64)
    }
}
