import Foundation

/// Writes any `Encodable` as the one JSON form of snapshots and reports (SnapshotCoding): the
/// bytes JSONEncoder gives with `.prettyPrinted, .sortedKeys, .withoutEscapingSlashes` and dates
/// as ISO 8601 strings, without its cost. JSONEncoder boxes every value through dynamic casts
/// (is it a Date, a URL, a Data, a Decimal?) into a reference tree before writing: a fifth of
/// the client's CPU per host (docs/bench.md). Here a value's type is checked once, scalars are
/// written as text where they are encoded, and only containers are nodes.
/// PrettyJSONEncoderTests and SchemaCompatibilityTests hold it to JSONEncoder's bytes.
public struct PrettyJSONEncoder {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> Data {
        let slot = JSONSlot()
        try slot.store(value)
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        guard let piece = slot.piece else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "the value encoded nothing"))
        }
        piece.write(to: &out, depth: 0)
        return Data(out)
    }
}

/// A written scalar, or a container still being filled.
enum JSONPiece {
    case token([UInt8])
    case container(JSONContainer)

    func write(to out: inout [UInt8], depth: Int) {
        switch self {
        case let .token(bytes): out.append(contentsOf: bytes)
        case let .container(c): c.write(to: &out, depth: depth)
        }
    }
}

/// An object (keys beside its items) or an array, written with its members sorted by key.
final class JSONContainer {
    let isObject: Bool
    var keys: [String] = []
    var items: [JSONPiece] = []

    init(isObject: Bool) { self.isObject = isObject }

    func write(to out: inout [UInt8], depth: Int) {
        out.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
        out.append(10)
        if items.isEmpty {
            out.append(10)
        } else {
            let order = isObject ? sortedOrder() : Array(items.indices)
            for (n, i) in order.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")); out.append(10) }
                indent(&out, depth + 1)
                if isObject {
                    JSONText.string(keys[i], into: &out)
                    out.append(contentsOf: [32, UInt8(ascii: ":"), 32])
                }
                items[i].write(to: &out, depth: depth + 1)
            }
            out.append(10)
        }
        indent(&out, depth)
        out.append(isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
    }

    /// By the keys' UTF-8 bytes, as JSONEncoder's `.sortedKeys`; a key given twice keeps its last value.
    private func sortedOrder() -> [Int] {
        let sorted = keys.indices.sorted { a, b in
            keys[a] == keys[b] ? a < b : keys[a].utf8.lexicographicallyPrecedes(keys[b].utf8)
        }
        return sorted.enumerated().compactMap { n, i in
            n + 1 < sorted.count && keys[sorted[n + 1]] == keys[i] ? nil : i
        }
    }

    private func indent(_ out: inout [UInt8], _ depth: Int) {
        out.append(contentsOf: repeatElement(32, count: 2 * depth))
    }
}

/// Where one value goes: the piece its `encode(to:)` leaves.
final class JSONSlot {
    var piece: JSONPiece?

    /// Scalars of the types the model uses are written at once; anything else encodes itself.
    func store<T: Encodable>(_ value: T) throws {
        if let token = try JSONText.scalar(value) {
            piece = .token(token)
        } else {
            try value.encode(to: JSONSlotEncoder(slot: self))
        }
    }

    func container(object: Bool) -> JSONContainer {
        if case let .container(c)? = piece, c.isObject == object { return c }
        let c = JSONContainer(isObject: object)
        piece = .container(c)
        return c
    }
}

/// JSON text of scalars, as JSONEncoder writes them.
enum JSONText {
    static let hex = Array("0123456789abcdef".utf8)

    /// `value` written, when it is a scalar (or a Date); nil for a value that encodes itself.
    /// By metatype, not by casting: a cast asks the runtime for every nested value.
    static func scalar<T: Encodable>(_ value: T) throws -> [UInt8]? {
        if T.self == String.self {
            var out: [UInt8] = []
            string(unsafeBitCast(value, to: String.self), into: &out)
            return out
        }
        if T.self == Int.self { return Array(String(unsafeBitCast(value, to: Int.self)).utf8) }
        if T.self == Bool.self { return Array((unsafeBitCast(value, to: Bool.self) ? "true" : "false").utf8) }
        if T.self == Date.self {
            var out: [UInt8] = []
            string(ISO8601.string(unsafeBitCast(value, to: Date.self)), into: &out)
            return out
        }
        if T.self == Double.self { return try number(unsafeBitCast(value, to: Double.self)) }
        if T.self == Float.self { return try number(unsafeBitCast(value, to: Float.self)) }
        if T.self == Int64.self { return Array(String(unsafeBitCast(value, to: Int64.self)).utf8) }
        if T.self == UInt64.self { return Array(String(unsafeBitCast(value, to: UInt64.self)).utf8) }
        if T.self == Int32.self { return Array(String(unsafeBitCast(value, to: Int32.self)).utf8) }
        if T.self == UInt32.self { return Array(String(unsafeBitCast(value, to: UInt32.self)).utf8) }
        if T.self == UInt.self { return Array(String(unsafeBitCast(value, to: UInt.self)).utf8) }
        if T.self == Int16.self { return Array(String(unsafeBitCast(value, to: Int16.self)).utf8) }
        if T.self == UInt16.self { return Array(String(unsafeBitCast(value, to: UInt16.self)).utf8) }
        if T.self == Int8.self { return Array(String(unsafeBitCast(value, to: Int8.self)).utf8) }
        if T.self == UInt8.self { return Array(String(unsafeBitCast(value, to: UInt8.self)).utf8) }
        return nil
    }

