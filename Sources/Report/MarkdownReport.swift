import Foundation
import Model

/// GitHub-flavoured Markdown (`--markdown FILE`) for pull-request comments and CI job summaries:
/// the total, a summary table of hosts, one of categories, then the regressions and warnings of each host.
///
/// Every piece of host text goes through ``MarkdownReport/escape(_:)``: a service called
/// `a|b` must not add a table column, and one called `<img src=x onerror=…>` must render as text.
public enum MarkdownReport {
    public static func render(_ run: VerifyRun) -> String {
        var md = "## PostPatch verification\n\n"
        md += "**\(TotalLine.render(run))** · started \(ISO8601.string(run.startedAt)) · "
        md += "took \(Wording.duration(run.durationSeconds))\n\n"
        md += "| Host | Regressions | Warnings | Info | Status |\n"
        md += "| :--- | ---: | ---: | ---: | :--- |\n"
        for host in run.hosts {
            md += "| \(escape(host.host)) | \(host.count(.regression)) | \(host.count(.warning)) | "
            md += "\(host.count(.info)) | \(statusCell(host)) |\n"
        }
        md += rollbackTable(run)
        md += categoryTable(run)
        md += patchTable(run)
        for host in run.hosts where host.error != nil || host.count(.regression) + host.count(.warning) > 0 || !host.notes.isEmpty {
            md += "\n" + details(host)
        }
        return md
    }

    /// One row per category something was checked in, in the model's order: what the HTML
    /// matrix's columns say, summed over hosts. Categories nothing was checked in are left out
    /// (most runs touch about half of them).
    private static func categoryTable(_ run: VerifyRun) -> String {
        struct Row { var hosts = 0, items = 0, regression = 0, warning = 0, info = 0 }
        var rows: [Category: Row] = [:]
        for host in run.hosts {
            var seen = Set<Category>()
            for item in host.items {
                var row = rows[item.category] ?? Row()
                if seen.insert(item.category).inserted { row.hosts += 1 }
                row.items += 1
                for f in item.findings {
                    switch f.severity {
                    case .regression: row.regression += 1
                    case .warning: row.warning += 1
                    case .info: row.info += 1
                    }
                }
                rows[item.category] = row
            }
        }
        if rows.isEmpty { return "" }
        var md = "\n| Category | Hosts | Items checked | Regressions | Warnings | Info |\n"
        md += "| :--- | ---: | ---: | ---: | ---: | ---: |\n"
        for category in Category.allCases {
            guard let r = rows[category] else { continue }
            md += "| \(category.rawValue) | \(r.hosts) | \(r.items) | \(r.regression) | \(r.warning) | \(r.info) |\n"
        }
        return md
    }

    /// The hosts' patch records, worst first, under the fleet's compliance line.
    private static func patchTable(_ run: VerifyRun) -> String {
        guard let fleet = run.patchSummary else { return "" }
        var md = "\n**\(escape(fleet.line))**\n\n"
        md += "| " + PatchLines.columns.joined(separator: " | ") + " |\n"
        md += "| :--- | :--- |" + String(repeating: " ---: |", count: 6) + " :--- | :--- | :--- | :--- | :--- | ---: |\n"
        for (host, record) in PatchLines.worstFirst(run) {
            md += "| " + PatchLines.cells(host, record).map(escape).joined(separator: " | ") + " |\n"
        }
        return md
    }

    /// `postpatch rollback`: each host's verdict and what keeps it from `restored`.
    private static func rollbackTable(_ run: VerifyRun) -> String {
        let rows = run.hosts.compactMap { h in h.rollback.map { (h.host, $0) } }
        if rows.isEmpty { return "" }
        var md = "\n| Host | Rollback | Details |\n| :--- | :--- | :--- |\n"
        for (host, r) in rows {
            let icon = r.verdict == .restored ? "✅" : r.verdict == .notRestored ? "❌" : "⚠️"
            md += "| \(escape(host)) | \(icon) \(r.verdict.rawValue) | \(r.details.map(escape).joined(separator: "<br>")) |\n"
        }
        return md
    }

    private static func statusCell(_ host: HostVerdict) -> String {
        switch HostStatus(host) {
        case .regression: return "❌ regression"
        case .warning: return "⚠️ warning"
        case .unchecked: return "⛔ not checked"
        default: return "✅ ok (\(Wording.count(host.items.count, "item")) checked)"
        }
    }

    private static func details(_ host: HostVerdict) -> String {
        var md = "### \(escape(host.host))\n\n"
        if let error = host.error {
            md += "Not checked: \(escape(error))\n"
            if host.items.isEmpty { return md }
            md += "\n"
        }
        if !host.notes.isEmpty {
            md += "| Capture notes |\n| :--- |\n" + host.notes.map { "| \(escape($0)) |\n" }.joined() + "\n"
        }
        let problems = Wording.reviewOrder(host.findings(.regression)) + Wording.reviewOrder(host.findings(.warning))
        // The notes table's blank line is the next section's to write.
        if problems.isEmpty { return md.hasSuffix("\n\n") ? String(md.dropLast()) : md }
        md += "| Severity | Category | Subject | Change | Message |\n"
        md += "| :--- | :--- | :--- | :--- | :--- |\n"
        for f in problems {
            let change = Wording.change(f.before, f.after).map(escape) ?? ""
            md += "| \(f.severity == .regression ? "❌" : "⚠️") \(f.severity.rawValue) | \(f.category.rawValue) | "
            let why = Wording.explanation(f).map { " *(\(escape($0)))*" } ?? ""
            md += "\(escape(f.subject)) | \(change) | \(escape(f.message))\(why) |\n"
        }
        let info = host.count(.info)
        if info > 0 { md += "\nAlso \(info) info finding\(info == 1 ? "" : "s") (expected changes).\n" }
        return md
    }

    /// Makes host text inert inside a table cell or heading.
    ///
    /// Backslash-escapes the characters that start Markdown constructs (`\` `` ` `` `*` `_` `[` `]`
    /// `~` `#` `$` `|`; `|` also inside code, per GFM tables), writes `<`, `>`, `&` as entities so no
    /// raw HTML or entity reaches the renderer, turns line breaks into `<br>` (ours, the only tag
    /// emitted) and makes invisible characters visible.
    public static func escape(_ text: String) -> String {
        var out = ""
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        for scalar in VisibleText.escape(normalized, keepLineBreaks: true).unicodeScalars {
            switch scalar {
            case "\\", "`", "*", "_", "[", "]", "~", "#", "$", "|":
                out += "\\"
                out.unicodeScalars.append(scalar)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\n": out += "<br>"
            case "\t": out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
