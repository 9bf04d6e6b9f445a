import Foundation
import Model
@testable import Report
import XCTest

final class PrometheusReportTests: XCTestCase {
    let end = SampleRuns.started.addingTimeInterval(12.7)

    func testSamples() {
        let text = PrometheusReport.render(SampleRuns.normal, timestamp: end)
        XCTAssertTrue(text.contains("""
        # HELP postpatch_findings Findings of the last postpatch run, by host and severity.
        # TYPE postpatch_findings gauge
        postpatch_findings{host="web1.example.com",severity="regression"} 2
        postpatch_findings{host="web1.example.com",severity="warning"} 2
        postpatch_findings{host="web1.example.com",severity="info"} 5
        postpatch_findings{host="db1.example.com",severity="regression"} 0
        """), text)
        XCTAssertTrue(text.contains("postpatch_host_up{host=\"db1.example.com\"} 1\npostpatch_host_up{host=\"app3.example.com\"} 0\n"))
        XCTAssertTrue(text.contains("\npostpatch_last_run_timestamp_seconds 1763728105.700\n"))
        XCTAssertTrue(text.contains("\npostpatch_run_duration_seconds 12.700\n"))
        XCTAssertEqual(text.components(separatedBy: "postpatch_findings{").count - 1, 9)
        XCTAssertEqual(try PrometheusExpositionChecker.check(text), 14)
    }

    func testLabelEscaping() {
        XCTAssertEqual(PrometheusReport.label("a\\b\"c\nd\r\ne"), "a\\\\b\\\"c\\nd\\ne")
        XCTAssertEqual(PrometheusReport.label("x\u{1B}y"), "x\\\\u{1B}y")
    }

    func testHostileHostNamesStayValid() throws {
        let text = PrometheusReport.render(SampleRuns.all, timestamp: end)
        XCTAssertEqual(try PrometheusExpositionChecker.check(text), 18)
    }

    func testDuplicateHostsMergeIntoOneSeries() throws {
        let run = VerifyRun(startedAt: SampleRuns.started, durationSeconds: .nan,
                            hosts: [SampleRuns.web, SampleRuns.web, HostVerdict(host: "web1.example.com", error: "timeout")])
        let text = PrometheusReport.render(run, timestamp: end)
        XCTAssertEqual(try PrometheusExpositionChecker.check(text), 6)
        XCTAssertTrue(text.contains("postpatch_findings{host=\"web1.example.com\",severity=\"regression\"} 4\n"))
        XCTAssertTrue(text.contains("postpatch_host_up{host=\"web1.example.com\"} 0\n"))
        XCTAssertTrue(text.contains("postpatch_run_duration_seconds 0\n"))
    }

    func testEmptyRun() throws {
        let text = PrometheusReport.render(SampleRuns.empty, timestamp: end)
        XCTAssertEqual(try PrometheusExpositionChecker.check(text), 2)
    }

    /// The checker itself must reject what node_exporter rejects.
    func testCheckerRejectsBrokenInput() {
        let bad = [
            "# TYPE m gauge\nm{host=\"a\nb\"} 1\n",             // raw newline in a label
            "# TYPE m gauge\nm{host=\"a\\x\"} 1\n",             // unknown escape
            "# TYPE m gauge\nm{host=\"a\"} 1\nm{host=\"a\"} 2\n", // duplicate series
            "m 1\n",                                            // no TYPE
            "# TYPE m gauge\nm 1 1700000000000\n",              // timestamp (textfile collector refuses)
            "# TYPE m gauge\nm{host=\"a\"} one\n",              // not a number
            "# TYPE m gauge\nm 1",                              // no final newline
        ]
        for text in bad {
            XCTAssertThrowsError(try PrometheusExpositionChecker.check(text), text.debugDescription)
        }
    }
}
