import Foundation
@testable import Report
import XCTest

/// summary.md of a rollout: the text Engine's markdown() wrote before it moved here, and tables
/// that hold their shape whatever a host, unit or failure message contains.
final class RolloutSummaryMarkdownTests: XCTestCase {
    static let started = Date(timeIntervalSince1970: 1_780_000_000)

    /// A halted rollout: a passed canary wave with a reboot and restarts, a halted wave with a
    /// failed and an unreachable host, two waves never started.
    static let ordinary = RolloutSummary(startedAt: started, waves: [
        .init(index: 1, name: "canary", hosts: [
            .init(name: "web1.example.com", rebooted: true, rebootReasons: ["kernel 6.1.0-18 installed", "libc6 upgraded"],
                  restarted: ["nginx.service", "php8.2-fpm.service"]),
        ], patched: 1, failed: 0, regressions: 0, passed: true),
        .init(index: 2, name: "web", hosts: [
            .init(name: "web2.example.com", rebootReasons: ["kernel 6.1.0-18 installed"]),
            .init(name: "db1.example.com", failure: "patch command failed (exit status 100)"),
            .init(name: "db2.example.com", failure: "cannot connect: connection refused"),
        ], patched: 1, failed: 3, regressions: 1, passed: false),
    ], skipped: ["db", "rest"], haltReason: "wave 2 web: 1 regression")

    /// What Engine's RolloutReport.markdown() printed for the same rollout, captured before the move.
    static let printedBefore = """
        # Rollout 2026-05-28T20:26:40Z

        **Halted**: wave 2 web: 1 regression

        | wave | hosts | patched | rebooted | failed | regressions | verdict |
        | --- | --- | --- | --- | --- | --- | --- |
        | 1 canary | web1.example.com | 1 | 1 | 0 | 0 | passed |
        | 2 web | web2.example.com, db1.example.com, db2.example.com | 1 | 0 | 3 | 1 | halted |
        | db | | | | | | not started |
        | rest | | | | | | not started |

        ## Reboots and restarts

        - wave canary, web1.example.com: rebooted because kernel 6.1.0-18 installed; libc6 upgraded
        - wave canary, web1.example.com: restarted nginx.service, php8.2-fpm.service
        - wave web, web2.example.com: reboot required because kernel 6.1.0-18 installed

        ## Failed hosts

        - wave web, db1.example.com: patch command failed (exit status 100)
        - wave web, db2.example.com: cannot connect: connection refused

        """

    static let completeBefore = """
        # Rollout 2026-05-28T20:26:40Z

        **Complete**: every wave passed.

        | wave | hosts | patched | rebooted | failed | regressions | verdict |
        | --- | --- | --- | --- | --- | --- | --- |
        | 1 canary | web1.example.com | 1 | 1 | 0 | 0 | passed |

        ## Reboots and restarts

        - wave canary, web1.example.com: rebooted because kernel 6.1.0-18 installed; libc6 upgraded
        - wave canary, web1.example.com: restarted nginx.service, php8.2-fpm.service

        """

    func testOrdinaryRolloutPrintsAsBefore() {
        XCTAssertEqual(RolloutSummaryMarkdown.render(Self.ordinary), Self.printedBefore)
        var complete = Self.ordinary
        complete.waves.removeLast()
        complete.skipped = []
        complete.haltReason = nil
        XCTAssertEqual(RolloutSummaryMarkdown.render(complete), Self.completeBefore)
    }

    /// The rollback preflight's warnings of each wave, in a section of their own, escaped.
    func testRollbackPreflightWarningsHaveTheirSection() {
        let summary = RolloutSummary(startedAt: Self.started, waves: [
            .init(index: 1, name: "canary", hosts: [.init(name: "web1")], patched: 1, failed: 0, regressions: 0, passed: true,
                  rollbackUnavailable: ["web1: pp|d 1.0-1 is no longer obtainable from any source or the package cache: this patch cannot be rolled back"]),
        ], skipped: [], haltReason: nil)
        let md = RolloutSummaryMarkdown.render(summary)
        XCTAssertTrue(md.hasSuffix("\n## Cannot be rolled back (preflight, before the patch)\n\n"
            + "- wave canary, web1: pp\\|d 1.0-1 is no longer obtainable from any source or the package cache: this patch cannot be rolled back\n"), md)
        XCTAssertFalse(RolloutSummaryMarkdown.render(Self.ordinary).contains("Cannot be rolled back"))
    }

    func testPipesAndLineBreaksKeepTheTableShape() {
        let hostile = "a|b\n| forged | row | x | x | x | x | x |\r\nc"
        var summary = Self.ordinary
        summary.waves[1].name = "w|eb\nnext"
        summary.waves[1].hosts[1].name = "db|1\nx"
        summary.waves[1].hosts[1].failure = "patch failed: " + hostile
        summary.waves[0].hosts[0].restarted = ["evil|unit\n| x |.service"]
        summary.waves[0].hosts[0].rebootReasons = [hostile]
        summary.skipped = ["d|b\n| x |"]
        summary.haltReason = "halted\n| x | y |"
        let md = RolloutSummaryMarkdown.render(summary)
        let lines = md.split(separator: "\n", omittingEmptySubsequences: false)
        let rows = lines.filter { $0.hasPrefix("|") }
        // Header, separator, two waves, one skipped wave: nothing forged a row.
        XCTAssertEqual(rows.count, 5, md)
        for row in rows { XCTAssertEqual(Self.cells(row), 7, "row \(row) of\n\(md)") }
        // Every list item stays one line: two failures, three reboot and restart lines.
        XCTAssertEqual(lines.filter { $0.hasPrefix("- wave ") }.count, 5, md)
        XCTAssertEqual(lines.filter { !$0.isEmpty && !$0.hasPrefix("|") && !$0.hasPrefix("- wave ") && !$0.hasPrefix("#") && !$0.hasPrefix("**") }, [], md)
        XCTAssertTrue(md.contains("- wave w\\|eb<br>next, db\\|1<br>x: patch failed: a\\|b<br>\\| forged"), md)
    }

    /// The cells of a GFM table row: the `|` not escaped by a backslash separate them.
    static func cells(_ row: Substring) -> Int {
        var pipes = 0
        var escaped = false
        for ch in row {
            if escaped { escaped = false; continue }
            if ch == "\\" { escaped = true } else if ch == "|" { pipes += 1 }
        }
        return pipes - 1
    }
}
