/// PostgreSQL frontend/backend protocol 3.0, just enough to see a server answer a connection:
/// the StartupMessage we send and the backend messages that can follow it.
enum PostgresWire {
    /// A backend message, decoded as far as a probe cares.
    enum Message: Equatable {
        /// 'R': 0 = accepted, otherwise the method the server demands (SASL lists its mechanisms).
        case authentication(code: UInt32, mechanisms: [String])
        /// 'S': a run-time parameter such as server_version.
        case parameterStatus(name: String, value: String)
        /// 'E' (error) or 'N' (notice): fields by their one-letter code (S severity, C SQLSTATE, M message).
        case error([Character: String])
        case notice([Character: String])
        /// 'Z': the server waits for a query; the handshake is complete.
        case readyForQuery
        /// 'K', 'v' and the like: valid but uninteresting here.
        case other(UInt8)
    }

    /// Message types a server may send during startup; anything else means "not PostgreSQL".
    static let startupTypes: Set<UInt8> = Set("REKSNZv".utf8)
    static let maxMessage = 64 * 1024

    /// StartupMessage for protocol 3.0 (196608 = 3 << 16).
    static func startupMessage(user: String, database: String, application: String = "postpatch") -> [UInt8] {
        var body: [UInt8] = []
        body.appendBE(UInt32(196_608))
        for (key, value) in [("user", user), ("database", database), ("application_name", application)] {
            body.appendCString(key)
            body.appendCString(value)
        }
        body.append(0)
        var message: [UInt8] = []
        message.appendBE(UInt32(body.count + 4))
        return message + body
    }

    /// Terminate ('X'): a polite goodbye after ReadyForQuery, so the server logs no EOF complaint.
    static let terminate: [UInt8] = [0x58, 0, 0, 0, 4]

    /// Frames and decodes one backend message from the start of `bytes`.
    static func decode(_ bytes: [UInt8]) -> Decoded<Message> {
        var cursor = ByteCursor(bytes)
        guard let type = cursor.u8() else { return .needMore }
        guard startupTypes.contains(type) else {
            return .invalid("unexpected message type \(type)")
        }
        guard let length = cursor.u32be() else { return .needMore }
        guard length >= 4, length <= maxMessage else { return .invalid("implausible message length \(length)") }
        guard let body = cursor.take(Int(length) - 4) else { return .needMore }
        guard let message = parse(type: type, body: body) else {
            return .invalid("malformed '\(Character(Unicode.Scalar(type)))' message")
        }
        return .done(message, consumed: Int(length) + 1)
    }

    /// Decodes the body of a framed message; nil when it does not hold together.
    static func parse(type: UInt8, body: ArraySlice<UInt8>) -> Message? {
        var cursor = ByteCursor(body)
        switch type {
        case UInt8(ascii: "R"):
            guard let code = cursor.u32be() else { return nil }
            var mechanisms: [String] = []
            if code == 10 {
                while let name = cursor.cString(), !name.isEmpty { mechanisms.append(Sanitize.text(name, limit: 40)) }
            }
            return .authentication(code: code, mechanisms: mechanisms)
        case UInt8(ascii: "S"):
            guard let name = cursor.cString(), let value = cursor.cString() else { return nil }
            return .parameterStatus(name: Sanitize.text(name, limit: 64), value: Sanitize.text(value))
        case UInt8(ascii: "E"), UInt8(ascii: "N"):
            var fields: [Character: String] = [:]
            while let code = cursor.u8(), code != 0 {
                guard let value = cursor.cString() else { return nil }
                fields[Character(Unicode.Scalar(code))] = Sanitize.text(value)
            }
            return type == UInt8(ascii: "E") ? .error(fields) : .notice(fields)
        case UInt8(ascii: "Z"):
            return .readyForQuery
        default:
            return .other(type)
        }
    }

    /// "authentication required (scram-sha-256)" and friends, from an 'R' code.
    static func authenticationName(code: UInt32, mechanisms: [String]) -> String {
        switch code {
        case 2: return "kerberos"
        case 3: return "password"
        case 5: return "md5"
        case 6: return "scm-credential"
        case 7: return "gss"
        case 9: return "sspi"
        case 10: return mechanisms.isEmpty ? "sasl" : mechanisms.map { $0.lowercased() }.joined(separator: ", ")
        default: return "method \(code)"
        }
    }
}
