import Foundation
import LabKit
import TestSupport
import XCTest

/// The missing-tool rule: skip locally, fail under CI=true, and always name the apt package.
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
}
