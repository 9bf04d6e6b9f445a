import Foundation

/// Writes any `Encodable` as the one JSON form of snapshots and reports (SnapshotCoding): the
/// bytes JSONEncoder gives with `.prettyPrinted, .sortedKeys, .withoutEscapingSlashes` and dates
/// as ISO 8601 strings, without its cost. JSONEncoder boxes every value through dynamic casts
/// (is it a Date, a URL, a Data, a Decimal?) into a reference tree before writing: a fifth of
/// the client's CPU per host (docs/bench.md). Here a value's type is checked by its metatype,
/// scalars are written as text into their container's one buffer where they are encoded, and
/// only containers are objects. PrettyJSONEncoderTests and SchemaCompatibilityTests hold it to
/// JSONEncoder's bytes.
public struct PrettyJSONEncoder {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> Data {
        let root = JSONContainer(isObject: false)
        try root.append(value, key: nil)
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        root.writeMember(0, to: &out, depth: 0)
        return Data(out)
    }
}

/// An object or an array: its members' raw keys and scalar values written back to back in one
/// buffer, nested containers beside them; written out with the members sorted by key.
final class JSONContainer {
    struct Member {
        var key: Range<Int>
        var value: Value
    }

    enum Value {
        case token(Range<Int>)
        case child(JSONContainer)
    }

    let isObject: Bool
    var bytes: [UInt8] = []
    var members: [Member] = []

    init(isObject: Bool) { self.isObject = isObject }

    /// Adds a member: written at once when a scalar, else the value encodes itself into it.
    func append<T: Encodable>(_ value: T, key: String?) throws {
        let k = addKey(key)
        let start = bytes.count
        if JSONText.scalar(value, into: &bytes) {
            members.append(Member(key: k, value: .token(start..<bytes.count)))
            return
        }
        members.append(Member(key: k, value: .token(start..<start)))
        try value.encode(to: JSONMemberEncoder(parent: self, index: members.count - 1))
    }

    /// Adds a member whose text `write` appends to the buffer.
    func appendToken(key: String?, _ write: (inout [UInt8]) -> Void) {
        let k = addKey(key)
        let start = bytes.count
        write(&bytes)
        members.append(Member(key: k, value: .token(start..<bytes.count)))
    }

    /// Adds a nested container member.
    func appendChild(key: String?, object: Bool) -> JSONContainer {
        let child = JSONContainer(isObject: object)
        members.append(Member(key: addKey(key), value: .child(child)))
        return child
    }

    /// The container member `index` holds (made on first use), as its value asks for one.
    func child(at index: Int, object: Bool) -> JSONContainer {
        if case let .child(c) = members[index].value, c.isObject == object { return c }
        let c = JSONContainer(isObject: object)
        members[index].value = .child(c)
        return c
    }

    private func addKey(_ key: String?) -> Range<Int> {
        let start = bytes.count
        if let key { bytes.append(contentsOf: key.utf8) }
        return start..<bytes.count
    }

    func write(to out: inout [UInt8], depth: Int) {
        out.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
        out.append(10)
        if members.isEmpty {
            out.append(10)
        } else {
            for (n, i) in (isObject ? sortedOrder() : Array(members.indices)).enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")); out.append(10) }
                out.append(contentsOf: repeatElement(32, count: 2 * (depth + 1)))
                if isObject {
                    bytes.withUnsafeBufferPointer { JSONText.string(UnsafeBufferPointer(rebasing: $0[members[i].key]), into: &out) }
                    out.append(contentsOf: [32, UInt8(ascii: ":"), 32])
                }
                writeMember(i, to: &out, depth: depth + 1)
            }
            out.append(10)
        }
        out.append(contentsOf: repeatElement(32, count: 2 * depth))
        out.append(isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
    }

    /// A member's value; one that encoded nothing reads `{}`, as JSONEncoder writes it.
    func writeMember(_ i: Int, to out: inout [UInt8], depth: Int) {
        switch members[i].value {
        case let .token(r) where r.isEmpty: JSONContainer(isObject: true).write(to: &out, depth: depth)
        case let .token(r): out.append(contentsOf: bytes[r])
        case let .child(c): c.write(to: &out, depth: depth)
        }
    }

