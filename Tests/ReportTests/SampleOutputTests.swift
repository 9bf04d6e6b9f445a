import Foundation
import Model
import Report
import TestSupport
import XCTest

/// Writes every format for the sample runs to `$REPORT_SAMPLES_DIR` when set: the excerpts in
/// docs/reports.md are copied from there, so the documentation shows real renderer output.
final class SampleOutputTests: XCTestCase {
    func testWriteSamples() throws {
        let dir = try LabSkip.optIn("REPORT_SAMPLES_DIR", "to write sample reports")
        let url = URL(fileURLWithPath: dir)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let end = SampleRuns.started.addingTimeInterval(SampleRuns.normal.durationSeconds)
        let outputs: [(String, String)] = [
            ("terminal.txt", TerminalReport.render(SampleRuns.normal, color: false)),
            ("terminal-verbose.txt", TerminalReport.render(SampleRuns.normal, color: false, verbose: true)),
            ("terminal-color.txt", TerminalReport.render(SampleRuns.normal, color: true)),
            ("terminal-hostile.txt", TerminalReport.render(SampleRuns.all, color: false, verbose: true)),
            ("junit.xml", JUnitReport.render(SampleRuns.normal, hostname: "ci-runner-01")),
            ("junit-hostile.xml", JUnitReport.render(SampleRuns.all, hostname: "ci-runner-01")),
            ("report.md", MarkdownReport.render(SampleRuns.normal)),
            ("report-hostile.md", MarkdownReport.render(SampleRuns.all)),
            ("report.html", HTMLReport.render(SampleRuns.normal)),
            ("report-hostile.html", HTMLReport.render(SampleRuns.all)),
            ("report.json", JSONReport.render(SampleRuns.normal)),
            ("postpatch.prom", PrometheusReport.render(SampleRuns.all, timestamp: end)),
            ("snapshot.txt", SnapshotSummary.render(SampleSnapshot.web, color: false)),
            ("terminal-categories.txt", TerminalReport.render(SampleCategoryRuns.shops, color: false)),
            ("junit-categories.xml", JUnitReport.render(SampleCategoryRuns.shops, hostname: "ci-runner-01")),
            ("report-categories.md", MarkdownReport.render(SampleCategoryRuns.shops)),
            ("report-categories.html", HTMLReport.render(SampleCategoryRuns.shops)),
            ("report-every-category.html", HTMLReport.render(SampleCategoryRuns.all)),
            ("report-categories.json", JSONReport.render(SampleCategoryRuns.shops)),
        ]
        for (name, text) in outputs {
            try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }
}
