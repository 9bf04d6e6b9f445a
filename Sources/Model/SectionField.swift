/// One JSON field of a snapshot that a section owns: how it is read from a file (one written
/// before the field existed included), written, put in canonical order and cleared of what
/// changes without anything being wrong. ``SectionModel`` lists a section's fields; `Snapshot`'s
/// coding and `canonicalize()` iterate them, so a new section's field needs no line there.
public struct SectionField: Sendable {
    /// What a file without the key means. The file was written before the field existed:
    /// `required` refuses it (every version wrote it), `empty` reads nothing (a declared check
    /// that was not declared), `notCaptured` leaves the section unknown in that snapshot, never empty.
    public enum WhenAbsent: Sendable { case required, empty, notCaptured }

    public let key: String
    public let whenAbsent: WhenAbsent
    /// Reads the field into the snapshot; false when the file had no such key.
    let decode: @Sendable (KeyedDecodingContainer<SnapshotKey>, inout Snapshot) throws -> Bool
    let encode: @Sendable (inout KeyedEncodingContainer<SnapshotKey>, Snapshot) throws -> Void
    let canonicalize: @Sendable (inout Snapshot) -> Void

    /// A list of items, kept sorted by their ``SortKeyed/sortKey``.
    static func list<T: Codable & SortKeyed>(_ path: WritableKeyPath<Snapshot, [T]> & Sendable, _ key: String,
                                             _ whenAbsent: WhenAbsent) -> SectionField {
        value(path, key, whenAbsent, empty: []) { items in
            if !items.isSortedByKey(\.sortKey) { items.sortByKey(\.sortKey) }
        }
    }

    /// One value, `empty` when absent (unless `required`), with its own canonical order.
    static func value<T: Codable>(_ path: WritableKeyPath<Snapshot, T> & Sendable, _ key: String, _ whenAbsent: WhenAbsent,
                                  empty: T, canonical: @escaping @Sendable (inout T) -> Void = { _ in }) -> SectionField {
        let codingKey = SnapshotKey(key)
        return SectionField(
            key: key, whenAbsent: whenAbsent,
            decode: { c, snapshot in
                if whenAbsent == .required {
                    snapshot[keyPath: path] = try c.decode(T.self, forKey: codingKey)
                    return true
                }
                guard let v = try c.decodeIfPresent(T.self, forKey: codingKey) else {
                    snapshot[keyPath: path] = empty
                    return false
                }
                snapshot[keyPath: path] = v
                return true
            },
            encode: { c, snapshot in try c.encode(snapshot[keyPath: path], forKey: codingKey) },
            canonicalize: { snapshot in canonical(&snapshot[keyPath: path]) })
    }

    /// A value that may be unknown (nil), written only when known.
    static func optional<T: Codable>(_ path: WritableKeyPath<Snapshot, T?> & Sendable, _ key: String) -> SectionField {
        let codingKey = SnapshotKey(key)
        return SectionField(
            key: key, whenAbsent: .empty,
            decode: { c, snapshot in
                snapshot[keyPath: path] = try c.decodeIfPresent(T.self, forKey: codingKey)
                return true
            },
            encode: { c, snapshot in try c.encodeIfPresent(snapshot[keyPath: path], forKey: codingKey) },
            canonicalize: { _ in })
    }
}

/// A key of snapshot JSON: the fixed ones (host, notes, ...) and every section field's.
public struct SnapshotKey: CodingKey, Sendable {
    public let stringValue: String
    public init(_ name: String) { stringValue = name }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public var intValue: Int? { nil }
    public init?(intValue: Int) { nil }
}

/// A value with a canonical position in its list (see `Array.sortByKey`).
public protocol SortKeyed {
    var sortKey: String { get }
}
