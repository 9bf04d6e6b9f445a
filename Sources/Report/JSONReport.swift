import Foundation
import Model

/// Machine-readable report (`--json FILE`): every host, every checked item, every finding, with the
/// exact text the host gave (JSON escapes control characters itself). Format: docs/reports.md.
public enum JSONReport {
    /// Bumped when a field changes meaning; fields may be added without a bump.
    public static let formatVersion = 1

    public static func render(_ run: VerifyRun) -> String {
        // Encoding plain structs of strings and numbers cannot fail; a non-finite duration is the
        // one value JSON cannot hold, and Host/Report clamp it.
        guard let shell = try? SnapshotCoding.encoder().encode(report(run, hosts: [])),
              var text = String(data: shell, encoding: .utf8) else { return "{}\n" }
        // Each host is encoded on its own and spliced in, indented as the encoder would nest it:
        // the same text as encoding the whole report at once, without the encoder's value tree
        // for a thousand hosts' items in memory at one time.
        var hosts: [String] = []
        hosts.reserveCapacity(run.hosts.count)
        for h in run.hosts {
            guard let data = try? SnapshotCoding.encoder().encode(Host(h)), let one = String(data: data, encoding: .utf8) else { return "{}\n" }
            hosts.append(indented(one, by: "    "))
        }
        if !hosts.isEmpty, let range = text.range(of: "\"hosts\" : [\n\n  ]") ?? text.range(of: "\"hosts\" : []") {
            text.replaceSubrange(range, with: "\"hosts\" : [\n" + hosts.joined(separator: ",\n") + "\n  ]")
        }
        return text + "\n"
    }

    /// The whole report encoded at once (the reference `render` must equal; tests compare them).
    static func renderWhole(_ run: VerifyRun) -> String {
        guard let data = try? SnapshotCoding.encoder().encode(report(run, hosts: run.hosts.map(Host.init))) else { return "{}\n" }
        return (String(data: data, encoding: .utf8) ?? "{}") + "\n"
    }

    private static func report(_ run: VerifyRun, hosts: [Host]) -> Report {
        Report(format: "postpatch-report", formatVersion: formatVersion,
               startedAt: run.startedAt, durationSeconds: run.durationSeconds.isFinite ? run.durationSeconds : 0,
               totals: Totals(hosts: run.hosts.count, unchecked: run.unchecked,
                              items: run.hosts.reduce(0) { $0 + $1.items.count },
                              regression: run.count(.regression), warning: run.count(.warning), info: run.count(.info)),
               hosts: hosts)
    }

    /// Every non-empty line prefixed (the encoder leaves the blank line of an empty array bare).
    private static func indented(_ text: String, by prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : prefix + $0 }
            .joined(separator: "\n")
    }

    struct Report: Encodable {
        var format: String
        var formatVersion: Int
        var startedAt: Date
        var durationSeconds: Double
        var totals: Totals
        var hosts: [Host]
    }

    struct Totals: Encodable {
        var hosts, unchecked, items, regression, warning, info: Int
    }

    struct Host: Encodable {
        var host: String
        /// "regression", "warning", "ok" or "unchecked" (info alone is "ok").
        var status: String
        var error: String?
        var durationSeconds: Double
        var counts: [String: Int]
        var facts: [Fact]
        var items: [Item]
        var notes: [String]

        init(_ h: HostVerdict) {
            host = h.host
            status = HostStatus(h).rawValue
            error = h.error
            durationSeconds = h.durationSeconds.isFinite ? h.durationSeconds : 0
            counts = Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, h.count($0)) })
            facts = h.facts
            items = h.sortedItems.map(Item.init)
            notes = h.notes
        }
    }

    struct Item: Encodable {
        var category: Category
        var subject: String
        /// The worst finding's severity, or "ok".
        var status: String
        var findings: [Finding]

        init(_ i: CheckedItem) {
            category = i.category
            subject = i.subject
            status = i.worst?.rawValue ?? "ok"
            findings = i.findings
        }
    }
}
