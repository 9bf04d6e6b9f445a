import Foundation
import Model
@testable import Report
import XCTest
import TestSupport

/// A JSON report written by an earlier version (Tests/Fixtures/schema/b4d43cb/report.json, from
/// `verify --json`) still reads: its `processes` category is the outdated section now.
final class KeptReportTests: XCTestCase {
    func testEarlierReportReads() throws {
        let path = FuzzCorpus.packageRoot.appendingPathComponent("Tests/Fixtures/schema/b4d43cb/report.json")
        let text = try String(contentsOf: path, encoding: .utf8)
        XCTAssertTrue(text.contains("\"category\" : \"processes\""), "the kept file is the old vocabulary")
        let run = try JSONReportReader.read(Data(text.utf8))
        let host = try XCTUnwrap(run.hosts.first)
        XCTAssertEqual(host.host, "local")
        XCTAssertEqual(host.items.filter { $0.category == .section(.outdated) }.count, 2)
        XCTAssertEqual(host.findings.map(\.kind), [.httpCheckFailed])
        XCTAssertEqual(host.findings.first?.category, .section(.http))
    }
}
