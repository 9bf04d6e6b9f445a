/// Microsoft SQL Server's TDS, only the PRELOGIN exchange ([MS-TDS] 2.2.6.5): the client sends
/// packet type 0x12, the server answers with type 0x04 whose data is a PRELOGIN structure.
/// That structure is a list of option tokens (token byte, big-endian offset and length, offsets
/// counted from the start of the packet data) closed by 0xFF, followed by the option data.
/// The VERSION option of a server's answer holds its product version.
enum TDSWire {
    struct Prelogin: Equatable {
        /// Raw option data by token (0 VERSION, 1 ENCRYPTION, 2 INSTOPT, 3 THREADID, 4 MARS, ...).
        var options: [UInt8: [UInt8]]

        /// "15.0.2000": major and minor bytes, then the big-endian build number.
        var version: String? {
            guard let data = options[0], data.count >= 4 else { return nil }
            return "\(data[0]).\(data[1]).\(UInt16(data[2]) << 8 | UInt16(data[3]))"
        }

        /// What the ENCRYPTION option says, in words.
        var encryption: String? {
            guard let value = options[1]?.first else { return nil }
            switch value {
            case 0: return "encryption off"
            case 1: return "encryption on"
            case 2: return "encryption not supported"
            case 3: return "encryption required"
            default: return "encryption mode \(value)"
            }
        }
    }

    static let preloginType: UInt8 = 0x12
    static let responseType: UInt8 = 0x04
    static let maxPacket = 32_768
    static let maxPackets = 8

    /// A PRELOGIN request with VERSION, ENCRYPTION, INSTOPT, THREADID and MARS, in that order.
    /// Defaults describe an anonymous client that cannot encrypt (ENCRYPT_NOT_SUP = 2).
    static func prelogin(version: [UInt8] = [0, 0, 0, 0, 0, 0], encryption: UInt8 = 2,
                         instance: [UInt8] = [0], threadID: [UInt8] = [0, 0, 0, 0], mars: UInt8 = 0) -> [UInt8] {
        let options: [(UInt8, [UInt8])] = [(0, version), (1, [encryption]), (2, instance), (3, threadID), (4, [mars])]
        var offset = options.count * 5 + 1
        var tokens: [UInt8] = []
        var data: [UInt8] = []
        for (token, value) in options {
            tokens.append(token)
            tokens.appendBE(UInt16(offset))
            tokens.appendBE(UInt16(value.count))
            data += value
            offset += value.count
        }
        let payload = tokens + [0xFF] + data
        // Header: type, status 0x01 (end of message), length, SPID 0, packet id 1, window 0.
        var packet: [UInt8] = [preloginType, 0x01]
        packet.appendBE(UInt16(8 + payload.count))
        packet += [0, 0, 1, 0]
        return packet + payload
    }

    /// Reassembles the server's answer (one or more 0x04 packets up to end-of-message) and
    /// decodes the PRELOGIN structure it carries.
    static func decodeResponse(_ bytes: [UInt8]) -> Decoded<Prelogin> {
        var payload: [UInt8] = []
        var start = 0
        for _ in 0..<maxPackets {
            var cursor = ByteCursor(bytes[start...])
            guard let type = cursor.u8() else { return .needMore }
            guard type == responseType else { return .invalid("packet type \(type), expected 4") }
            guard let status = cursor.u8(), let length = cursor.u16be(), cursor.skip(4) else { return .needMore }
            guard length >= 8, Int(length) <= maxPacket else { return .invalid("implausible packet length \(length)") }
            guard let body = cursor.take(Int(length) - 8) else { return .needMore }
            payload += body
            start += Int(length)
            if status & 0x01 != 0 {
                guard let prelogin = parsePrelogin(payload) else { return .invalid("malformed PRELOGIN data") }
                return .done(prelogin, consumed: start)
            }
        }
        return .invalid("no end of message after \(maxPackets) packets")
    }

    /// Decodes a PRELOGIN structure; nil when tokens are unterminated or point outside the data.
    static func parsePrelogin(_ payload: [UInt8]) -> Prelogin? {
        var cursor = ByteCursor(payload)
        var options: [UInt8: [UInt8]] = [:]
        for _ in 0..<64 {
            guard let token = cursor.u8() else { return nil }
            if token == 0xFF { return Prelogin(options: options) }
            guard let offset = cursor.u16be(), let length = cursor.u16be() else { return nil }
            let end = Int(offset) + Int(length)
            guard end <= payload.count else { return nil }
            options[token] = Array(payload[Int(offset)..<end])
        }
        return nil
    }
}
