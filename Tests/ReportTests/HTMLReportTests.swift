import Foundation
@testable import Report
import TestSupport
import XCTest

final class HTMLReportTests: XCTestCase {
    func testSelfContainedWithPolicy() {
        let html = HTMLReport.render(SampleRuns.all)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        XCTAssertTrue(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"))
        for external in ["<script", "<link", "src=\"http", "@import", "url(", "<img"] {
            XCTAssertFalse(html.contains(external), "\(external) in HTML")
        }
        XCTAssertTrue(html.contains("&lt;img src=x onerror=alert(2)&gt;"))
        XCTAssertFalse(html.contains("\u{1B}") || html.contains("\u{202E}") || html.contains("\r"))
    }

    func testMatrixCellsCarryTheWorstSeverity() {
        let html = HTMLReport.render(SampleRuns.normal)
        let web = ReportText.matrixRow(html, "web1.example.com")
        XCTAssertTrue(web.contains("<td class=\"cell sev-regression\" data-category=\"status\">regression</td>"), web)
        XCTAssertTrue(web.contains("<td class=\"cell sev-regression\" data-category=\"services\">1 regression</td>"), web)
        XCTAssertTrue(web.contains("<td class=\"cell sev-warning\" data-category=\"updates\">1 warning</td>"), web)
        XCTAssertTrue(web.contains("<td class=\"cell sev-info\" data-category=\"packages\">4 info</td>"), web)
        XCTAssertTrue(web.contains("<td class=\"cell sev-ok\" data-category=\"dns\">ok</td>"), web)
        XCTAssertTrue(web.contains("<td class=\"cell sev-none\" data-category=\"databases\">–</td>"), web)
        let app = ReportText.matrixRow(html, "app3.example.com")
        XCTAssertTrue(app.contains("<td class=\"cell sev-unchecked\" data-category=\"status\">not checked</td>"), app)
        XCTAssertTrue(app.contains("colspan=\"8\" data-category=\"all\">ssh: connect to app3"), app)
        // Only categories something was checked in get a column ("host" never does here).
        XCTAssertFalse(html.contains("<th>host</th>"))
    }

    func testEscape() {
        XCTAssertEqual(HTMLReport.escape("<a href=\"x\" title='y'>&amp;</a>"),
                       "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;")
    }

    /// Loads the report in headless Chromium and inspects the DOM it built: the matrix exists with
    /// its classes, and the hostile strings are text, not elements. Also takes a screenshot.
    func testRendersInHeadlessChromium() throws {
        let chromium = try LabSkip.tool("chromium", package: "chromium")
        let dir = try ExternalTool.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("report.html")
        try HTMLReport.render(SampleRuns.all).write(to: file, atomically: true, encoding: .utf8)
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(dir.path)/profile"]
        let dump = try LabProcess.runBlocking(chromium, flags + ["--dump-dom", file.absoluteString])
        XCTAssertEqual(dump.status, 0, dump.stderr)
        let dom = dump.stdout
        XCTAssertTrue(dom.contains("<table class=\"matrix\">"), String(dom.prefix(500)))
        XCTAssertEqual(dom.components(separatedBy: "<td class=\"cell sev-regression\"").count - 1, 5)
        XCTAssertEqual(dom.components(separatedBy: "<td class=\"cell sev-warning\"").count - 1, 2)
        XCTAssertEqual(dom.components(separatedBy: "<td class=\"cell sev-unchecked\"").count - 1, 1)
        XCTAssertEqual(dom.components(separatedBy: "<section class=\"card host\"").count - 1, 4)
        XCTAssertFalse(dom.contains("<script"), "a script element exists in the DOM")
        XCTAssertFalse(dom.contains("<img"), "an img element exists in the DOM")
        XCTAssertTrue(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertTrue(dom.contains("&lt;img src=x onerror=alert(2)&gt;"))

        let png = dir.appendingPathComponent("report.png")
        let shot = try LabProcess.runBlocking(chromium, flags + ["--screenshot=\(png.path)", "--window-size=1280,900", file.absoluteString])
        XCTAssertEqual(shot.status, 0, shot.stderr)
        let size = (try? FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int) ?? 0
        XCTAssertGreaterThan(size, 20_000, "screenshot missing or blank")
    }
}
