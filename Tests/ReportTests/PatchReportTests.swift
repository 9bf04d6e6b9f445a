import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Model
@testable import Report
import TestSupport
import XCTest

extension SampleRuns {
    /// web1 patched but its fix not in effect and a reboot pending; db1 compliant with fixes
    /// missing under its policy; app3 unreachable (no record); a hostile host with a record.
    static var patched: VerifyRun {
        var web = SampleRuns.web
        var missing = MissingUpdates()
        missing.unknown = 2
        missing.other = 5
        web.patch = PatchRecord(
            installed: PatchInstalled(upgraded: [PackageVersionChange(name: "libssl3", arch: "amd64", from: "3.0.14-1~deb12u2", to: "3.0.15-1~deb12u1")]),
            pendingReboot: ["linux-image-amd64"],
            notInEffect: [NotInEffect(package: "libssl3", ids: ["CVE-2024-5535"], reasons: ["nginx.service still runs the replaced libssl.so.3; restart it"])],
            missing: missing,
            oldestMissingSecurity: OldestMissingFix(package: "openssl", candidateVersion: "3.0.15-1~deb12u1", since: started.addingTimeInterval(-12 * 86_400),
                                                    source: "first-seen", ageSeconds: 12 * 86_400),
            fixed: [PackageFix(package: "libssl3", version: "3.0.15-1~deb12u1", cves: ["CVE-2024-5535", "CVE-2024-6119"])],
            maxSecurityAgeDays: 30,
            nonCompliance: ["1 installed but not in effect: libssl3", "reboot pending for linux-image-amd64"])
        var db = SampleRuns.db
        var dbMissing = MissingUpdates()
        dbMissing.important = 1
        db.patch = PatchRecord(missing: dbMissing,
                               oldestMissingSecurity: OldestMissingFix(package: "openssl-libs", candidateVersion: "1:3.0.7-28.el9_4", since: started.addingTimeInterval(-3 * 86_400),
                                                                       source: "advisory", ageSeconds: 3 * 86_400),
                               maxSecurityAgeDays: 30)
        var evil = SampleRuns.evil
        evil.patch = PatchRecord(failed: [hostile], notInEffect: [NotInEffect(package: imgTag, reasons: [hostile])],
                                 missing: MissingUpdates(), nonCompliance: [hostile])
        return VerifyRun(startedAt: started, durationSeconds: 12.7, hosts: [db, web, SampleRuns.unreachable, evil])
    }
}

final class PatchReportTests: XCTestCase {
    let end = SampleRuns.started.addingTimeInterval(12.7)

    func testTerminalHasAPatchLinePerHostAndTheFleetLine() {
        let text = TerminalReport.render(SampleRuns.patched, color: false)
        XCTAssertTrue(text.contains("  patch: not compliant: 1 installed but not in effect: libssl3; reboot pending for linux-image-amd64 · "
                                    + "missing 2 security (2 unknown), 5 other, oldest 12 days (first seen) · installed 1 upgraded · 2 CVEs fixed\n"), text)
        XCTAssertTrue(text.contains("  patch: compliant · missing 1 security (1 important), 0 other, oldest 3 days (advisory)\n"), text)
        XCTAssertTrue(text.contains("\nPatch compliance: 1 of 3 hosts compliant; missing security fixes: 3 (1 important, 2 unknown), oldest 12 days; "
                                    + "other updates: 5; 1 awaiting reboot; 2 installed but not in effect; 1 broken package; "
                                    + "installed: 1 upgraded, 0 new, 0 removed; 2 CVEs fixed\n"), text)
        XCTAssertFalse(text.contains("\u{1B}"), "hostile text stays visible text")
    }

