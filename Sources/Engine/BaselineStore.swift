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

    /// A file name for a host: characters outside [A-Za-z0-9._@-] become `_` ("[::1]:22" -> "___1__22").
    public static func fileName(for host: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-")
        var name = String(host.map { allowed.contains($0) ? $0 : "_" })
        if name.hasPrefix(".") { name = "_" + name.dropFirst() }
        return name + ".json"
    }

    public func path(for host: String) -> String { "\(directory)/\(Self.fileName(for: host))" }

    public func read(host: String) throws -> Snapshot {
        let p = path(for: host)
        guard FileManager.default.fileExists(atPath: p) else { throw StoreError.missing(host: host, path: p) }
        guard let data = FileManager.default.contents(atPath: p) else {
            throw StoreError.unreadable(path: p, reason: String(cString: strerror(errno)))
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
    public func write(_ snapshot: Snapshot) throws {
        let data = try SnapshotCoding.encode(snapshot)
        let target = path(for: snapshot.host)
        if keep > 0, FileManager.default.fileExists(atPath: target) {
            try archive(target, host: snapshot.host)
        }
        try AtomicFile.write(data, to: target)
    }

    /// Links the current baseline into history/ as <host>.<capturedAt>.json and prunes the oldest.
    private func archive(_ current: String, host: String) throws {
        let base = Self.fileName(for: host).dropLast(5)
        let stamp = (try? read(host: host)).map { ISO8601.string($0.capturedAt).replacingOccurrences(of: ":", with: "") } ?? "unknown"
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
