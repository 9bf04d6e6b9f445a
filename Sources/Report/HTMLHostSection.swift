import Model

/// One host's card in the HTML report: status, error, regressions and warnings, info (folded),
/// facts. A `<details>` element folds info without needing any script.
enum HTMLHostSection {
    static func render(_ host: HostVerdict, anchor: String) -> String {
        let e = HTMLReport.escape
        let status = HostStatus(host)
        var h = "<section class=\"card host\" id=\"\(anchor)\">\n<h2><span class=\"text\">\(e(host.host))</span> "
        h += "<span class=\"badge sev-\(status.rawValue)\">\(status.label)</span>"
        if host.error == nil {
            let counts = [
                Wording.count(host.items.count, "item") + " checked",
                Wording.count(host.count(.regression), "regression"),
                Wording.count(host.count(.warning), "warning"),
                "\(host.count(.info)) info", Wording.duration(host.durationSeconds),
            ]
            h += "<span class=\"counts\">\(counts.joined(separator: " · "))</span>"
        }
        h += "</h2>\n"
        if let error = host.error {
            h += "<p class=\"error text\">Not checked: \(e(error))</p>\n"
        }
        if let rollback = host.rollback {
            h += "<p class=\"rollback text\"><strong>Rollback: \(e(rollback.verdict.rawValue))</strong>"
            h += rollback.details.map { "<br>" + e($0) }.joined() + "</p>\n"
        }
        let problems = Wording.reviewOrder(host.findings(.regression)) + Wording.reviewOrder(host.findings(.warning))
        if !problems.isEmpty {
            h += "<h3>Regressions and warnings</h3>\n" + table(problems)
        } else if host.error == nil {
            h += "<p class=\"muted\">No regressions or warnings.</p>\n"
        }
        let info = host.findings(.info)
        if !info.isEmpty {
            h += "<details><summary>\(Wording.count(info.count, "info finding")) (expected changes)</summary>\n"
            h += table(info) + "</details>\n"
        }
        if !host.notes.isEmpty {
            h += "<h3>Capture notes</h3>\n<ul class=\"notes\">\n"
            h += host.notes.map { "<li class=\"text\">\(e($0))</li>\n" }.joined() + "</ul>\n"
        }
        if !host.facts.isEmpty {
            h += "<h3>Facts</h3>\n<table class=\"facts\">\n"
            for fact in host.facts {
                h += "<tr><th class=\"text\">\(e(fact.name))</th><td class=\"mono\">\(e(fact.value))</td></tr>\n"
            }
            h += "</table>\n"
        }
        return h + "</section>\n"
    }

    private static func table(_ findings: [Finding]) -> String {
        let e = HTMLReport.escape
        var h = "<table class=\"findings\">\n<thead><tr><th>Severity</th><th>Category</th><th>Subject</th>"
        h += "<th>Change</th><th>Message</th></tr></thead>\n<tbody>\n"
        for f in findings {
            let change = Wording.change(f.before, f.after).map(e) ?? ""
            h += "<tr class=\"finding\"><td class=\"sev sev-cell-\(f.severity.rawValue)\">\(f.severity.rawValue)</td>"
            h += "<td>\(f.category.rawValue)</td><td class=\"mono\">\(e(f.subject))</td>"
            h += "<td class=\"mono\">\(change)</td><td class=\"text\">\(e(f.message))"
            if let why = Wording.explanation(f) {
                h += "<div class=\"explained\(f.unexplained ? " unexplained" : "")\">\(e(why))</div>"
            }
            h += "<div class=\"kind\">\(e(f.kind.rawValue))</div></td></tr>\n"
        }
        return h + "</tbody>\n</table>\n"
    }
}
