import Foundation
import Model
@testable import Report
import XCTest

/// A rollback's verdict in every report: absent unless set, then a line per host.
final class RollbackReportTests: XCTestCase {
    private var run: VerifyRun {
        var run = SampleRuns.normal
        run.hosts[0].rollback = RollbackOutcome(verdict: .notRestored, details: ["openssl is 3.0.13-1, baseline 3.0.11-1", "a|b <x>"])
        run.hosts[1].rollback = RollbackOutcome(verdict: .restored)
        return run
    }

    func testJSONWritesRollbackOnlyWhenSet() throws {
        XCTAssertFalse(JSONReport.render(SampleRuns.normal).contains("\"rollback\""), "nil is not written")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(JSONReport.render(run).utf8)) as? [String: Any])
        let hosts = try XCTUnwrap(json["hosts"] as? [[String: Any]])
        XCTAssertEqual((hosts[0]["rollback"] as? [String: Any])?["verdict"] as? String, "not-restored")
        XCTAssertEqual((hosts[0]["rollback"] as? [String: Any])?["details"] as? [String], ["openssl is 3.0.13-1, baseline 3.0.11-1", "a|b <x>"])
        XCTAssertEqual((hosts[1]["rollback"] as? [String: Any])?["verdict"] as? String, "restored")
        XCTAssertNil(hosts[2]["rollback"])
    }

    func testTerminalMarkdownHTMLAndJUnitShowTheVerdict() {
        let text = TerminalReport.render(run, color: false)
        XCTAssertTrue(text.contains("  rollback: not-restored\n    openssl is 3.0.13-1, baseline 3.0.11-1\n"), text)
        XCTAssertTrue(text.contains("  rollback: restored\n"), text)
        XCTAssertFalse(TerminalReport.render(SampleRuns.normal, color: false).contains("rollback"))

        let md = MarkdownReport.render(run)
        XCTAssertTrue(md.contains("| Host | Rollback | Details |"), md)
        XCTAssertTrue(md.contains("| ❌ not-restored | openssl is 3.0.13-1, baseline 3.0.11-1<br>a\\|b &lt;x&gt; |"), md)
        XCTAssertTrue(md.contains("| ✅ restored |  |"), md)
        XCTAssertFalse(MarkdownReport.render(SampleRuns.normal).contains("Rollback"))

        let html = HTMLReport.render(run)
        XCTAssertTrue(html.contains("<strong>Rollback: not-restored</strong><br>openssl is 3.0.13-1, baseline 3.0.11-1<br>a|b &lt;x&gt;"), html)

        let xml = JUnitReport.render(run, hostname: "ci")
        XCTAssertTrue(xml.contains("name=\"rollback\""), xml)
        XCTAssertTrue(xml.contains("type=\"not-restored\""), xml)
        XCTAssertEqual(xml.components(separatedBy: "name=\"rollback\"").count - 1, 2, "one testcase per rolled-back host")
        XCTAssertFalse(JUnitReport.render(SampleRuns.normal, hostname: "ci").contains("rollback"))
    }
}
