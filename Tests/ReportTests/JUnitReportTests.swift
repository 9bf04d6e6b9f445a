import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Model
@testable import Report
import TestSupport
import XCTest

final class JUnitReportTests: XCTestCase {
    func testValidatesAgainstBothSchemas() throws {
        let xmllint = try LabSkip.tool("xmllint", package: "libxml2-utils")
        let dir = try ExternalTool.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let runs: [(String, VerifyRun)] = [
            ("all", SampleRuns.all), ("normal", SampleRuns.normal), ("empty", SampleRuns.empty),
            ("shops", SampleCategoryRuns.shops), ("categories", SampleCategoryRuns.all),
            ("unreachable", VerifyRun(startedAt: SampleRuns.started, durationSeconds: .nan, hosts: [SampleRuns.unreachable])),
            ("rollback", { () -> VerifyRun in
                var run = SampleRuns.normal
                run.hosts[0].rollback = RollbackOutcome(verdict: .notRestored, details: ["openssl is 3.0.13-1, baseline 3.0.11-1"])
                run.hosts[1].rollback = RollbackOutcome(verdict: .restored)
                return run
            }()),
        ]
        for (name, run) in runs {
            let file = dir.appendingPathComponent("\(name).xml")
            try JUnitReport.render(run, hostname: "ci-runner-01").write(to: file, atomically: true, encoding: .utf8)
            for schema in ["junit-jenkins-10.xsd", "junit-windyroad.xsd"] {
                let xsd = ExternalTool.sharedDir.appendingPathComponent("schemas/\(schema)").path
                let r = try LabProcess.runBlocking(xmllint, ["--noout", "--schema", xsd, file.path])
                XCTAssertEqual(r.status, 0, "\(name).xml against \(schema): \(r.stderr)")
            }
        }
    }

    func testOneSuitePerHostOneCasePerItem() throws {
        let doc = try XMLDocument(xmlString: JUnitReport.render(SampleRuns.normal, hostname: "runner"))
        let root = try XCTUnwrap(doc.rootElement())
        XCTAssertEqual(root.name, "testsuites")
        XCTAssertEqual(root.attributes ?? [], [])
        let suites = root.elements(forName: "testsuite")
        XCTAssertEqual(suites.map { $0.attribute(forName: "name")?.stringValue }, ["web1.example.com", "db1.example.com", "app3.example.com"])
        XCTAssertEqual(suites.map { $0.attribute(forName: "id")?.stringValue }, ["0", "1", "2"])

        let web = suites[0]
        XCTAssertEqual(web.attribute(forName: "tests")?.stringValue, "15")
        XCTAssertEqual(web.attribute(forName: "failures")?.stringValue, "2")
        XCTAssertEqual(web.attribute(forName: "errors")?.stringValue, "0")
        XCTAssertEqual(web.attribute(forName: "hostname")?.stringValue, "runner")
        XCTAssertEqual(web.attribute(forName: "timestamp")?.stringValue, "2025-11-21T12:28:13")
        XCTAssertEqual(web.attribute(forName: "time")?.stringValue, "3.420")
        XCTAssertEqual(web.children?.compactMap(\.name).first, "properties")
        XCTAssertEqual(Array(web.children?.compactMap(\.name).suffix(2) ?? []), ["system-out", "system-err"])
        let props = web.elements(forName: "properties")[0].elements(forName: "property")
        XCTAssertEqual(props.first?.attribute(forName: "name")?.stringValue, "os")
        XCTAssertEqual(props.first?.attribute(forName: "value")?.stringValue, "Debian GNU/Linux 12 (bookworm)")

        let cases = web.elements(forName: "testcase")
        XCTAssertEqual(cases.count, 15)
        let nginx = try XCTUnwrap(cases.first { $0.attribute(forName: "name")?.stringValue == "nginx.service" })
        XCTAssertEqual(nginx.attribute(forName: "classname")?.stringValue, "web1.example.com.services")
        let failure = try XCTUnwrap(nginx.elements(forName: "failure").first)
        XCTAssertEqual(failure.attribute(forName: "type")?.stringValue, "service-stopped")
        XCTAssertEqual(failure.attribute(forName: "message")?.stringValue, "nginx.service was running before the patch and is failed now")
        XCTAssertTrue(failure.stringValue?.contains("active/running → failed/failed") == true)
        // A warning leaves its testcase passing and is told in the suite's system-out.
        let upgrades = try XCTUnwrap(cases.first { $0.attribute(forName: "name")?.stringValue == "unattended-upgrades.service" })
        XCTAssertEqual(upgrades.childCount, 0)
        let out = web.elements(forName: "system-out")[0].stringValue ?? ""
        XCTAssertTrue(out.hasPrefix("warning services unattended-upgrades.service:"), out)
        XCTAssertTrue(out.contains("info packages openssl: openssl upgraded (3.0.14-1~deb12u2 → 3.0.15-1~deb12u1)"))
    }

