import Foundation
import Model

/// When each pending security update was first seen on a host: `first-seen/<host>.json` in the
/// baselines folder, one small file per host (hosts are captured side by side), replaced
/// atomically. Every capture that asked for pending updates (baseline, verify, drift, rollout,
/// assess) brings it up to date: an update seen again keeps its first date, a new one gets this
/// capture's time, one no longer pending is dropped. Bounded: at most ``maxEntries`` per host and
/// ``maxFileBytes`` read. A file that is unreadable or not ours is set aside, never trusted: the
/// dates restart from this capture (and a note says so).
public struct FirstSeenStore: Sendable {
    public let directory: String

    public static let maxEntries = 5000
    static let maxFileBytes = 4 << 20
    static let format = "postpatch-first-seen"

    /// The store beside the baselines in `baselines`.
    public init(baselines: String) {
        directory = baselines + "/first-seen"
    }

    struct File: Codable {
        var format: String
        var host: String
        /// "name|arch" → the first capture that saw it pending.
        var updates: [String: Date]
    }

    public func path(for host: String) -> String { directory + "/" + BaselineStore.fileName(for: host) }

    /// Sets `firstSeen` on the snapshot's pending security updates and writes the file anew.
    /// Returns a note when the file could not be read or written (the snapshot is kept either way).
    @discardableResult
    public func stamp(_ snapshot: inout Snapshot) -> String? {
        guard snapshot.isCaptured(.updates) else { return nil }
        var note: String?
        var known: [String: Date] = [:]
        let p = path(for: snapshot.host)
        if FileManager.default.fileExists(atPath: p) {
            do { known = try read(p, host: snapshot.host) } catch { note = "first-seen dates: \(error); they restart from this capture" }
        }
        var kept: [String: Date] = [:]
        for i in snapshot.pendingUpdates.indices where snapshot.pendingUpdates[i].security {
            let key = snapshot.pendingUpdates[i].sortKey
            guard kept.count < Self.maxEntries || kept[key] != nil else { break }
            let first = min(known[key] ?? snapshot.capturedAt, snapshot.capturedAt)
            kept[key] = first
            snapshot.pendingUpdates[i].firstSeen = first
        }
        guard kept != known else { return note }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let data = try SnapshotCoding.encoder().encode(File(format: Self.format, host: snapshot.host, updates: kept))
            try AtomicFile.write(data, to: p)
        } catch {
            return "first-seen dates not kept: \(error)"
        }
        return note
    }

    struct Unusable: Error, CustomStringConvertible {
        var description: String
    }

    private func read(_ p: String, host: String) throws -> [String: Date] {
        guard let handle = FileHandle(forReadingAtPath: p) else { throw Unusable(description: "\(p) is unreadable") }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: Self.maxFileBytes + 1)) ?? Data()
        guard data.count <= Self.maxFileBytes else { throw Unusable(description: "\(p) is larger than \(Self.maxFileBytes >> 20) MiB") }
        guard let file = try? SnapshotCoding.decoder().decode(File.self, from: data), file.format == Self.format else {
            throw Unusable(description: "\(p) is not a first-seen file")
        }
        guard file.host == host else { throw Unusable(description: "\(p) is \(file.host)'s, not \(host)'s") }
        return file.updates
    }
}
