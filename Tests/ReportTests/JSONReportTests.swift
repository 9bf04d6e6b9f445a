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

    /// Every host is in the document, whatever the encoder's layout: the report is written
    /// structurally, never found again by searching the encoder's text (which dropped every
    /// host silently as soon as that text differed from what the search expected).
    func testHostsAreNeverDroppedWhateverTheLayout() throws {
        var run = SampleRuns.all
        for i in 0..<40 { run.hosts.append(SampleRuns.db.renamed("db\(i)")) }
        let layouts: [JSONEncoder.OutputFormatting] = [[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes],
                                                       [.sortedKeys], [.sortedKeys, .withoutEscapingSlashes]]
        for layout in layouts {
            let encoder = SnapshotCoding.encoder()
            encoder.outputFormatting = layout
            let text = JSONReport.render(run, encoder: encoder)
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(layout): \(text.prefix(300))")
            let hosts = try XCTUnwrap(json["hosts"] as? [[String: Any]], "\(layout)")
            XCTAssertEqual(hosts.map { $0["host"] as? String }, run.hosts.map(\.host), "\(layout)")
            XCTAssertTrue(text == JSONReport.renderWhole(run, encoder: encoder), "\(layout): not the text of encoding the whole")
        }
    }

    /// Host text that looks like the document's own structure stays inside its host.
    func testHostTextShapedLikeTheDocumentStaysInItsHost() throws {
        var run = SampleRuns.normal
        for name in ["\"hosts\" : [\n\n  ]", "\"hosts\" : []", "],\n  \"startedAt\" : \"x\"", "}\n,{"] {
            run.hosts.append(SampleRuns.db.renamed(name))
        }
        let hosts = try XCTUnwrap(try parse(run)["hosts"] as? [[String: Any]])
        XCTAssertEqual(hosts.map { $0["host"] as? String }, run.hosts.map(\.host))
        XCTAssertEqual(JSONReport.render(run), JSONReport.renderWhole(run))
    }
}

private extension HostVerdict {
    func renamed(_ name: String) -> HostVerdict {
        var h = self
        h.host = name
        return h
    }
}
