import Foundation
@testable import Report
import TestSupport
import XCTest

final class MarkdownReportTests: XCTestCase {
    func testSummaryTableThenDetails() {
        let md = MarkdownReport.render(SampleRuns.normal)
        XCTAssertTrue(md.hasPrefix("## PostPatch verification\n\n**3 hosts: 2 regressions, 2 warnings, 5 info, 1 host not checked**"))
        XCTAssertTrue(md.contains("""
        | Host | Regressions | Warnings | Info | Status |
        | :--- | ---: | ---: | ---: | :--- |
        | web1.example.com | 2 | 2 | 5 | ❌ regression |
        | db1.example.com | 0 | 0 | 0 | ✅ ok (3 items checked) |
        | app3.example.com | 0 | 0 | 0 | ⛔ not checked |

        | Category | Hosts | Items checked | Regressions | Warnings | Info |
        """), md)
        // The categories table: every category something was checked in, counts summed over hosts.
        XCTAssertTrue(md.contains("\n| system | 1 | 1 | 0 | 0 | 1 |\n| services | 2 | 5 | 1 | 1 | 0 |\n"), md)
        XCTAssertTrue(md.contains("\n| databases | 1 | 1 | 0 | 0 | 0 |\n\n### web1.example.com\n"), md)
        XCTAssertFalse(md.contains("\n| host | "), "nothing was checked in host")
        XCTAssertTrue(md.contains("### web1.example.com\n"))
        // A clean host gets details only for what its capture could not do.
        XCTAssertTrue(md.contains("### db1.example.com\n\n| Capture notes |\n| :--- |\n| pending updates not captured: timed out after 90 s (step updates.apt): raise --updates-timeout |\n\n"), md)
        XCTAssertFalse(md.contains("### db1.example.com\n\n| Capture notes |\n| :--- |\n| pending updates not captured: timed out after 90 s (step updates.apt): raise --updates-timeout |\n\n| Severity"), "no empty findings table")
        XCTAssertTrue(md.contains("### app3.example.com\n\nNot checked: ssh: connect to app3.example.com:22 timed out"))
        XCTAssertTrue(md.contains("| ❌ regression | services | nginx.service | active/running → failed/failed | nginx.service was running"))
        XCTAssertTrue(md.contains("Also 5 info findings (expected changes)."))
        XCTAssertFalse(md.contains("openssl upgraded"), "info findings are counted, not listed")
    }

    func testEscapeNeutralisesMarkup() {
        XCTAssertEqual(MarkdownReport.escape("a|b"), "a\\|b")
        XCTAssertEqual(MarkdownReport.escape("`x` *y* _z_"), "\\`x\\` \\*y\\* \\_z\\_")
        XCTAssertEqual(MarkdownReport.escape("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;")
        XCTAssertEqual(MarkdownReport.escape("a\r\nb\nc\rd"), "a<br>b<br>c<br>d")
        XCTAssertEqual(MarkdownReport.escape("&amp; [l](u) \\"), "&amp;amp; \\[l\\](u) \\\\")
        XCTAssertEqual(MarkdownReport.escape("\u{1B}[31m"), "\\\\u{1B}\\[31m")
    }

    /// Every table row has as many cells as its header, in any row the text came from a hostile host.
    func testHostileTextKeepsTablesIntact() {
        let md = MarkdownReport.render(SampleRuns.all)
        var expected = 0
        for line in md.split(separator: "\n").map(String.init) where line.hasPrefix("|") {
            let cells = unescapedPipes(line) - 1
            if line.hasPrefix("| Host") || line.hasPrefix("| Category") || line.hasPrefix("| Severity")
                || line.hasPrefix("| Capture notes") { expected = cells }
            XCTAssertEqual(cells, expected, line)
        }
        XCTAssertFalse(md.contains("<script") || md.contains("<img"))
        XCTAssertFalse(md.contains("\u{1B}") || md.contains("\r") || md.contains("\u{202E}"))
    }

    /// Renders with cmark-gfm (GitHub's own renderer) and checks the HTML: the table shape holds,
    /// and the only elements the host text produced are our `<br>`s.
    func testRendersSafelyWithCmarkGFM() throws {
        let cmark = try LabSkip.tool("cmark-gfm", package: "cmark-gfm")
        let dir = try ExternalTool.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("report.md")
        try MarkdownReport.render(SampleRuns.all).write(to: file, atomically: true, encoding: .utf8)
        let r = try LabProcess.runBlocking(cmark, ["--unsafe", "--extension", "table", "--extension", "strikethrough",
                                             "--extension", "autolink", file.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let html = r.stdout
        for forbidden in ["<script", "<img", "<a ", "<em>", "<code>", "<del>", "<h1", "<ul", "<ol"] {
            XCTAssertFalse(html.contains(forbidden), "\(forbidden) in rendered Markdown")
        }
        XCTAssertEqual(html.components(separatedBy: "<strong>").count - 1, 1, "only the total is bold")
        // The hosts, the categories, web1's and the evil host's findings, db1's and the evil host's capture notes: six.
        XCTAssertEqual(html.components(separatedBy: "<table>").count - 1, 6)
        for table in html.components(separatedBy: "<table>").dropFirst() {
            let width = table.contains("Capture notes") ? 1 : table.contains(">Hosts</th>") ? 6 : 5
            for row in table.components(separatedBy: "<tr>").dropFirst() {
                let cells = ["<td>", "<td ", "<th>", "<th "].reduce(0) { $0 + row.components(separatedBy: $1).count - 1 }
                XCTAssertEqual(cells, width, row)
            }
        }
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; 'a' ]]&gt; | `tick` *b* _i_ [l](x) #h $m$ ~s~ \\ \\u{01}\\u{1B}[2J"))
        XCTAssertTrue(html.contains("<h3>evil-&lt;script&gt;"))
    }

    private func unescapedPipes(_ line: String) -> Int {
        var count = 0
        var backslashes = 0
        for c in line {
            if c == "|", backslashes % 2 == 0 { count += 1 }
            backslashes = c == "\\" ? backslashes + 1 : 0
        }
        return count
    }
}
