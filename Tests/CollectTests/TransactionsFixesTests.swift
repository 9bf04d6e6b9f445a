import Foundation
import TestSupport
import XCTest
import Model
@testable import Collect

/// What the upgrades fixed: the changelog step's awk on a real changelog (libssl3's on this
/// machine, Debian 12) under every awk a host may have, and the parser on a real capture of
/// the step (this build machine's upgrades since its first dpkg.log entry).
final class TransactionsFixesTests: XCTestCase {
    /// The CVE ids of libssl3's entries above 3.0.13-1~deb12u1, in the changelog's order.
    let above313 = ["CVE-2026-28387", "CVE-2026-28389", "CVE-2026-28390", "CVE-2026-31789", "CVE-2026-31790", "CVE-2025-15467",
                    "CVE-2025-68160", "CVE-2025-69418", "CVE-2025-69419", "CVE-2025-69420", "CVE-2025-69421", "CVE-2026-22795",
                    "CVE-2026-22796", "CVE-2025-9230", "CVE-2025-9232", "CVE-2024-13176", "CVE-2024-5535", "CVE-2024-9143",
                    "CVE-2024-6119", "CVE-2024-2511", "CVE-2024-4603", "CVE-2024-4741"]

    func awks() throws -> [[String]] {
        var list: [[String]] = [[try LabSkip.tool("busybox", package: "busybox"), "awk"]]
        for path in ["/usr/bin/mawk", "/usr/bin/gawk", "/usr/bin/original-awk"] where FileManager.default.isExecutableFile(atPath: path) {
            list.append([path])
        }
        return list
    }

