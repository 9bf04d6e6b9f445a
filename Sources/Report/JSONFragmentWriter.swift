import Foundation
import Model

/// Writes a JSON document from values encoded one at a time, in the layout of `encoder`
/// (pretty or compact): objects and arrays are joined here with their separators, so a large
/// array is encoded element by element and never held as one value tree.
///
/// Pretty output matches Foundation's `JSONEncoder`: two spaces per level, `"key" : value`,
/// an empty array as the encoder writes it. Tests compare the result with encoding the whole.
struct FragmentWriter {
    let encoder: any ValueEncoder
    let pretty: Bool
    let sortedKeys: Bool

    /// The one JSON form (SnapshotCoding): PrettyJSONEncoder, pretty with sorted keys.
    init() {
        encoder = PrettyJSONEncoder()
        pretty = true
        sortedKeys = true
    }

    /// `encoder`'s layout (tests compare the fragments with encoding the whole).
    init(encoder: JSONEncoder) {
        self.encoder = encoder
        pretty = encoder.outputFormatting.contains(.prettyPrinted)
        sortedKeys = encoder.outputFormatting.contains(.sortedKeys)
    }

    /// One value as the encoder writes it at the top level.
    func value<T: Encodable>(_ v: T) -> String? {
        guard let data = try? encoder.encode(v) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    /// An array of values, each encoded on its own.
    func array<S: Sequence>(_ elements: S) -> String? where S.Element: Encodable {
        var parts: [String] = []
        for e in elements {
            guard let text = value(e) else { return nil }
            parts.append(pretty ? indented(text) : text)
        }
        if parts.isEmpty { return value([S.Element]()) }
        return pretty ? "[\n" + parts.joined(separator: ",\n") + "\n]" : "[" + parts.joined(separator: ",") + "]"
    }

    /// An object of already-written values, keys in the encoder's order (sorted, or as given).
    func object(_ fields: [(key: String, value: String)]?) -> String? {
        guard let fields else { return nil }
        let ordered = sortedKeys ? fields.sorted { $0.key < $1.key } : fields
        var parts: [String] = []
        for (key, value) in ordered {
            guard let name = self.value(key) else { return nil }
            parts.append(pretty ? indented(name + " : " + value) : name + ":" + value)
        }
        if parts.isEmpty { return "{}" }
        return pretty ? "{\n" + parts.joined(separator: ",\n") + "\n}" : "{" + parts.joined(separator: ",") + "}"
    }

    /// One level deeper: every non-empty line prefixed (the encoder leaves the blank line of an
    /// empty array bare). On the UTF-8 bytes: splitting a host's whole text into Strings and
    /// joining them again was a fifth of `verify`'s client CPU (docs/bench.md).
    private func indented(_ text: String) -> String {
        var out: [UInt8] = []
        var text = text
        text.withUTF8 { bytes in
            out.reserveCapacity(bytes.count + bytes.count / 16)
            var lineStart = true
            for b in bytes {
                if lineStart && b != 10 { out.append(32); out.append(32) }
                out.append(b)
                lineStart = b == 10
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// What can write one value as JSON: Foundation's encoder, or the one the snapshot files use.
protocol ValueEncoder {
    func encode<T: Encodable>(_ value: T) throws -> Data
}

extension JSONEncoder: ValueEncoder {}
extension PrettyJSONEncoder: ValueEncoder {}
