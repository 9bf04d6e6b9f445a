import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Model
@testable import Report
import XCTest

/// Every format shows findings of every category, the ones of issues 13 and 14 included:
/// a matrix column in HTML, testcases in JUnit, rows in Markdown, items in JSON, lines on the terminal.
final class CategoryReportTests: XCTestCase {
    func testHTMLMatrixHasAColumnPerCheckedCategory() {
        let html = HTMLReport.render(SampleCategoryRuns.all)
        let header = html.components(separatedBy: "<thead><tr><th>Host</th><th>Status</th>").dropFirst().first?
            .components(separatedBy: "</tr>").first ?? ""
        XCTAssertEqual(header, Category.allCases.map { "<th>\($0.rawValue)</th>" }.joined(), "every category, in model order")
        let shop = ReportText.matrixRow(html, "shop1.example.com")
        for (category, cell) in [("endpoints", "sev-regression\" data-category=\"endpoints\">1 regression"),
                                 ("http", "sev-regression\" data-category=\"http\">1 regression"),
                                 ("commands", "sev-regression\" data-category=\"commands\">1 regression"),
                                 ("mounts", "sev-regression\" data-category=\"mounts\">1 regression"),
                                 ("network", "sev-regression\" data-category=\"network\">2 regressions"),
                                 ("modules", "sev-warning\" data-category=\"modules\">1 warning"),
                                 ("firewall", "sev-regression\" data-category=\"firewall\">1 regression"),
                                 ("containers", "sev-regression\" data-category=\"containers\">1 regression"),
                                 ("logs", "sev-warning\" data-category=\"logs\">2 warnings"),
                                 ("services", "sev-none\" data-category=\"services\">–")] {
            XCTAssertTrue(shop.contains("<td class=\"cell " + cell + "</td>"), "\(category): \(shop)")
        }
        let clean = ReportText.matrixRow(html, "shop2.example.com")
        for category in SampleCategoryRuns.newCategories {
            XCTAssertTrue(clean.contains("<td class=\"cell sev-ok\" data-category=\"\(category.rawValue)\">ok</td>"), "\(category): \(clean)")
        }
        XCTAssertTrue(ReportText.matrixRow(html, "app3.example.com").contains("colspan=\"\(Category.allCases.count)\""))
        // The host cards list the findings with their category.
        XCTAssertTrue(html.contains("<td>endpoints</td><td class=\"mono\">tcp 0.0.0.0:443</td><td class=\"mono\">200 → 502</td>"), html)
    }

    /// A run that checked only the classic categories keeps its narrow matrix: no empty column
    /// per category of issues 13 and 14.
    func testHTMLMatrixLeavesOutCategoriesNothingWasCheckedIn() {
        let html = HTMLReport.render(SampleRuns.normal)
        for category in SampleCategoryRuns.newCategories {
            XCTAssertFalse(html.contains("<th>\(category.rawValue)</th>"), "\(category)")
        }
        let shops = HTMLReport.render(SampleCategoryRuns.shops)
        XCTAssertFalse(shops.contains("<th>packages</th>"))
        XCTAssertTrue(shops.contains("<th>firewall</th>"))
    }

    func testJUnitHasATestcasePerItem() throws {
        let xml = JUnitReport.render(SampleCategoryRuns.all, hostname: "ci-runner-01")
        let doc = try XMLDocument(xmlString: xml)
        let suites = try XCTUnwrap(doc.rootElement()?.elements(forName: "testsuite"))
        let shop = try XCTUnwrap(suites.first)
        let cases = shop.elements(forName: "testcase")
        XCTAssertEqual(cases.count, SampleCategoryRuns.shop.items.count)
        XCTAssertEqual(shop.attribute(forName: "failures")?.stringValue, "8")
        func testcase(_ name: String) -> XMLElement? { cases.first { $0.attribute(forName: "name")?.stringValue == name } }
        let site = try XCTUnwrap(testcase("tcp 0.0.0.0:443"))
        XCTAssertEqual(site.attribute(forName: "classname")?.stringValue, "shop1.example.com.endpoints")
        XCTAssertEqual(site.elements(forName: "failure").first?.attribute(forName: "type")?.stringValue, "http-status-changed")
        XCTAssertEqual(testcase("app-smoke")?.attribute(forName: "classname")?.stringValue, "shop1.example.com.commands")
        XCTAssertEqual(testcase("app-smoke")?.elements(forName: "failure").first?.attribute(forName: "type")?.stringValue, "command-failed")
        XCTAssertEqual(testcase("queue-depth")?.childCount, 0, "a passing command is a passing testcase")
        let out = shop.elements(forName: "system-out").first?.stringValue ?? ""
        XCTAssertTrue(out.contains("warning modules zfs: kernel module zfs is no longer loaded (loaded → (gone)) [module-missing]"), out)
        XCTAssertTrue(out.contains("info endpoints tcp 0.0.0.0:22: the banner on tcp 0.0.0.0:22 changed"), out)
        // Every category is some testcase's classname in the host with every kind.
        let kinds = try XCTUnwrap(suites.first { $0.attribute(forName: "name")?.stringValue == "kinds.example.com" })
        let classnames = Set(kinds.elements(forName: "testcase").compactMap { $0.attribute(forName: "classname")?.stringValue })
        XCTAssertEqual(classnames, Set(Category.allCases.map { "kinds.example.com.\($0.rawValue)" }))

        // Validated against both schemas with the other runs: JUnitReportTests.testValidatesAgainstBothSchemas.
    }