    func testMarkdownAndHTMLTablesAreWorstFirst() throws {
        let md = MarkdownReport.render(SampleRuns.patched)
        let rows = md.split(separator: "\n").filter { $0.hasPrefix("| ") && $0.contains("| no: ") || $0.contains("| yes |") }
        XCTAssertEqual(rows.count, 3, md)
        XCTAssertTrue(rows[0].hasPrefix("| evil-"), "\(rows)")
        XCTAssertTrue(rows[1].hasPrefix("| web1.example.com | no: "), "\(rows)")
        XCTAssertTrue(rows[2].hasPrefix("| db1.example.com | yes | 0 | 1 | 0 | 0 | 0 | 0 | openssl-libs: 3 days (advisory) |"), "\(rows)")
        XCTAssertFalse(md.contains("<img"), "escaped")
        let html = HTMLReport.render(SampleRuns.patched)
        XCTAssertTrue(html.contains("<h2>Patch state</h2>"))
        let evil = try XCTUnwrap(html.range(of: "<tr class=\"sev-warning\"><th class=\"host\">evil-"))
        let db = try XCTUnwrap(html.range(of: "<tr class=\"sev-ok\"><th class=\"host\">db1.example.com"))
        XCTAssertLessThan(evil.lowerBound, db.lowerBound)
        XCTAssertFalse(html.contains("<img"), "escaped")
    }

    func testJUnitHasOneComplianceCasePerHostAndValidates() throws {
        // verify and drift: compliance is reported, never failed (the exit code does not gate on it).
        let reported = try XMLDocument(xmlString: JUnitReport.render(SampleRuns.patched, hostname: "runner"))
        XCTAssertEqual(try reported.nodes(forXPath: "//testcase[@name='patch compliance']").count, 3)
        XCTAssertEqual(try reported.nodes(forXPath: "//testcase[@name='patch compliance']/failure").count, 0)
        XCTAssertTrue(reported.xmlString.contains("patch: not compliant: 1 installed but not in effect: libssl3"))
        // assess: compliance decides the exit code, and fails the testcase.
        var gated = SampleRuns.patched
        gated.complianceGates = true
        let xml = JUnitReport.render(gated, hostname: "runner")
        let doc = try XMLDocument(xmlString: xml)
        let suites = try XCTUnwrap(doc.rootElement()).elements(forName: "testsuite")
        func compliance(_ suite: XMLElement) -> XMLElement? {
            suite.elements(forName: "testcase").first { $0.attribute(forName: "name")?.stringValue == "patch compliance" }
        }
        XCTAssertNil(compliance(suites[0]).flatMap { $0.elements(forName: "failure").first }, "db1 complies")
        let web = try XCTUnwrap(compliance(suites[1]))
        XCTAssertEqual(web.attribute(forName: "classname")?.stringValue, "web1.example.com.patch")
        XCTAssertEqual(web.elements(forName: "failure").first?.attribute(forName: "type")?.stringValue, "patch-not-compliant")
        XCTAssertNil(compliance(suites[2]), "an unreachable host has no record")
        let xmllint = try LabSkip.tool("xmllint", package: "libxml2-utils")
        let dir = try ExternalTool.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("patched.xml")
        try xml.write(to: file, atomically: true, encoding: .utf8)
        for schema in ["junit-jenkins-10.xsd", "junit-windyroad.xsd"] {
            let r = try LabProcess.runBlocking(xmllint, ["--noout", "--schema", ExternalTool.sharedDir.appendingPathComponent("schemas/\(schema)").path, file.path])
            XCTAssertEqual(r.status, 0, "against \(schema): \(r.stderr)")
        }
    }

    func testJSONCarriesEachRecordAndTheFleetAndReadsBack() throws {
        let text = JSONReport.render(SampleRuns.patched)
        XCTAssertEqual(text, JSONReport.renderWhole(SampleRuns.patched))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let fleet = try XCTUnwrap(object["patch"] as? [String: Any])
        XCTAssertEqual(fleet["compliant"] as? Int, 1)
        XCTAssertEqual(fleet["hosts"] as? Int, 3)
        let back = try JSONReportReader.read(Data(text.utf8))
        XCTAssertEqual(back.hosts.map(\.patch), SampleRuns.patched.hosts.map(\.patch))
    }

