import Model
@testable import Report
import XCTest

final class TerminalReportTests: XCTestCase {
    func testRegressionsThenWarningsThenInfoCount() {
        let out = TerminalReport.render(SampleRuns.normal, color: false)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let web = lines.firstIndex { $0.hasPrefix("web1.example.com  REGRESSION") } ?? -1
        XCTAssertGreaterThanOrEqual(web, 0, out)
        XCTAssertEqual(Array(lines[(web + 1)...(web + 5)]).map { String($0.prefix(14)) }, [
            "  regression  ", "  regression  ", "  warning     ", "  warning     ", "  5 info (--ve",
        ], out)
        XCTAssertTrue(lines[web].contains("15 items checked, 2 regressions, 2 warnings, 5 info in 3.4 s"), lines[web])
        // Columns line up: the subject column starts at the same offset on every finding line.
        let findingLines = lines[(web + 1)...(web + 4)]
        let starts = Set(findingLines.map { Array(ReportText.columnStarts($0).prefix(4)) })
        XCTAssertEqual(starts.count, 1, "misaligned:\n" + findingLines.joined(separator: "\n"))
        XCTAssertFalse(out.contains("openssl upgraded"), "info listed without verbose")
        XCTAssertFalse(out.contains("\u{1B}"), "colour codes without color")
        XCTAssertTrue(lines.contains("db1.example.com  OK  3 items checked in 1.9 s"), out)
        XCTAssertTrue(lines.contains { $0.hasPrefix("app3.example.com  NOT CHECKED  ssh: connect to app3") }, out)
        XCTAssertEqual(lines.suffix(2), ["3 hosts: 2 regressions, 2 warnings, 5 info, 1 host not checked", ""])
        XCTAssertFalse(lines.contains { $0.hasSuffix(" ") }, "trailing spaces")
    }

    func testVerboseListsInfoFactsAndChanges() {
        let out = TerminalReport.render(SampleRuns.normal, color: false, verbose: true)
        XCTAssertTrue(out.contains("  os Debian GNU/Linux 12 (bookworm) · kernel 6.1.0-27-amd64 → 6.1.0-28-amd64"), out)
        XCTAssertTrue(out.contains("openssl upgraded  [3.0.14-1~deb12u2 → 3.0.15-1~deb12u1]"), out)
        XCTAssertFalse(out.contains("--verbose lists them"))
    }

    func testColourOnlyWhenAsked() {
        let out = TerminalReport.render(SampleRuns.normal, color: true)
        XCTAssertTrue(out.contains("\u{1B}[1;31mREGRESSION\u{1B}[0m"))
        XCTAssertTrue(out.contains("\u{1B}[32mOK\u{1B}[0m"))
        XCTAssertTrue(out.contains("\u{1B}[1;31m3 hosts: 2 regressions"))
    }

    func testHostileTextCannotDriveTheTerminal() {
        for color in [false, true] {
            let out = TerminalReport.render(SampleRuns.all, color: color, verbose: true)
            let escapes = out.components(separatedBy: "\u{1B}[").count - 1
            let ours = out.components(separatedBy: "\u{1B}[0m").count - 1
            XCTAssertEqual(escapes, ours * 2, "an escape that is not ours")
            XCTAssertFalse(out.contains("\u{1B}[2J"))
            XCTAssertFalse(out.contains("\u{202E}") || out.contains("\u{85}") || out.contains("\r"))
            XCTAssertTrue(out.contains("\\u{1B}[2J"))
            // One finding stays one line: the hostile CR LF became a visible mark.
            XCTAssertTrue(out.contains("evil\\u{2066} ⏎ line2 tab 🎉"))
        }
    }

    func testTotalLine() {
        XCTAssertEqual(TotalLine.render(SampleRuns.all), "4 hosts: 4 regressions, 3 warnings, 6 info, 1 host not checked")
        XCTAssertEqual(TotalLine.render(SampleRuns.empty), "0 hosts: 0 regressions, 0 warnings, 0 info")
        let one = VerifyRun(startedAt: SampleRuns.started, durationSeconds: 1, hosts: [SampleRuns.db])
        XCTAssertEqual(TotalLine.render(one), "1 host: 0 regressions, 0 warnings, 0 info")
        XCTAssertEqual(TerminalReport.render(SampleRuns.empty, color: false), "0 hosts: 0 regressions, 0 warnings, 0 info\n")
    }
}
