import Model

/// What `postpatch show` says about the declared HTTP and command checks: a count line each for
/// the facts table ("2 (1 failed: health: status 502, expected 200)", "3 (all passed)") and one
/// row per check in the Probes block. A command's excerpt is whatever it printed, and names and
/// failure lines may quote it: every part is cut and made visible.
enum SnapshotDeclaredCheckLines {
    static let maxName = 40
    static let maxDetail = 80
    /// Failed checks named in the count line.
    static let maxNamed = 3

    static func http(_ checks: [HTTPCheckResult]) -> TextColumns.Cell? {
        countLine(checks.map { ($0.name, $0.failed) })
    }

    static func commands(_ commands: [CommandResult]) -> TextColumns.Cell? {
        countLine(commands.map { ($0.name, $0.failed) })
    }

    /// Rows for the Probes table: kind, subject, passed or failed, detail.
    static func rows(_ s: Snapshot) -> [[TextColumns.Cell]] {
        let clip = VisibleText.clipped
        var rows: [[TextColumns.Cell]] = []
        for c in s.httpChecks {
            var detail: [String] = []
            let failed = clip(c.failed.joined(separator: "; "), maxDetail)
            if c.passed {
                if let status = c.status { detail.append("status \(status)") }
                if let location = c.location { detail.append("→ " + clip(location, maxName)) }
                if let ms = c.latencyMs, ms.isFinite { detail.append(Wording.milliseconds(ms)) }
            } else {
                detail.append(failed)
            }
            // The failed lines usually quote the error already (compared as shown: short).
            if let error = c.error.map({ clip($0, maxDetail) }), !failed.contains(error) { detail.append(error) }
            rows.append(row("http", clip(c.subject, maxName + 20), c.passed, detail))
        }
        for c in s.commands {
            var detail: [String] = []
            if c.passed {
                if c.timedOut { detail.append("timed out") } else if let exit = c.exit { detail.append("exit \(exit)") }
                detail.append(Wording.count(c.outputBytes, "byte"))
            } else {
                // The failed expectations name the exit; the output's first line often says why.
                detail.append(clip(c.failed.joined(separator: "; "), maxDetail))
                // Only as much of the excerpt as can be shown is read: it may be megabytes on one line.
                let first = c.excerpt.prefix(maxName + 1).prefix { !$0.isNewline }
                if !first.isEmpty { detail.append("“" + clip(String(first), maxName) + "”") }
            }
            rows.append(row("command", clip(c.name, maxName), c.passed, detail))
        }
        return rows
    }

    private static func row(_ kind: String, _ subject: String, _ passed: Bool, _ detail: [String]) -> [TextColumns.Cell] {
        [.init(kind), .init(subject), .init(passed ? "passed" : "failed", passed ? .green : .red),
         .init(detail.joined(separator: ", "), .dim)]
    }

    /// nil when nothing is declared; a lone failure is named with its first failed expectation.
    private static func countLine(_ checks: [(name: String, failed: [String])]) -> TextColumns.Cell? {
        guard !checks.isEmpty else { return nil }
        let failing = checks.filter { !$0.failed.isEmpty }
        guard let first = failing.first else { return .init("\(checks.count) (all passed)") }
        let named: String
        if failing.count == 1 {
            named = VisibleText.clipped(first.name, maxName) + ": " + VisibleText.clipped(first.failed[0], maxDetail)
        } else {
            named = failing.prefix(maxNamed).map { VisibleText.clipped($0.name, maxName) }.joined(separator: ", ")
                + (failing.count > maxNamed ? ", …" : "")
        }
        return .init("\(checks.count) (\(failing.count) failed: \(named))", .red)
    }
}