    func testPrometheusGauges() throws {
        let text = PrometheusReport.render(SampleRuns.patched, timestamp: end)
        XCTAssertTrue(text.contains("""
        postpatch_updates_missing{host="web1.example.com",severity="critical"} 0
        postpatch_updates_missing{host="web1.example.com",severity="important"} 0
        postpatch_updates_missing{host="web1.example.com",severity="moderate"} 0
        postpatch_updates_missing{host="web1.example.com",severity="low"} 0
        postpatch_updates_missing{host="web1.example.com",severity="unknown"} 2
        postpatch_updates_missing{host="web1.example.com",severity="other"} 5
        """), text)
        XCTAssertTrue(text.contains("postpatch_security_fix_oldest_age_seconds{host=\"web1.example.com\"} 1036800\n"))
        XCTAssertTrue(text.contains("postpatch_security_fix_max_age_seconds{host=\"db1.example.com\"} 2592000\n"))
        XCTAssertTrue(text.contains("postpatch_fixes_not_in_effect{host=\"web1.example.com\"} 1\n"))
        XCTAssertTrue(text.contains("postpatch_host_compliant{host=\"db1.example.com\"} 1\npostpatch_host_compliant{host=\"web1.example.com\"} 0\n"))
        XCTAssertFalse(text.contains("postpatch_host_compliant{host=\"app3.example.com\""), "no record, no gauge")
        XCTAssertGreaterThan(try PrometheusExpositionChecker.check(text), 30)
    }
}

