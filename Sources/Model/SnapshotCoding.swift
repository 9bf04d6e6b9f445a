import Foundation

/// The one JSON form of snapshots and reports: pretty, sorted keys, ISO 8601 UTC dates.
public enum SnapshotCoding {
    public static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(ISO8601.string(date))
        }
        return e
    }

    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let s = try c.decode(String.self)
            guard let date = ISO8601.date(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an ISO 8601 date: \(s)")
            }
            return date
        }
        return d
    }

    /// Encodes a snapshot in canonical form, ending with a newline (diff-friendly in git).
    public static func encode(_ snapshot: Snapshot) throws -> Data {
        var s = snapshot
        s.canonicalize()
        var data = try encoder().encode(s)
        data.append(0x0A)
        return data
    }

    public enum DecodeError: Error, CustomStringConvertible {
        case newerSchema(found: Int, supported: Int)
        case invalid(String)
        public var description: String {
            switch self {
            case let .newerSchema(found, supported):
                return "snapshot has schemaVersion \(found), this postpatch reads up to \(supported): upgrade postpatch"
            case let .invalid(why):
                return "not a PostPatch snapshot: \(why)"
            }
        }
    }

    /// Decodes a snapshot, refusing a newer schema before looking at any other field.
    public static func decode(_ data: Data) throws -> Snapshot {
        struct Version: Decodable { var schemaVersion: Int? }
        let version: Version
        do { version = try JSONDecoder().decode(Version.self, from: data) } catch {
            throw DecodeError.invalid("not valid JSON (\(shortReason(error)))")
        }
        guard let v = version.schemaVersion else { throw DecodeError.invalid("no schemaVersion") }
        if v > Snapshot.currentSchemaVersion {
            throw DecodeError.newerSchema(found: v, supported: Snapshot.currentSchemaVersion)
        }
        do { return try decoder().decode(Snapshot.self, from: data) } catch {
            throw DecodeError.invalid(shortReason(error))
        }
    }

    static func shortReason(_ error: Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, ctx):
            return "missing \(path(ctx.codingPath + [key]))"
        case let DecodingError.typeMismatch(_, ctx), let DecodingError.valueNotFound(_, ctx):
            return "wrong type at \(path(ctx.codingPath))"
        case let DecodingError.dataCorrupted(ctx):
            return ctx.codingPath.isEmpty ? "truncated or corrupt JSON" : "bad value at \(path(ctx.codingPath))"
        default:
            return "\(error)"
        }
    }

    static func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            .trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }
}

/// ISO 8601 in UTC with whole seconds: "2026-11-21T12:28:13Z".
public enum ISO8601 {
    public static func string(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    public static func date(_ string: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: string) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: string)
    }
}