    /// Floating point the way JSONEncoder writes it ("1", "0.5", "1e+21"), through JSONEncoder
    /// itself: the model holds a handful per snapshot (latencies).
    static func number<F: BinaryFloatingPoint & Encodable>(_ v: F) throws -> [UInt8] {
        let text = try JSONEncoder().encode([v])
        return Array(text.dropFirst().dropLast())
    }

    /// A JSON string: `"` and `\` escaped, control characters as \b \t \n \f \r or \u00xx
    /// (lowercase hex), everything else (`/`, DEL, non-ASCII) as it is.
    static func string(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var clean = 0
            for (i, b) in bytes.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[clean..<i]))
                clean = i + 1
                out.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(b)
                case 8: out.append(UInt8(ascii: "b"))
                case 9: out.append(UInt8(ascii: "t"))
                case 10: out.append(UInt8(ascii: "n"))
                case 12: out.append(UInt8(ascii: "f"))
                case 13: out.append(UInt8(ascii: "r"))
                default: out.append(contentsOf: [UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[clean...]))
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// The `Encoder` a value that is not a scalar encodes itself into: its container becomes the slot's piece.
struct JSONSlotEncoder: Encoder {
    let slot: JSONSlot
    var codingPath: [CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(JSONKeyedContainer<Key>(node: slot.container(object: true)))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer { JSONUnkeyedContainer(node: slot.container(object: false)) }

    func singleValueContainer() -> SingleValueEncodingContainer { JSONSingleValue(slot: slot) }
}

struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONContainer
    var codingPath: [CodingKey] { [] }

    private func add(_ key: Key, _ piece: JSONPiece) {
        node.keys.append(key.stringValue)
        node.items.append(piece)
    }

    mutating func encodeNil(forKey key: Key) throws { add(key, .token(Array("null".utf8))) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { add(key, .token(Array((value ? "true" : "false").utf8))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { add(key, .token(Array(String(value).utf8))) }
    mutating func encode(_ value: String, forKey key: Key) throws {
        var out: [UInt8] = []
        JSONText.string(value, into: &out)
        add(key, .token(out))
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let slot = JSONSlot()
        try slot.store(value)
        add(key, slot.piece ?? .container(JSONContainer(isObject: true)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey> {
        let child = JSONContainer(isObject: true)
        add(key, .container(child))
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(node: child))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        let child = JSONContainer(isObject: false)
        add(key, .container(child))
        return JSONUnkeyedContainer(node: child)
    }

    mutating func superEncoder() -> Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

    mutating func superEncoder(forKey key: Key) -> Encoder {
        let slot = JSONSlot()
        slot.piece = .container(JSONContainer(isObject: true))
        add(key, slot.piece!)
        return JSONSlotEncoder(slot: slot)
    }
}

struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let node: JSONContainer
    var codingPath: [CodingKey] { [] }
    var count: Int { node.items.count }

    mutating func encodeNil() throws { node.items.append(.token(Array("null".utf8))) }
    mutating func encode(_ value: String) throws {
        var out: [UInt8] = []
        JSONText.string(value, into: &out)
        node.items.append(.token(out))
    }
    mutating func encode(_ value: Int) throws { node.items.append(.token(Array(String(value).utf8))) }
    mutating func encode(_ value: Bool) throws { node.items.append(.token(Array((value ? "true" : "false").utf8))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let slot = JSONSlot()
        try slot.store(value)
        node.items.append(slot.piece ?? .container(JSONContainer(isObject: true)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONContainer(isObject: true)
        node.items.append(.container(child))
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(node: child))
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        let child = JSONContainer(isObject: false)
        node.items.append(.container(child))
        return JSONUnkeyedContainer(node: child)
    }

    mutating func superEncoder() -> Encoder {
        let slot = JSONSlot()
        slot.piece = .container(JSONContainer(isObject: true))
        node.items.append(slot.piece!)
        return JSONSlotEncoder(slot: slot)
    }
}

struct JSONSingleValue: SingleValueEncodingContainer {
    let slot: JSONSlot
    var codingPath: [CodingKey] { [] }

    mutating func encodeNil() throws { slot.piece = .token(Array("null".utf8)) }
    mutating func encode(_ value: String) throws {
        var out: [UInt8] = []
        JSONText.string(value, into: &out)
        slot.piece = .token(out)
    }
    mutating func encode(_ value: Int) throws { slot.piece = .token(Array(String(value).utf8)) }
    mutating func encode(_ value: Bool) throws { slot.piece = .token(Array((value ? "true" : "false").utf8)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try slot.store(value) }
}
