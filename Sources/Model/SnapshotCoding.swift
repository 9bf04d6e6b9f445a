import Foundation
#if canImport(Glibc)
import Glibc
#endif

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
        var data = try PrettyJSONEncoder().encode(s)
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

    /// Snapshot files above this size are refused before they are read: a capture of a host with
    /// ~820 packages is 100-200 KB, so 16 MiB leaves room for ~100,000 packages while a diff of
    /// a pair stays well under a GB (decoding takes ~10x the file). POSTPATCH_MAX_SNAPSHOT_MB raises it.
    public static let defaultMaxFileMB = 16
    public static let maxFileVariable = "POSTPATCH_MAX_SNAPSHOT_MB"

    /// A snapshot file that could not be read; `reason` never holds its content.
    public struct ReadError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// The bytes of a snapshot file (or FIFO), refusing more than the size cap before decoding.
    public static func read(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Data {
        let limit = try maxFileBytes(path: path, environment: environment)
        let tooBig = ReadError(path: path, reason: "larger than the \(limit >> 20) MiB snapshot size limit; "
            + "if it is a real snapshot, raise the limit with \(maxFileVariable)=<MiB>")
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if attributes?[.type] as? FileAttributeType == .typeDirectory {
            throw ReadError(path: path, reason: "is a directory, not a snapshot file")
        }
        if let size = attributes?[.size] as? Int, attributes?[.type] as? FileAttributeType == .typeRegular, size > limit {
            throw tooBig
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let why = FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"
            throw ReadError(path: path, reason: "cannot read: \(why)")
        }
        defer { try? handle.close() }
        var data = Data()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                data.append(chunk)
                if data.count > limit { throw tooBig }
            }
        } catch let e as ReadError { throw e } catch {
            throw ReadError(path: path, reason: "cannot read: \((error as NSError).localizedDescription)")
        }
        return data
    }

    private static func maxFileBytes(path: String, environment: [String: String]) throws -> Int {
        guard let text = environment[maxFileVariable] else { return defaultMaxFileMB << 20 }
        guard let mb = Int(text), (1...65536).contains(mb) else {
            throw ReadError(path: path, reason: "\(maxFileVariable) must be a whole number of MiB from 1 to 65536")
        }
        return mb << 20
    }

    /// Decodes a snapshot, refusing a newer schema before looking at any other field. The
    /// document is parsed once; only a file that fails is looked at again, for the message
    /// (not JSON at all, no schemaVersion, a newer one, or the first bad field).
    public static func decode(_ data: Data) throws -> Snapshot {
        let snapshot: Snapshot
        do { snapshot = try decoder().decode(Snapshot.self, from: data) } catch {
            throw refusal(data, error)
        }
        // The host heads every finding and report line: a 15 MB one made a diff take 15 GB.
        if snapshot.host.utf8.count > maxHostBytes {
            throw DecodeError.invalid("host is \(snapshot.host.utf8.count) bytes long; a host is at most \(maxHostBytes)")
        }
        return snapshot
    }

    private static func refusal(_ data: Data, _ error: Error) -> DecodeError {
        struct Version: Decodable { var schemaVersion: Int? }
        let version: Version
        do { version = try JSONDecoder().decode(Version.self, from: data) } catch {
            return .invalid("not valid JSON (\(shortReason(error)))")
        }
        guard let v = version.schemaVersion else { return .invalid("no schemaVersion") }
        if v > Snapshot.currentSchemaVersion { return .newerSchema(found: v, supported: Snapshot.currentSchemaVersion) }
        return .invalid(shortReason(error))
    }

    /// `user@[IPv6]:port` with a 253-byte DNS name fits many times over.
    public static let maxHostBytes = 1024

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
    /// Written with gmtime_r: ISO8601DateFormatter's set-up took a twentieth of a capture's
    /// client CPU when made per call, and one shared formatter is not safe across threads.
    /// As the formatter does: the time rounded to the millisecond, then its seconds floored;
    /// years before 1900 (where the formatter's calendar turns Julian) go to the formatter
    /// (ISO8601Tests compare the two).
    public static func string(_ date: Date) -> String {
        let ms = (date.timeIntervalSince1970 * 1000).rounded()
        guard ms.magnitude < 1e15 else { return formatter().string(from: date) }
        let whole = Int64(ms)
        var seconds = time_t(whole >= 0 ? whole / 1000 : -((-whole + 999) / 1000))
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil, (1900...9999).contains(Int(parts.tm_year) + 1900) else {
            return formatter().string(from: date)
        }
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = String(Int(parts.tm_year) + 1900)
        return String(repeating: "0", count: 4 - year.count) + year + "-" + two(parts.tm_mon + 1) + "-" + two(parts.tm_mday)
            + "T" + two(parts.tm_hour) + ":" + two(parts.tm_min) + ":" + two(parts.tm_sec) + "Z"
    }

    static func formatter() -> ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f
    }

    /// Reads what ``string(_:)`` writes ("2026-11-21T12:28:13Z") with timegm, anything else
    /// (an offset, fractional seconds) with ISO8601DateFormatter: a formatter made per date was
    /// a tenth of reading a snapshot.
    public static func date(_ string: String) -> Date? {
        if let d = plainUTC(string) { return d }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: string) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: string)
    }

    private static func plainUTC(_ string: String) -> Date? {
        let b = Array(string.utf8)
        guard b.count == 20, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58, b[19] == 90 else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            var n: Int32 = 0
            for i in range {
                guard (48...57).contains(b[i]) else { return nil }
                n = n * 10 + Int32(b[i] - 48)
            }
            return n
        }
        guard let year = number(0..<4), year >= 1900, let month = number(5..<7), (1...12).contains(month),
              let day = number(8..<10), (1...31).contains(day), let hour = number(11..<13), hour < 24,
              let minute = number(14..<16), minute < 60, let second = number(17..<19), second < 60 else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        let t = timegm(&parts)
        // timegm normalises an impossible day (February 30) into March: the formatter refuses it.
        guard parts.tm_mday == day, parts.tm_mon == month - 1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(t))
    }
}