    func testMarkdownHasACategoryTableAndTheFindings() {
        let md = MarkdownReport.render(SampleCategoryRuns.shops)
        XCTAssertTrue(md.contains("""
        | Category | Hosts | Items checked | Regressions | Warnings | Info |
        | :--- | ---: | ---: | ---: | ---: | ---: |
        | endpoints | 2 | 4 | 1 | 0 | 1 |
        | mounts | 2 | 4 | 1 | 1 | 0 |
        | network | 2 | 3 | 2 | 0 | 0 |
        | modules | 2 | 2 | 0 | 1 | 0 |
        | firewall | 2 | 2 | 1 | 0 | 0 |
        | containers | 2 | 2 | 1 | 0 | 0 |
        | logs | 2 | 3 | 0 | 2 | 0 |
        | http | 2 | 2 | 1 | 0 | 0 |
        | commands | 2 | 3 | 1 | 0 | 0 |

        ### shop1.example.com
        """), md)
        XCTAssertTrue(md.contains("| ❌ regression | endpoints | tcp 0.0.0.0:443 | 200 → 502 | GET / on tcp 0.0.0.0:443 answered 502, was 200 |"), md)
        XCTAssertTrue(md.contains("| ⚠️ warning | logs | php8.2-fpm.service | 0 → 3 |"), md)
        XCTAssertTrue(md.contains("| ❌ regression | commands | app\\-smoke |") || md.contains("| ❌ regression | commands | app-smoke |"), md)
        let every = MarkdownReport.render(SampleCategoryRuns.all)
        for category in Category.allCases {
            XCTAssertTrue(every.contains("\n| \(category.rawValue) | "), "\(category) row")
        }
    }

    func testJSONCarriesItemsOfEveryCategory() throws {
        let text = JSONReport.render(SampleCategoryRuns.all)
        XCTAssertEqual(text, JSONReport.renderWhole(SampleCategoryRuns.all))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let hosts = try XCTUnwrap(json["hosts"] as? [[String: Any]])
        let kinds = try XCTUnwrap(hosts.first { $0["host"] as? String == "kinds.example.com" })
        let items = try XCTUnwrap(kinds["items"] as? [[String: Any]])
        XCTAssertEqual(items.count, FindingKind.allCases.count)
        XCTAssertEqual(Set(items.compactMap { $0["category"] as? String }), Set(Category.allCases.map(\.rawValue)))
        let order = items.compactMap { ($0["category"] as? String).flatMap(Category.init(rawValue:)) }
        XCTAssertEqual(order, order.sorted(), "items in category order")
        let shop = try XCTUnwrap((hosts.first?["items"] as? [[String: Any]]))
        let site = try XCTUnwrap(shop.first { $0["subject"] as? String == "tcp 0.0.0.0:443" })
        XCTAssertEqual(site["category"] as? String, "endpoints")
        XCTAssertEqual(site["status"] as? String, "regression")
        let finding = try XCTUnwrap((site["findings"] as? [[String: Any]])?.first)
        XCTAssertEqual(finding["kind"] as? String, "http-status-changed")
        XCTAssertEqual(finding["before"] as? String, "200")
        XCTAssertEqual(finding["after"] as? String, "502")
        let totals = try XCTUnwrap(json["totals"] as? [String: Int])
        XCTAssertEqual(totals["regression"], SampleCategoryRuns.all.count(.regression))
    }

    func testTerminalListsTheNewCategoriesAligned() {
        let out = TerminalReport.render(SampleCategoryRuns.shops, color: false)
        let lines = out.split(separator: "\n").map(String.init)
        let findings = lines.filter { $0.hasPrefix("  regression  ") || $0.hasPrefix("  warning  ") }
        XCTAssertEqual(findings.count, 12, out)
        // Severity first, then the categories in model order.
        XCTAssertEqual(findings.map { String($0.split(separator: " ")[1]) },
                       ["endpoints", "mounts", "network", "network", "firewall", "containers", "http", "commands",
                        "mounts", "modules", "logs", "logs"], out)
        let starts = Set(findings.map { Array(ReportText.columnStarts($0).prefix(3)) })
        XCTAssertEqual(starts.count, 1, "subject column misaligned:\n" + findings.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("shop1.example.com  REGRESSION  16 items checked, 8 regressions, 4 warnings, 1 info") }, out)
        XCTAssertTrue(lines.contains("shop2.example.com  OK  9 items checked in 3.9 s"), out)
        let verbose = TerminalReport.render(SampleCategoryRuns.shops, color: false, verbose: true)
        XCTAssertTrue(verbose.contains("  info        endpoints   tcp 0.0.0.0:22"), verbose)
    }

    /// docs/reports.md lists the categories a JSON item can carry: exactly the model's, in its order.
    func testDocsListEveryCategory() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/reports.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("Categories: ") })
        XCTAssertEqual(String(line), "Categories: " + Category.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ") + ".")
    }

    func testPrometheusCountsTheNewFindings() throws {
        let end = SampleRuns.started.addingTimeInterval(9.1)
        let text = PrometheusReport.render(SampleCategoryRuns.shops, timestamp: end)
        XCTAssertTrue(text.contains("postpatch_findings{host=\"shop1.example.com\",severity=\"regression\"} 8\n"), text)
        XCTAssertTrue(text.contains("postpatch_findings{host=\"shop1.example.com\",severity=\"warning\"} 4\n"), text)
        XCTAssertTrue(text.contains("postpatch_findings{host=\"shop1.example.com\",severity=\"info\"} 1\n"), text)
        XCTAssertEqual(try PrometheusExpositionChecker.check(text), 14)
    }
}
