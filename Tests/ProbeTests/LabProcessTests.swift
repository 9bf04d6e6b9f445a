import Foundation
import TestSupport
import XCTest

/// The test support's own rules: a missing tool skips locally, fails under CI=true and names the
/// apt package; only the opt-in tests skip under CI; skipping, running processes and waiting each
/// go through their one helper.
final class LabProcessTests: XCTestCase {
    func testMissingToolSkipsLocallyAndFailsUnderCI() throws {
        let saved = ProcessInfo.processInfo.environment["CI"]
        defer { if let saved { setenv("CI", saved, 1) } else { unsetenv("CI") } }

        unsetenv("CI")
        XCTAssertThrowsError(try LabSkip.require("/nonexistent/pg_ctl", package: "postgresql-15")) { error in
            XCTAssertTrue(error is XCTSkip, "\(error)")
            XCTAssertTrue("\(error)".contains("apt-get install -y postgresql-15"), "\(error)")
        }
        setenv("CI", "true", 1)
        XCTAssertThrowsError(try LabSkip.require("/nonexistent/pg_ctl", package: "postgresql-15")) { error in
            XCTAssertTrue(error is LabError, "\(error)")
            XCTAssertTrue("\(error)".contains("apt-get install -y postgresql-15"), "\(error)")
        }
    }

    func testRunReportsStatusAndOutput() async throws {
        let answer = try await LabProcess.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        XCTAssertEqual(answer.status, 3)
        XCTAssertEqual(answer.output, "out\nerr\n")
        let started = ContinuousClock.now
        do {
            _ = try await LabProcess.run("/bin/sleep", ["30"], timeout: .milliseconds(300))
            XCTFail("sleep 30 finished within 300 ms")
        } catch let error as LabError {
            XCTAssertTrue(error.description.hasPrefix("/bin/sleep did not finish within"), error.description)
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
    }

    func testOptInSkipsEvenUnderCI() throws {
        let saved = ProcessInfo.processInfo.environment["CI"]
        defer { if let saved { setenv("CI", saved, 1) } else { unsetenv("CI") } }
        setenv("CI", "true", 1)
        unsetenv("POSTPATCH_TEST_OPT_IN")
        XCTAssertThrowsError(try LabSkip.optIn("POSTPATCH_TEST_OPT_IN", "to try it")) { error in
            XCTAssertTrue(error is XCTSkip, "\(error)")
            XCTAssertTrue("\(error)".contains("opt-in: set POSTPATCH_TEST_OPT_IN to try it"), "\(error)")
        }
        setenv("POSTPATCH_TEST_OPT_IN", "1", 1)
        defer { unsetenv("POSTPATCH_TEST_OPT_IN") }
        XCTAssertEqual(try LabSkip.optIn("POSTPATCH_TEST_OPT_IN", "to try it"), "1")
    }

    func testWaitUntilNamesWhatItAwaitedAtTheDeadline() async throws {
        let started = ContinuousClock.now
        do {
            try await waitUntil("the moon to turn blue", timeout: .milliseconds(200)) { false }
            XCTFail("a condition that never holds was met")
        } catch let error as LabError {
            XCTAssertEqual(error.description, "timed out after 0.2 seconds waiting for the moon to turn blue")
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3))
        var polls = 0
        try waitUntilBlocking("the third poll", timeout: .seconds(5), poll: .milliseconds(1)) {
            polls += 1
            return polls == 3
        }
        XCTAssertEqual(polls, 3)
    }

    /// XCTSkip only through LabSkip (so CI=true fails instead of skipping), and processes only
    /// through LabProcess (Foundation's Process was seen to miss child exits here).
    func testSkipsAndProcessesGoThroughTheirOneHelper() throws {
        let tests = FuzzCorpus.packageRoot.appendingPathComponent("Tests")
        let files = try XCTUnwrap(FileManager.default.enumerator(atPath: tests.path)?.allObjects as? [String])
            .filter { $0.hasSuffix(".swift") && !$0.hasPrefix("TestSupport/") }
        XCTAssertGreaterThan(files.count, 100)
        var offenders: [String] = []
        for file in files {
            let text = try String(contentsOf: tests.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                // Spelled in pieces, so this line does not match itself.
                for banned in ["XCTSkip", "XCTSkipIf", "XCTSkipUnless", "Process"].map({ $0 + "(" })
                where code.ranges(of: banned).contains(where: { $0.lowerBound == code.startIndex
                    || !(code[code.index(before: $0.lowerBound)].isLetter || code[code.index(before: $0.lowerBound)].isNumber) }) {
                    offenders.append("Tests/\(file):\(number + 1): \(banned)")
                }
            }
        }
        XCTAssertEqual(offenders, [], "use LabSkip (missing, unless, require, tool, optIn) and LabProcess instead")
    }
}
