/// Reads integers and strings off a byte buffer for the protocol decoders. Every accessor returns
/// nil instead of trapping when the buffer is too short, so decoders stay crash-free on garbage.
struct ByteCursor {
    private(set) var rest: ArraySlice<UInt8>

    init(_ bytes: some Collection<UInt8>) { rest = ArraySlice(bytes) }

    var isAtEnd: Bool { rest.isEmpty }
    var remaining: Int { rest.count }

    mutating func u8() -> UInt8? {
        guard let byte = rest.first else { return nil }
        rest = rest.dropFirst()
        return byte
    }

    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, rest.count >= count else { return nil }
        let taken = rest.prefix(count)
        rest = rest.dropFirst(count)
        return taken
    }

    mutating func skip(_ count: Int) -> Bool { take(count) != nil }

    mutating func u16be() -> UInt16? { take(2).map { $0.reduce(0) { $0 << 8 | UInt16($1) } } }
    mutating func u32be() -> UInt32? { take(4).map { $0.reduce(0) { $0 << 8 | UInt32($1) } } }
    mutating func u16le() -> UInt16? { take(2).map { $0.reversed().reduce(0) { $0 << 8 | UInt16($1) } } }
    mutating func u24le() -> UInt32? { take(3).map { $0.reversed().reduce(0) { $0 << 8 | UInt32($1) } } }

    /// Bytes up to (not including) the next NUL, which is consumed; nil when there is no NUL.
    mutating func cString() -> ArraySlice<UInt8>? {
        guard let end = rest.firstIndex(of: 0) else { return nil }
        let value = rest[rest.startIndex..<end]
        rest = rest[(end + 1)...]
        return value
    }
}

extension Array where Element == UInt8 {
    mutating func appendBE(_ value: UInt16) { append(UInt8(value >> 8)); append(UInt8(value & 0xFF)) }
    mutating func appendBE(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
    mutating func appendCString(_ text: String) { append(contentsOf: Array(text.utf8)); append(0) }
}

/// What a decoder makes of the bytes received so far.
enum Decoded<Value> {
    /// A complete message, and how many bytes of the buffer it used.
    case done(Value, consumed: Int)
    /// Plausible so far; read more.
    case needMore
    /// Not this protocol (or broken): why, for the error message.
    case invalid(String)
}
