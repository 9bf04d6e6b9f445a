import Foundation
import Model
import Report

/// `postpatch merge`: the `--json` reports of sharded verify, drift or diff runs as one fleet
/// run, so one job writes every report and gives one exit status. A host in two inputs is an
/// error naming both files: shards never overlap, so it means a wrong input list.
public enum MergeJob {
    /// Reports bigger than this are refused (a 1,000-host report with every item is tens of MiB).
    public static let defaultMaxBytes = 1 << 30
    public static let maxBytesVariable = "POSTPATCH_MAX_REPORT_MB"

    public enum Failure: Error, CustomStringConvertible, Equatable {
        /// The file cannot be read (exit 4).
        case unreadable(path: String, reason: String)
        /// The file is not a report, or two reports hold one host (exit 2).
        case invalid(String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): return "\(path): \(reason)"
            case .invalid(let message): return message
            }
        }
    }

    /// Reads and merges `paths` in order: hosts keep the order of the inputs, then of each input.
    /// The run starts at the earliest input's start and lasts until the latest input's end.
    public static func merge(paths: [String], environment: [String: String] = ProcessInfo.processInfo.environment) throws -> VerifyRun {
        let limit = maxBytes(environment)
        var hosts: [HostVerdict] = []
        var owner: [String: String] = [:]
        var start: Date?
        var end: Date?
        for path in paths {
            let data = try readBounded(path, limit: limit)
            let run: VerifyRun
            do { run = try JSONReportReader.read(data) } catch {
                throw Failure.invalid("\(path): \(error)")
            }
            for h in run.hosts {
                if let first = owner[h.host] {
                    throw Failure.invalid("host \(h.host) is in both \(first) and \(path): merge the reports of disjoint shards (--shard I/N) only")
                }
                owner[h.host] = path
                hosts.append(h)
            }
            let finish = run.startedAt.addingTimeInterval(max(0, run.durationSeconds.isFinite ? run.durationSeconds : 0))
            start = min(start ?? run.startedAt, run.startedAt)
            end = max(end ?? finish, finish)
        }
        let s = start ?? Date()
        return VerifyRun(startedAt: s, durationSeconds: (end ?? s).timeIntervalSince(s), hosts: hosts)
    }

    static func maxBytes(_ environment: [String: String]) -> Int {
        guard let text = environment[maxBytesVariable], let mb = Int(text), mb > 0, mb <= 1 << 20 else { return defaultMaxBytes }
        return mb << 20
    }

    static func readBounded(_ path: String, limit: Int) throws -> Data {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw Failure.unreadable(path: path, reason: "no such file: give the --json output of a verify, drift or diff run")
        }
        if isDir.boolValue { throw Failure.unreadable(path: path, reason: "is a folder, not a JSON report") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Failure.unreadable(path: path, reason: "permission denied")
        }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: limit + 1) ?? Data() } catch {
            throw Failure.unreadable(path: path, reason: "cannot be read (\(error.localizedDescription))")
        }
        if data.count > limit {
            throw Failure.unreadable(path: path, reason: "larger than \(limit >> 20) MiB; raise the limit with \(maxBytesVariable)=<MiB>")
        }
        return data
    }
}
