import Foundation
import Model

/// One self-contained HTML file (`--html FILE`): a matrix of hosts × categories coloured by the
/// worst finding, then per host its findings and facts.
///
/// No script, no external asset, and a Content-Security-Policy that would block them anyway: the
/// file is opened from tickets and mail, and its text comes from hosts that may be hostile.
/// Every host string is escaped by ``HTMLReport/escape(_:)``.
public enum HTMLReport {
    public static func render(_ run: VerifyRun) -> String {
        let total = TotalLine.render(run)
        var h = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="postpatch">
        <title>PostPatch: \(escape(total))</title>
        <style>
        \(HTMLStyle.css)
        </style>
        </head>
        <body>
        <main>
        <h1>PostPatch verification</h1>
        <p class="total">\(escape(total))</p>
        <p class="meta">Started \(ISO8601.string(run.startedAt)) · took \(Wording.duration(run.durationSeconds))</p>

        """
        h += matrix(run)
        h += patchTable(run)
        for (index, host) in run.hosts.enumerated() {
            h += HTMLHostSection.render(host, anchor: "host-\(index)")
        }
        h += "</main>\n</body>\n</html>\n"
        return h
    }

    private static func matrix(_ run: VerifyRun) -> String {
        let categories = run.checkedCategories
        var h = "<section class=\"card\">\n<h2>Summary</h2>\n<div class=\"scroll\">\n<table class=\"matrix\">\n<thead><tr><th>Host</th><th>Status</th>"
        h += categories.map { "<th>\($0.rawValue)</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for (index, host) in run.hosts.enumerated() {
            let status = HostStatus(host)
            h += "<tr><th class=\"host\"><a href=\"#host-\(index)\">\(escape(host.host))</a></th>"
            h += "<td class=\"cell sev-\(status.rawValue)\" data-category=\"status\">\(status.label)</td>"
            // A host not checked has no per-category state: one grey cell says why, instead of a row of "not checked".
            if let error = host.error, !categories.isEmpty {
                h += "<td class=\"cell wide sev-unchecked\" colspan=\"\(categories.count)\" data-category=\"all\">"
                h += escape(error) + "</td></tr>\n"
                continue
            }
            for category in categories {
                let cell = host.status(of: category)
                h += "<td class=\"cell sev-\(cell.rawValue)\" data-category=\"\(category.rawValue)\">"
                h += cellText(host, category, cell) + "</td>"
            }
            h += "</tr>\n"
        }
        h += "</tbody>\n</table>\n</div>\n<p class=\"legend\">"
        for s in [HostStatus.regression, .warning, .info, .ok, .unchecked, .none] {
            h += "<span class=\"sev-\(s.rawValue)\">\(s == .none ? "nothing checked" : s.label)</span>"
        }
        return h + "</p>\n</section>\n"
    }

    /// The fleet's compliance line and the hosts' patch records, worst first.
    private static func patchTable(_ run: VerifyRun) -> String {
        guard let fleet = run.patchSummary else { return "" }
        var h = "<section class=\"card\">\n<h2>Patch state</h2>\n<p class=\"total\">\(escape(fleet.line))</p>\n"
        h += "<div class=\"scroll\">\n<table class=\"patch\">\n<thead><tr>"
        h += PatchLines.columns.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for (host, record) in PatchLines.worstFirst(run) {
            let cells = PatchLines.cells(host, record)
            h += "<tr class=\"\(record.compliant ? "sev-ok" : "sev-warning")\"><th class=\"host\">\(escape(cells[0]))</th>"
            h += cells.dropFirst().map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n"
        }
        return h + "</tbody>\n</table>\n</div>\n</section>\n"
    }

    /// "2 regressions", "ok", "–": the count of the worst severity in the cell.
    private static func cellText(_ host: HostVerdict, _ category: Category, _ status: HostStatus) -> String {
        let findings = host.items.filter { $0.category == category }.flatMap(\.findings)
        switch status {
        case .regression, .warning:
            let n = findings.filter { $0.severity.rawValue == status.rawValue }.count
            return Wording.count(n, status.rawValue)
        case .info:
            return "\(findings.count) info"
        default:
            return status.label
        }
    }

    /// Text and attribute escaping (`&`, `<`, `>`, `"`, `'`), after making invisible characters visible;
    /// line breaks are kept (as LF) for the error box, which shows them.
    public static func escape(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return MarkupEscape.escape(VisibleText.escape(normalized, keepLineBreaks: true), MarkupEscape.html)
    }
}