    func testUnreachableHostIsOneErroredCase() throws {
        let doc = try XMLDocument(xmlString: JUnitReport.render(SampleRuns.normal, hostname: ""))
        let suite = try XCTUnwrap(doc.rootElement()?.elements(forName: "testsuite").last)
        XCTAssertEqual(suite.attribute(forName: "hostname")?.stringValue, "localhost")
        XCTAssertEqual(suite.attribute(forName: "tests")?.stringValue, "1")
        XCTAssertEqual(suite.attribute(forName: "errors")?.stringValue, "1")
        let testcase = try XCTUnwrap(suite.elements(forName: "testcase").first)
        XCTAssertEqual(testcase.attribute(forName: "name")?.stringValue, "host reachable")
        XCTAssertEqual(testcase.attribute(forName: "classname")?.stringValue, "app3.example.com.host")
        let error = try XCTUnwrap(testcase.elements(forName: "error").first)
        XCTAssertEqual(error.attribute(forName: "message")?.stringValue, SampleRuns.unreachable.error)
    }

    func testHostileTextSurvivesAsVisibleText() throws {
        let xml = JUnitReport.render(SampleRuns.all, hostname: "runner")
        for forbidden in ["<script", "<img", "]]>", "\u{1}", "\u{1B}", "\u{7F}", "\u{FFFE}", "\u{FFFF}", "\u{202E}", "\r"] {
            XCTAssertFalse(xml.contains(forbidden), "raw \(forbidden.debugDescription) in output")
        }
        let doc = try XMLDocument(xmlString: xml)
        let evil = try XCTUnwrap(doc.rootElement()?.elements(forName: "testsuite").last)
        let failure = try XCTUnwrap(evil.elements(forName: "testcase").first?.elements(forName: "failure").first)
        let message = failure.attribute(forName: "message")?.stringValue ?? ""
        XCTAssertTrue(message.hasPrefix("stopped: <script>alert(1)</script> & \"q\" 'a' ]]> |"), message)
        XCTAssertTrue(message.contains("\\u{01}\\u{1B}[2J\\u{7F}\\u{85}\\u{FFFE}\\u{FFFF}\u{FFFD}\\u{202E}evil\\u{2066}\r\nline2\ttab 🎉"), message.debugDescription)
        XCTAssertTrue(message.hasSuffix("(+1 more)"))
        // Names are xs:token: XML whitespace collapsed to one space, other invisibles shown.
        let name = evil.attribute(forName: "name")?.stringValue ?? ""
        XCTAssertTrue(name.hasSuffix("\\u{7F}\\u{85}\\u{FFFE}\\u{FFFF}\u{FFFD}\\u{202E}evil\\u{2066} line2 tab 🎉"), name)
        // Blank names still satisfy the schema's non-empty token.
        let blank = evil.elements(forName: "testcase").last
        XCTAssertEqual(blank?.attribute(forName: "name")?.stringValue, "(empty)")
        let props = evil.elements(forName: "properties")[0].elements(forName: "property")
        XCTAssertEqual(props.last?.attribute(forName: "name")?.stringValue, "fact")
    }
}