/// The shipped alert rules and Grafana dashboard (packaging/, installed under
/// /usr/share/postpatch/): valid for promtool, and asking only for metrics PostPatch writes.
final class MonitoringFilesTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let rules = root.appendingPathComponent("packaging/prometheus/postpatch-alerts.yml")
    static let dashboard = root.appendingPathComponent("packaging/grafana/postpatch-dashboard.json")

    /// The metric names a run with every kind of host writes.
    var written: Set<String> {
        let text = PrometheusReport.render(SampleRuns.patched, timestamp: SampleRuns.started)
        return Set(text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            line.split(whereSeparator: { $0 == "{" || $0 == " " }).first.map(String.init)
        })
    }

    static func metrics(in expr: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: "postpatch_[a-z_]+")
        let ns = expr as NSString
        return Set(regex.matches(in: expr, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) })
    }

    func dashboardExprs() throws -> [String] {
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: Self.dashboard)) as? [String: Any])
        XCTAssertEqual(object["uid"] as? String, "postpatch-fleet")
        let panels = try XCTUnwrap(object["panels"] as? [[String: Any]])
        XCTAssertEqual(Set(panels.compactMap { $0["id"] as? Int }).count, panels.count, "panel ids are unique")
        var exprs: [String] = []
        for p in panels {
            XCTAssertNotNil(p["gridPos"] as? [String: Any], "\(p["title"] ?? "")")
            for t in (p["targets"] as? [[String: Any]]) ?? [] { exprs.append(try XCTUnwrap(t["expr"] as? String)) }
        }
        let templating = (object["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
        exprs += templating.compactMap { $0["definition"] as? String }.map { $0.replacingOccurrences(of: "label_values(", with: "").components(separatedBy: ",")[0] }
        return exprs
    }

    func testDashboardAndRulesAskOnlyForWrittenMetrics() throws {
        let rulesText = try String(contentsOf: Self.rules, encoding: .utf8)
        let asked = try dashboardExprs().reduce(into: Set<String>()) { $0.formUnion(Self.metrics(in: $1)) }
            .union(Self.metrics(in: rulesText))
        XCTAssertTrue(asked.isSubset(of: written), "asked but never written: \(asked.subtracting(written).sorted())")
        for metric in ["postpatch_host_compliant", "postpatch_security_fix_oldest_age_seconds", "postpatch_host_up", "postpatch_findings"] {
            XCTAssertTrue(Self.metrics(in: rulesText).contains(metric), "an alert on \(metric)")
        }
    }

    /// `promtool check rules` on the shipped rules, and on a rules file made of the dashboard's
    /// queries (template variables filled in): both parse.
    func testPromtoolChecksRulesAndDashboardQueries() throws {
        let promtool = try LabSkip.tool("promtool", package: "prometheus")
        let checked = try LabProcess.runBlocking(promtool, ["check", "rules", Self.rules.path])
        XCTAssertEqual(checked.status, 0, checked.output)
        let dir = try ExternalTool.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        var yaml = "groups:\n  - name: dashboard\n    rules:\n"
        for (i, expr) in try dashboardExprs().enumerated() {
            let filled = expr.replacingOccurrences(of: "$host", with: ".*")
            yaml += "      - record: postpatch_dashboard_query_\(i)\n        expr: '\(filled.replacingOccurrences(of: "'", with: "''"))'\n"
        }
        let file = dir.appendingPathComponent("dashboard-queries.yml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let queries = try LabProcess.runBlocking(promtool, ["check", "rules", file.path])
        XCTAssertEqual(queries.status, 0, queries.output)
    }

    /// `promtool test rules`: series PostPatch wrote fire the alerts they should. A non-compliant
    /// host for two hours fires PostPatchComplianceLost; an overdue fix fires PostPatchSecurityFixOverdue;
    /// the compliant host fires nothing.
    func testAlertsFireOnWhatPostPatchWrites() throws {
        let promtool = try LabSkip.tool("promtool", package: "prometheus")
        var run = SampleRuns.patched
        run.hosts[1].patch?.oldestMissingSecurity?.ageSeconds = 40 * 86_400
        let text = PrometheusReport.render(run, timestamp: SampleRuns.started)
        var series = ""
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && line.hasPrefix("postpatch_") && line.contains("{") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let name = String(line[..<space]), value = String(line[line.index(after: space)...])
            guard !name.contains("evil-") else { continue }
            series += "      - series: '\(name.replacingOccurrences(of: "'", with: "''"))'\n        values: '\(value)x180'\n"
        }
        let dir = try ExternalTool.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let test = """
        rule_files:
          - \(Self.rules.path)
        evaluation_interval: 1m
        tests:
          - interval: 1m
            input_series:
        \(series)    alert_rule_test:
              - eval_time: 2h
                alertname: PostPatchComplianceLost
                exp_alerts:
                  - exp_labels: {severity: warning, host: web1.example.com}
                    exp_annotations:
                      summary: "web1.example.com is not patch-compliant"
                      description: "web1.example.com has a security fix missing for longer than its policy allows, a package not fully installed, a fix installed but not in effect, or a reboot pending. Run `postpatch assess web1.example.com` for the reasons."
              - eval_time: 10m
                alertname: PostPatchSecurityFixOverdue
                exp_alerts:
                  - exp_labels: {severity: warning, host: web1.example.com}
                    exp_annotations:
                      summary: "web1.example.com: a security fix has been missing for 40d 0h 0m 0s"
                      description: "The oldest missing security fix on web1.example.com is older than rules: max_security_age_days. Patch the host (postpatch rollout) or record why it waits."
              - eval_time: 10m
                alertname: PostPatchHostDown
                exp_alerts: []
              - eval_time: 10m
                alertname: PostPatchRegressions
                exp_alerts:
                  - exp_labels: {severity: critical, host: web1.example.com}
                    exp_annotations:
                      summary: "web1.example.com: 2 regressions against its baseline"
                      description: "postpatch drift found regressions on web1.example.com: see its report."

        """
        let file = dir.appendingPathComponent("alerts-test.yml")
        try test.write(to: file, atomically: true, encoding: .utf8)
        let r = try LabProcess.runBlocking(promtool, ["test", "rules", file.path])
        XCTAssertEqual(r.status, 0, r.output + "\n" + test)
    }
}
