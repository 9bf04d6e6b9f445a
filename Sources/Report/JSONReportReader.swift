import Foundation
import Model

/// Reads back a `--json` report of verify, drift or diff (docs/reports.md) as the run it
/// describes, for `postpatch merge`: each host's verdict with its items, findings (severities
/// as the run classified them), facts and notes. Totals and per-host counts are derived again
/// from the findings, never trusted from the file.
public enum JSONReportReader {
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    public static func read(_ data: Data) throws -> VerifyRun {
        struct Head: Decodable { var format: String?; var formatVersion: Int? }
        let head: Head
        do { head = try JSONDecoder().decode(Head.self, from: data) } catch {
            throw Failure(description: "not a JSON report (\(reason(error)))")
        }
        guard head.format == "postpatch-report" else {
            throw Failure(description: "not a postpatch JSON report (its \"format\" is \(head.format.map { "\"\($0)\"" } ?? "missing")): give the file a --json option wrote")
        }
        guard let version = head.formatVersion, version <= JSONReport.formatVersion else {
            throw Failure(description: "a JSON report of format version \(head.formatVersion.map(String.init) ?? "?"), newer than this postpatch reads (\(JSONReport.formatVersion)): use the postpatch that wrote it")
        }
        let report: Report
        do { report = try SnapshotCoding.decoder().decode(Report.self, from: data) } catch {
            throw Failure(description: "not a valid postpatch JSON report (\(reason(error)))")
        }
        let hosts = report.hosts.map { h in
            HostVerdict(host: h.host, error: h.error, facts: h.facts ?? [],
                        items: h.items.map { CheckedItem(category: $0.category, subject: $0.subject, findings: $0.findings) },
                        durationSeconds: h.durationSeconds ?? 0, notes: h.notes ?? [], patch: h.patch)
        }
        return VerifyRun(startedAt: report.startedAt, durationSeconds: report.durationSeconds ?? 0, hosts: hosts)
    }

    struct Report: Decodable {
        var startedAt: Date
        var durationSeconds: Double?
        var hosts: [Host]
    }

    struct Host: Decodable {
        var host: String
        var error: String?
        var durationSeconds: Double?
        var facts: [Fact]?
        var items: [Item]
        var notes: [String]?
        var patch: PatchRecord?
    }

    struct Item: Decodable {
        var category: Category
        var subject: String
        var findings: [Finding]
    }

    /// The decoder's reason in one line, with the path to the bad field.
    private static func reason(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c), DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            return at(c) + c.debugDescription
        case DecodingError.keyNotFound(let key, let c):
            return at(c) + "no \"\(key.stringValue)\""
        default:
            return "\(error)".split(separator: "\n").first.map(String.init) ?? "unreadable"
        }
    }

    private static func at(_ c: DecodingError.Context) -> String {
        let path = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? "" : "at \(path.hasPrefix(".") ? String(path.dropFirst()) : path): "
    }
}