    /// By the keys' UTF-8 bytes, as JSONEncoder's `.sortedKeys`; a key given twice keeps its last value.
    private func sortedOrder() -> [Int] {
        bytes.withUnsafeBufferPointer { b -> [Int] in
            func key(_ i: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: b[members[i].key]) }
            func same(_ x: Int, _ y: Int) -> Bool { key(x).elementsEqual(key(y)) }
            let sorted = members.indices.sorted { x, y in
                let kx = key(x), ky = key(y)
                return kx.elementsEqual(ky) ? x < y : kx.lexicographicallyPrecedes(ky)
            }
            return sorted.enumerated().compactMap { n, i in
                n + 1 < sorted.count && same(sorted[n + 1], i) ? nil : i
            }
        }
    }
}

/// JSON text of scalars, as JSONEncoder writes them.
enum JSONText {
    static let hex = Array("0123456789abcdef".utf8)

    /// Appends `value` when it is a scalar (or a Date) and says so; false for a value that
    /// encodes itself. By metatype, not by casting: a cast asks the runtime for every nested value.
    static func scalar<T: Encodable>(_ value: T, into out: inout [UInt8]) -> Bool {
        if T.self == String.self { string(unsafeBitCast(value, to: String.self), into: &out); return true }
        if T.self == Int.self { out.append(contentsOf: String(unsafeBitCast(value, to: Int.self)).utf8); return true }
        if T.self == Bool.self { bool(unsafeBitCast(value, to: Bool.self), into: &out); return true }
        if T.self == Date.self { string(ISO8601.string(unsafeBitCast(value, to: Date.self)), into: &out); return true }
        if let text = integer(value) { out.append(contentsOf: text.utf8); return true }
        return false
    }

    private static func integer<T>(_ value: T) -> String? {
        if T.self == Int64.self { return String(unsafeBitCast(value, to: Int64.self)) }
        if T.self == UInt64.self { return String(unsafeBitCast(value, to: UInt64.self)) }
        if T.self == Int32.self { return String(unsafeBitCast(value, to: Int32.self)) }
        if T.self == UInt32.self { return String(unsafeBitCast(value, to: UInt32.self)) }
        if T.self == UInt.self { return String(unsafeBitCast(value, to: UInt.self)) }
        if T.self == Int16.self { return String(unsafeBitCast(value, to: Int16.self)) }
        if T.self == UInt16.self { return String(unsafeBitCast(value, to: UInt16.self)) }
        if T.self == Int8.self { return String(unsafeBitCast(value, to: Int8.self)) }
        if T.self == UInt8.self { return String(unsafeBitCast(value, to: UInt8.self)) }
        return nil
    }

    static func bool(_ v: Bool, into out: inout [UInt8]) { out.append(contentsOf: (v ? "true" : "false").utf8) }

    /// Floating point the way JSONEncoder writes it ("1", "0.5", "1e+21"), through JSONEncoder
    /// itself: the model holds a handful per snapshot (latencies). A non-finite value throws, as there.
    static func number<F: BinaryFloatingPoint & Encodable>(_ v: F) throws -> [UInt8] {
        let text = try JSONEncoder().encode([v])
        return Array(text.dropFirst().dropLast())
    }

    static func string(_ s: String, into out: inout [UInt8]) {
        var s = s
        s.withUTF8 { string($0, into: &out) }
    }

    /// A JSON string: `"` and `\` escaped, control characters as \b \t \n \f \r or \u00xx
    /// (lowercase hex), everything else (`/`, DEL, non-ASCII) as it is.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
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
        out.append(UInt8(ascii: "\""))
    }
}

