/// Redis serialization protocol (RESP2), the subset a probe needs: commands as arrays of bulk
/// strings, and replies that are simple strings, errors, integers, bulk strings or array headers.
enum RedisWire {
    enum Reply: Equatable {
        case simple(String)
        case error(String)
        case integer(Int)
        /// nil is the null bulk string ($-1).
        case bulk([UInt8]?)
        /// Only the element count: the probe never needs array contents.
        case arrayHeader(Int)
    }

    static let maxLine = 64 * 1024
    static let maxBulk = 1024 * 1024

    static func command(_ words: [String]) -> [UInt8] {
        var out = Array("*\(words.count)\r\n".utf8)
        for word in words {
            let bytes = Array(word.utf8)
            out += Array("$\(bytes.count)\r\n".utf8) + bytes + [0x0D, 0x0A]
        }
        return out
    }

    static func decode(_ bytes: [UInt8]) -> Decoded<Reply> {
        guard let kind = bytes.first else { return .needMore }
        guard "+-:$*".utf8.contains(kind) else { return .invalid("unexpected reply type \(kind)") }
        guard let lineEnd = crlf(in: bytes, from: 1) else {
            return bytes.count > maxLine ? .invalid("reply line longer than \(maxLine) bytes") : .needMore
        }
        let line = bytes[1..<lineEnd]
        let afterLine = lineEnd + 2
        switch kind {
        case UInt8(ascii: "+"):
            return .done(.simple(Sanitize.text(line)), consumed: afterLine)
        case UInt8(ascii: "-"):
            return .done(.error(Sanitize.text(line)), consumed: afterLine)
        case UInt8(ascii: ":"):
            guard let value = integer(line) else { return .invalid("malformed integer reply") }
            return .done(.integer(value), consumed: afterLine)
        case UInt8(ascii: "*"):
            guard let count = integer(line), count >= -1 else { return .invalid("malformed array header") }
            return .done(.arrayHeader(count), consumed: afterLine)
        default:
            guard let length = integer(line), length >= -1, length <= maxBulk else {
                return .invalid("malformed bulk string length")
            }
            if length == -1 { return .done(.bulk(nil), consumed: afterLine) }
            let end = afterLine + length
            guard bytes.count >= end + 2 else { return .needMore }
            guard bytes[end] == 0x0D, bytes[end + 1] == 0x0A else { return .invalid("bulk string not ended by CRLF") }
            return .done(.bulk(Array(bytes[afterLine..<end])), consumed: end + 2)
        }
    }

    /// `redis_version` from the text of INFO server ("redis_version:7.0.15\r\n...").
    static func version(fromInfo info: [UInt8]) -> String? {
        for line in String(decoding: info, as: UTF8.self).split(whereSeparator: \.isNewline) {
            if line.hasPrefix("redis_version:") {
                let value = Sanitize.text(String(line.dropFirst("redis_version:".count)), limit: 64)
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    /// A reply as it would look on the wire, for error messages.
    static func describe(_ reply: Reply) -> String {
        switch reply {
        case .simple(let text): return "+" + text
        case .error(let text): return "-" + text
        case .integer(let value): return ":\(value)"
        case .bulk(let bytes?): return "$" + Sanitize.text(bytes, limit: 40)
        case .bulk(nil): return "$-1"
        case .arrayHeader(let count): return "*\(count)"
        }
    }

    private static func crlf(in bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == 0x0D && bytes[index + 1] == 0x0A { return index }
            index += 1
        }
        return nil
    }

    private static func integer(_ digits: ArraySlice<UInt8>) -> Int? {
        guard digits.count <= 20 else { return nil }
        return Int(String(decoding: digits, as: UTF8.self))
    }
}