    /// The step's awk over `changelog` (a fixture) for package libssl3 upgraded from `old`.
    func changelogLine(_ awk: [String], old: String, changelog: String = "changelog-libssl3_debian-12.txt") throws -> String {
        let text = try Fixtures.local(changelog)
        let file = NSTemporaryDirectory() + "pp-changelog-\(UUID().uuidString)"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let command = (awk + ["-v", "p=libssl3", "-v", "old=\(old)", "-v", "new=3.0.19-1~deb12u2", TransactionsSection.changelogAwk])
            .map(ShellQuote.quote).joined(separator: " ") + " <" + ShellQuote.quote(file) + "\n"
        let run = try ShellRunner.run(try ShellRunner.dash(), stdin: command)
        XCTAssertEqual(run.status, 0, run.stderr)
        return String(decoding: run.stdout, as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    func testTheEntriesAboveTheOldVersionNameTheFixes() throws {
        for awk in try awks() {
            let line = try changelogLine(awk, old: "3.0.13-1~deb12u1")
            XCTAssertEqual(line, "V libssl3 3.0.19-1~deb12u2 ok " + above313.joined(separator: " "), "\(awk)")
            // "checking DSA keys" in an entry is no advisory id.
            XCTAssertFalse(line.contains("DSA"), "\(awk)")
        }
    }

    func testABinNMUStopsAtItsSourceVersionAndNoNewerEntryMeansNoLine() throws {
        for awk in try awks() {
            let line = try changelogLine(awk, old: "3.0.18-1~deb12u1+b1")
            XCTAssertEqual(line, "V libssl3 3.0.19-1~deb12u2 ok " + above313.prefix(13).joined(separator: " "), "\(awk)")
            XCTAssertEqual(try changelogLine(awk, old: "3.0.19-1~deb12u2"), "", "\(awk): the installed version is the newest entry")
        }
    }

    func testAnOldVersionBeyondTheBoundsIsCut() throws {
        for awk in try awks() {
            // Not in the fixture's 150 lines: read to the end, marked cut.
            let line = try changelogLine(awk, old: "3.0.2-0ubuntu1")
            XCTAssertTrue(line.hasPrefix("V libssl3 3.0.19-1~deb12u2 cut CVE-2026-28387 "), "\(awk): \(line)")
        }
    }

    func testTheParserReadsARealCaptureOfTheStep() throws {
        let text = try Fixtures.local("transactions-changelogs_debian-12-build-machine.txt")
        let (value, truncated, notes) = TransactionsParser.parseFixes(text)
        let fixes = try XCTUnwrap(value)
        XCTAssertFalse(truncated)
        XCTAssertEqual(fixes.count, 51)
        XCTAssertEqual(fixes.map(\.package), fixes.map(\.package).sorted())
        let ssl = try XCTUnwrap(fixes.first { $0.package == "libssl3" })
        XCTAssertEqual(ssl.version, "3.0.19-1~deb12u2")
        XCTAssertTrue(ssl.cves.contains("CVE-2026-28387"))
        XCTAssertEqual(ssl.cves, ssl.cves.sorted(by: TransactionsParser.idOrder))
        XCTAssertNil(ssl.partial)
        // linux-libc-dev's changelog is long: its old version's entry is past the bounds.
        XCTAssertEqual(fixes.first { $0.package == "linux-libc-dev" }?.partial, true)
        XCTAssertTrue(notes.contains { $0.contains("linux-libc-dev") && $0.contains("newest entries only") }, "\(notes)")
        XCTAssertFalse(notes.contains { $0.contains("unreadable") }, "\(notes)")
        XCTAssertTrue(fixes.allSatisfy { !$0.cves.isEmpty || !$0.advisories.isEmpty })
    }

    func testAdvisoriesGarbageAndAStepThatDidNotEnd() {
        let (value, truncated, notes) = TransactionsParser.parseFixes(
            "V pp-lab-libgreet1 1.1-1 ok CVE-2026-0001 DSA-9999-1 DLA-12-1 CVE-26-1 DSA-x\nV short\nT fixes\nK 101\n")
        XCTAssertEqual(value, [PackageFix(package: "pp-lab-libgreet1", version: "1.1-1", cves: ["CVE-2026-0001"], advisories: ["DLA-12-1", "DSA-9999-1"])])
        XCTAssertTrue(truncated)
        XCTAssertEqual(notes.count, 2, "\(notes)")
        XCTAssertEqual(value?.first?.idsText, "CVE-2026-0001 (DLA-12-1, DSA-9999-1)")
        // No K line: the step did not end, unknown.
        XCTAssertNil(TransactionsParser.parseFixes("V a 1 ok CVE-2026-0001\n").value)
        XCTAssertEqual(TransactionsParser.parseFixes("K 0\n").value, [])
    }

    /// The step on this machine, through the collector script, under dash and busybox ash.
    func testTheStepReadsThisMachinesUpgradedPackagesChangelogs() throws {
        guard FileManager.default.isReadableFile(atPath: "/var/log/dpkg.log") else {
            throw LabSkip.missing("/var/log/dpkg.log", fix: "run on a Debian machine that upgraded a package")
        }
        for argv in try ShellRunner.shells() {
            var options = ScriptOptions(pendingUpdates: false)
            options.transactionsSince = Date().addingTimeInterval(-20 * 365 * 86400)
            let nonce = "fx1N0nce"
            let script = CollectorScript.render(checks: CheckSet(), options: options, nonce: nonce)
            let start = Date()
            let run = try ShellRunner.run(argv, stdin: script)
            XCTAssertEqual(run.status, 0, run.stderr)
            let output = ScriptOutput.parse(run.stdout, nonce: nonce)
            let step = try XCTUnwrap(output[step: TransactionsSection.changelogStep], "\(argv)")
            XCTAssertEqual(step.status, 0, "\(argv)")
            let snapshot = SnapshotParser.parse(stdout: run.stdout, host: "local", nonce: nonce, checks: CheckSet(), options: options)
            let fixes = try XCTUnwrap(snapshot.transactions?.fixes, "\(argv): \(snapshot.notes)")
            let upgraded = Set(snapshot.transactions?.changes.filter { $0.action == "upgrade" }.map(\.name) ?? [])
            XCTAssertTrue(fixes.allSatisfy { upgraded.contains($0.package) }, "\(argv)")
            print("measure \(argv.joined(separator: " ")): \(upgraded.count) upgraded packages, \(fixes.count) with fixes, "
                  + "\(fixes.reduce(0) { $0 + $1.cves.count }) CVE ids, changelog step \(step.stdout.utf8.count) B, whole script \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
        }
    }
}