/// The `Encoder` a member's value encodes itself into: the container it asks for, or the
/// single value it writes, becomes that member's value.
struct JSONMemberEncoder: Encoder {
    let parent: JSONContainer
    let index: Int
    var codingPath: [CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(JSONKeyedContainer<Key>(node: parent.child(at: index, object: true)))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer { JSONUnkeyedContainer(node: parent.child(at: index, object: false)) }

    func singleValueContainer() -> SingleValueEncodingContainer { JSONSingleValue(parent: parent, index: index) }
}

struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONContainer
    var codingPath: [CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws { node.appendToken(key: key.stringValue) { $0.append(contentsOf: "null".utf8) } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { node.appendToken(key: key.stringValue) { JSONText.bool(value, into: &$0) } }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        node.appendToken(key: key.stringValue) { $0.append(contentsOf: String(value).utf8) }
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        node.appendToken(key: key.stringValue) { JSONText.string(value, into: &$0) }
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        let text = try JSONText.number(value)
        node.appendToken(key: key.stringValue) { $0.append(contentsOf: text) }
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        let text = try JSONText.number(value)
        node.appendToken(key: key.stringValue) { $0.append(contentsOf: text) }
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try node.append(value, key: key.stringValue) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(node: node.appendChild(key: key.stringValue, object: true)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        JSONUnkeyedContainer(node: node.appendChild(key: key.stringValue, object: false))
    }

    mutating func superEncoder() -> Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

    mutating func superEncoder(forKey key: Key) -> Encoder {
        _ = node.appendChild(key: key.stringValue, object: true)
        return JSONMemberEncoder(parent: node, index: node.members.count - 1)
    }
}

struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let node: JSONContainer
    var codingPath: [CodingKey] { [] }
    var count: Int { node.members.count }

    mutating func encodeNil() throws { node.appendToken(key: nil) { $0.append(contentsOf: "null".utf8) } }
    mutating func encode(_ value: Bool) throws { node.appendToken(key: nil) { JSONText.bool(value, into: &$0) } }
    mutating func encode(_ value: Int) throws { node.appendToken(key: nil) { $0.append(contentsOf: String(value).utf8) } }
    mutating func encode(_ value: String) throws { node.appendToken(key: nil) { JSONText.string(value, into: &$0) } }
    mutating func encode(_ value: Double) throws {
        let text = try JSONText.number(value)
        node.appendToken(key: nil) { $0.append(contentsOf: text) }
    }
    mutating func encode(_ value: Float) throws {
        let text = try JSONText.number(value)
        node.appendToken(key: nil) { $0.append(contentsOf: text) }
    }
    mutating func encode<T: Encodable>(_ value: T) throws { try node.append(value, key: nil) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(node: node.appendChild(key: nil, object: true)))
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        JSONUnkeyedContainer(node: node.appendChild(key: nil, object: false))
    }

    mutating func superEncoder() -> Encoder {
        _ = node.appendChild(key: nil, object: true)
        return JSONMemberEncoder(parent: node, index: node.members.count - 1)
    }
}

/// A member's one value: written into the parent's buffer as that member's text.
struct JSONSingleValue: SingleValueEncodingContainer {
    let parent: JSONContainer
    let index: Int
    var codingPath: [CodingKey] { [] }

    private func set(_ write: (inout [UInt8]) -> Void) {
        let start = parent.bytes.count
        write(&parent.bytes)
        parent.members[index].value = .token(start..<parent.bytes.count)
    }

    mutating func encodeNil() throws { set { $0.append(contentsOf: "null".utf8) } }
    mutating func encode(_ value: Bool) throws { set { JSONText.bool(value, into: &$0) } }
    mutating func encode(_ value: Int) throws { set { $0.append(contentsOf: String(value).utf8) } }
    mutating func encode(_ value: String) throws { set { JSONText.string(value, into: &$0) } }
    mutating func encode(_ value: Double) throws {
        let text = try JSONText.number(value)
        set { $0.append(contentsOf: text) }
    }
    mutating func encode(_ value: Float) throws {
        let text = try JSONText.number(value)
        set { $0.append(contentsOf: text) }
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        if T.self == Double.self { return try encode(unsafeBitCast(value, to: Double.self)) }
        if T.self == Float.self { return try encode(unsafeBitCast(value, to: Float.self)) }
        var wrote = false
        set { wrote = JSONText.scalar(value, into: &$0) }
        if !wrote { try value.encode(to: JSONMemberEncoder(parent: parent, index: index)) }
    }
}
