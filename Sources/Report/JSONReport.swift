import Foundation
import Model

/// Machine-readable report (`--json FILE`): every host, every checked item, every finding, with the
/// exact text the host gave (JSON escapes control characters itself). Format: docs/reports.md.
public enum JSONReport {
    /// Bumped when a field changes meaning; fields may be added without a bump.
    public static let formatVersion = 1

    public static func render(_ run: VerifyRun) -> String { render(run, writer: FragmentWriter()) }

    /// The document is written field by field and host by host, each encoded on its own and
    /// joined with explicit separators in the encoder's layout: the same text as encoding the
    /// whole report at once (tests compare them), without the encoder's value tree for a
    /// thousand hosts' items in memory at one time, and with nothing found again by searching
    /// text, so no host can be dropped by a change of layout.
    static func render(_ run: VerifyRun, encoder: JSONEncoder) -> String {
        render(run, writer: FragmentWriter(encoder: encoder))
    }

    static func render(_ run: VerifyRun, writer: FragmentWriter) -> String {
        // Encoding plain structs of strings and numbers cannot fail; a non-finite duration is the
        // one value JSON cannot hold, and Host/Report clamp it.
        guard let hosts = writer.array(run.hosts.lazy.map(Host.init)),
              let text = writer.object(fields(of: head(run), hosts: hosts, writer: writer)) else { return "{}\n" }
        return text + "\n"
    }

    /// The whole report encoded at once (the reference `render` must equal; tests compare them).
    static func renderWhole(_ run: VerifyRun, encoder: JSONEncoder = SnapshotCoding.encoder()) -> String {
        let h = head(run)
        let whole = Report(format: h.format, formatVersion: h.formatVersion, startedAt: h.startedAt,
                           durationSeconds: h.durationSeconds, totals: h.totals, patch: h.patch, hosts: run.hosts.map(Host.init))
        guard let data = try? encoder.encode(whole) else { return "{}\n" }
        return (String(data: data, encoding: .utf8) ?? "{}") + "\n"
    }

    /// The top-level fields in `Report`'s order, each value encoded on its own.
    private static func fields(of h: Head, hosts: String, writer: FragmentWriter) -> [(key: String, value: String)]? {
        guard let format = writer.value(h.format), let version = writer.value(h.formatVersion),
              let started = writer.value(h.startedAt), let duration = writer.value(h.durationSeconds),
              let totals = writer.value(h.totals) else { return nil }
        var fields = [("format", format), ("formatVersion", version), ("startedAt", started),
                      ("durationSeconds", duration), ("totals", totals)]
        if let patch = h.patch {
            guard let value = writer.value(patch) else { return nil }
            fields.append(("patch", value))
        }
        return fields + [("hosts", hosts)]
    }

    private static func head(_ run: VerifyRun) -> Head {
        Head(format: "postpatch-report", formatVersion: formatVersion,
             startedAt: run.startedAt, durationSeconds: run.durationSeconds.isFinite ? run.durationSeconds : 0,
             totals: Totals(hosts: run.hosts.count, unchecked: run.unchecked,
                            items: run.hosts.reduce(0) { $0 + $1.items.count },
                            regression: run.count(.regression), warning: run.count(.warning), info: run.count(.info)),
             patch: run.patchSummary)
    }

    /// Everything but the hosts, which are written one at a time.
    struct Head {
        var format: String
        var formatVersion: Int
        var startedAt: Date
        var durationSeconds: Double
        var totals: Totals
        var patch: FleetPatchSummary?
    }

    /// The document as one value, for `renderWhole`: its fields, in this order, are what `fields` writes.
    struct Report: Encodable {
        var format: String
        var formatVersion: Int
        var startedAt: Date
        var durationSeconds: Double
        var totals: Totals
        var patch: FleetPatchSummary?
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
        var patch: PatchRecord?
        /// `postpatch rollback`'s verdict; nil (not written) for every other run.
        var rollback: RollbackOutcome?

        init(_ h: HostVerdict) {
            host = h.host
            status = HostStatus(h).rawValue
            error = h.error
            durationSeconds = h.durationSeconds.isFinite ? h.durationSeconds : 0
            counts = Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, h.count($0)) })
            facts = h.facts
            items = h.sortedItems.map(Item.init)
            notes = h.notes
            patch = h.patch
            rollback = h.rollback
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
