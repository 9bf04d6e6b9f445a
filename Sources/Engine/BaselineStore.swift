import Foundation
import Model
#if canImport(Glibc)
import Glibc
#endif

/// The baselines folder: one `<host>.json` per host (pretty, sorted keys: diff-friendly in git),
/// written atomically, previous versions kept in `history/` when asked.
public struct BaselineStore: Sendable {
    public let directory: String
    /// How many previous baselines of each host to keep in `history/` (0: none).
    public let keep: Int

    public init(directory: String, keep: Int = 0) {
        self.directory = directory
        self.keep = keep
    }

    public enum StoreError: Error, CustomStringConvertible {
        case missing(host: String, path: String)
        case unreadable(path: String, reason: String)
        case invalid(path: String, reason: String)
        case folder(path: String, reason: String)

        public var description: String {
            switch self {
            case let .missing(host, path):
                return "no baseline for \(host) (\(path)): take one with `postpatch baseline \(host)`"
            case let .unreadable(path, reason):
                return "cannot read baseline \(path): \(reason)"
            case let .invalid(path, reason):
                return "baseline \(path) is unusable: \(reason); take a new one with `postpatch baseline`"
            case let .folder(path, reason):
                return "baselines folder \(path): \(reason)"
            }
        }
    }

    /// A file name for a host, injective so two hosts never share a baseline: bytes outside
    /// [A-Za-z0-9._@-] become `%XX` (so `%` itself is `%25`), as does a leading `.`
    /// ("[::1]:22" -> "%5B%3A%3A1%5D%3A22", "a/b" -> "a%2Fb" while "a_b" stays "a_b"). Names of only
    /// those characters keep the names they always had; the run folder's per-host logs use it too.
    public static func fileName(for host: String) -> String {
        var name = ""
        for byte in host.utf8 {
            if isPlain(byte), !(name.isEmpty && byte == UInt8(ascii: ".")) {
                name.unicodeScalars.append(UnicodeScalar(byte))
            } else {
                name += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return (name.isEmpty ? "%" : name) + ".json"
    }

    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return "._@-".utf8.contains(byte)
        }
    }

    /// The name before 0.x: unsafe characters became `_`, so `a/b` and `a_b` shared one file. Read
    /// only as a fallback, and only when the snapshot in it says it is this host's.
    static func legacyFileName(for host: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-")
        var name = String(host.map { allowed.contains($0) ? $0 : "_" })
        if name.hasPrefix(".") { name = "_" + name.dropFirst() }
        return name + ".json"
    }

    public func path(for host: String) -> String { "\(directory)/\(Self.fileName(for: host))" }

    /// The file holding the host's baseline now: its own name, else a legacy-named file whose
    /// snapshot is this host's (written before names were injective).
    private func existingPath(for host: String) -> String? {
        let p = path(for: host)
        if FileManager.default.fileExists(atPath: p) { return p }
        let legacy = "\(directory)/\(Self.legacyFileName(for: host))"
        guard legacy != p, FileManager.default.fileExists(atPath: legacy),
              let snapshot = try? decode(legacy), snapshot.host == host else { return nil }
        return legacy
    }

    public func read(host: String) throws -> Snapshot {
        guard let p = existingPath(for: host) else { throw StoreError.missing(host: host, path: path(for: host)) }
        return try decode(p)
    }

    private func decode(_ p: String) throws -> Snapshot {
        let data: Data
        do { data = try SnapshotCoding.read(path: p) } catch let e as SnapshotCoding.ReadError {
            throw StoreError.unreadable(path: p, reason: e.reason)
        }
        do { return try SnapshotCoding.decode(data) } catch {
            throw StoreError.invalid(path: p, reason: "\(error)")
        }
    }

    /// Creates the folder if needed (and history/ when keeping).
    public func prepare() throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            if keep > 0 { try FileManager.default.createDirectory(atPath: directory + "/history", withIntermediateDirectories: true) }
        } catch {
            throw StoreError.folder(path: directory, reason: (error as NSError).localizedDescription)
        }
    }

    /// Replaces the host's baseline atomically; the previous one moves to history/ first when `keep` > 0.
    /// A legacy-named file of the same host is removed once the new one is written.
    public func write(_ snapshot: Snapshot) throws {
        let data = try SnapshotCoding.encode(snapshot)
        let target = path(for: snapshot.host)
        let current = existingPath(for: snapshot.host)
        if keep > 0, let current {
            try archive(current, host: snapshot.host)
        }
        try AtomicFile.write(data, to: target)
        if let current, current != target { unlink(current) }
    }

    /// Links the current baseline into history/ as <host>.<capturedAt>.json and prunes the oldest.
    private func archive(_ current: String, host: String) throws {
        let base = Self.fileName(for: host).dropLast(5)
        let stamp = (try? decode(current)).map { ISO8601.string($0.capturedAt).replacingOccurrences(of: ":", with: "") } ?? "unknown"
        // Two baselines in the same second (capturedAt has whole seconds) get _02, _03, ...:
        // `_` sorts after `.`, so names stay in time order and none is lost.
        var dest = "\(directory)/history/\(base).\(stamp).json"
        var n = 2
        while FileManager.default.fileExists(atPath: dest) {
            dest = "\(directory)/history/\(base).\(stamp)_\(String(format: "%02d", n)).json"
            n += 1
        }
        if link(current, dest) != 0 {
            try? FileManager.default.copyItem(atPath: current, toPath: dest)
        }
        let prefix = "\(base)."
        let all = ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/history")) ?? [])
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".json") && !$0.dropFirst(prefix.count).dropLast(5).contains(".") }
            .sorted()
        for old in all.dropLast(keep) { unlink("\(directory)/history/\(old)") }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
