import Foundation
import Model
@testable import Report
import XCTest

final class JSONReportTests: XCTestCase {
    private func parse(_ run: VerifyRun) throws -> [String: Any] {
        let text = JSONReport.render(run)
        XCTAssertTrue(text.hasSuffix("}\n"))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func testTopLevelAndTotals() throws {
        let json = try parse(SampleRuns.normal)
        XCTAssertEqual(json["format"] as? String, "postpatch-report")
        XCTAssertEqual(json["formatVersion"] as? Int, 1)
        XCTAssertEqual(json["startedAt"] as? String, "2025-11-21T12:28:13Z")
        XCTAssertEqual(json["durationSeconds"] as? Double, 12.7)
        let totals = try XCTUnwrap(json["totals"] as? [String: Int])
        XCTAssertEqual(totals, ["hosts": 3, "unchecked": 1, "items": 18, "regression": 2, "warning": 2, "info": 5])
    }

    func testHostsItemsFindings() throws {
        let hosts = try XCTUnwrap(try parse(SampleRuns.normal)["hosts"] as? [[String: Any]])
        XCTAssertEqual(hosts.map { $0["status"] as? String }, ["regression", "ok", "unchecked"])
        XCTAssertNil(hosts[0]["error"])
        XCTAssertEqual(hosts[2]["error"] as? String, SampleRuns.unreachable.error)
        XCTAssertEqual(hosts[0]["counts"] as? [String: Int], ["regression": 2, "warning": 2, "info": 5])
        let facts = try XCTUnwrap(hosts[0]["facts"] as? [[String: String]])
        XCTAssertEqual(facts.first, ["name": "os", "value": "Debian GNU/Linux 12 (bookworm)"])
        let items = try XCTUnwrap(hosts[0]["items"] as? [[String: Any]])
        XCTAssertEqual(items.count, 15)
        XCTAssertEqual(items.map { $0["category"] as? String }.first, "system", "items in category order")
        let nginx = try XCTUnwrap(items.first { $0["subject"] as? String == "nginx.service" })
        XCTAssertEqual(nginx["status"] as? String, "regression")
        let finding = try XCTUnwrap((nginx["findings"] as? [[String: Any]])?.first)
        XCTAssertEqual(finding["kind"] as? String, "service-stopped")
        XCTAssertEqual(finding["before"] as? String, "active/running")
        XCTAssertEqual(finding["after"] as? String, "failed/failed")
        XCTAssertEqual(finding["host"] as? String, "web1.example.com")
        let ssh = try XCTUnwrap(items.first { $0["subject"] as? String == "ssh.service" })
        XCTAssertEqual(ssh["status"] as? String, "ok")
        XCTAssertEqual((ssh["findings"] as? [Any])?.count, 0)
    }

    /// JSON is the one format that keeps host text byte for byte: consumers may need the original.
    func testHostileTextIsExactAfterDecoding() throws {
        let hosts = try XCTUnwrap(try parse(SampleRuns.all)["hosts"] as? [[String: Any]])
        let evil = try XCTUnwrap(hosts.last)
        XCTAssertEqual(evil["host"] as? String, "evil-" + SampleRuns.hostile)
        let item = try XCTUnwrap((evil["items"] as? [[String: Any]])?.first { $0["category"] as? String == "services" })
        XCTAssertEqual(item["subject"] as? String, SampleRuns.hostile)
    }

    func testNonFiniteDurationsStillEncode() throws {
        var run = SampleRuns.normal
        run.durationSeconds = .infinity
        run.hosts[0].durationSeconds = .nan
        let json = try parse(run)
        XCTAssertEqual(json["durationSeconds"] as? Double, 0)
    }

    /// The report is written host by host; the text must be exactly what encoding it whole gives.
    func testHostByHostEqualsEncodingTheWhole() {
        let empty = VerifyRun(startedAt: SampleRuns.started, durationSeconds: 0, hosts: [])
        for run in [SampleRuns.normal, SampleRuns.all, empty] {
            XCTAssertEqual(JSONReport.render(run), JSONReport.renderWhole(run))
        }
    }
}
