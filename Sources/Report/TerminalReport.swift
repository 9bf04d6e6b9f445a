import Model

/// What `postpatch verify` prints: per host, regressions first, then warnings, then the number of
/// info findings (listed only with `verbose`), then the one-line total.
///
/// Colour is the caller's decision (terminal and NO_COLOR unset); host text is passed through
/// ``VisibleText`` so a hostile service name cannot send escape sequences to the reader's terminal.
public enum TerminalReport {
    /// Host text made safe for a terminal, one line (for lines printed outside a report).
    public static func visible(_ text: String) -> String { VisibleText.oneLine(text) }

    public static func render(_ run: VerifyRun, color: Bool, verbose: Bool = false) -> String {
        let paint = Paint(enabled: color)
        var lines: [String] = []
        for host in run.hosts {
            lines += section(host, paint: paint, verbose: verbose)
            lines.append("")
        }
        if let fleet = run.patchSummary {
            lines.append(paint(fleet.line, fleet.compliant == fleet.hosts ? .dim : .yellow))
        }
        let total = TotalLine.render(run)
        lines.append(paint(total, totalStyle(run)))
        return lines.joined(separator: "\n") + "\n"
    }

    /// A regression anywhere outranks a host not checked; otherwise the worst state colours the line.
    private static func totalStyle(_ run: VerifyRun) -> Paint.Style {
        if run.count(.regression) > 0 { return .boldRed }
        if run.unchecked > 0 { return .boldYellow }
        return run.count(.warning) > 0 ? .yellow : .boldGreen
    }

    private static func section(_ host: HostVerdict, paint: Paint, verbose: Bool) -> [String] {
        let status = HostStatus(host)
        let name = VisibleText.oneLine(host.host)
        var header = paint(name, .bold) + "  " + paint(status.label.uppercased(), paint.style(for: status))
        if let error = host.error {
            header += "  " + VisibleText.oneLine(error)
        } else {
            var counts = [Wording.count(host.items.count, "item") + " checked"]
            for severity in [Severity.regression, .warning] where host.count(severity) > 0 {
                counts.append(Wording.count(host.count(severity), severity.rawValue))
            }
            if host.count(.info) > 0 { counts.append("\(host.count(.info)) info") }
            header += "  " + paint(counts.joined(separator: ", ") + " in " + Wording.duration(host.durationSeconds), .dim)
        }
        var lines = [header]
        if let rollback = host.rollback {
            let style: Paint.Style = rollback.verdict == .restored ? .boldGreen : rollback.verdict == .notRestored ? .boldRed : .yellow
            lines.append("  rollback: " + paint(rollback.verdict.rawValue, style)
                         + rollback.details.map { "\n    " + VisibleText.oneLine($0) }.joined())
        }
        if verbose, !host.facts.isEmpty {
            let facts = host.facts.map { "\(VisibleText.oneLine($0.name)) \(VisibleText.oneLine($0.value))" }
            lines.append("  " + paint(facts.joined(separator: " · "), .dim))
        }
        if let patch = host.patch {
            lines.append("  " + paint("patch: " + VisibleText.oneLine(PatchLines.host(patch)), patch.compliant ? .dim : .yellow))
        }
        var table = TextColumns()
        let shown: [Severity] = verbose ? [.regression, .warning, .info] : [.regression, .warning]
        for severity in shown {
            for f in Wording.reviewOrder(host.findings(severity)) { table.add(row(f, paint: paint, verbose: verbose)) }
        }
        lines += table.render(indent: "  ", paint: paint)
        for note in host.notes {
            lines.append("  " + paint("note: " + VisibleText.oneLine(note), .dim))
        }
        let info = host.count(.info)
        if !verbose, info > 0 {
            lines.append("  " + paint("\(info) info (--verbose lists them)", .dim))
        }
        return lines
    }

    private static func row(_ f: Finding, paint: Paint, verbose: Bool) -> [TextColumns.Cell] {
        var message = VisibleText.oneLine(f.message)
        if verbose, let change = Wording.change(f.before.map(VisibleText.oneLine), f.after.map(VisibleText.oneLine)) {
            message += "  [\(change)]"
        }
        if let why = Wording.explanation(f) { message += "  (\(VisibleText.oneLine(why)))" }
        return [
            .init(f.severity.rawValue, paint.style(for: HostStatus(worst: f.severity))),
            .init(f.category.rawValue),
            .init(VisibleText.oneLine(f.subject)),
            .init(message),
        ]
    }
}
