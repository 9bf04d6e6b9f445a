import Foundation
import LabKit
import XCTest
import TestSupport

/// Issue 27: the set-up (`scripts/lib/setup.sh`, behind `scripts/demo` and `scripts/test`) waits
/// for another package manager's lock instead of failing at once, as apt-get alone does while
/// unattended-upgrades runs on a fresh machine. `scripts/check-apt-lock` holds the real lock
/// files in a private mount namespace, on copies of dpkg's and apt's state; this runs it so the
/// suite counts it.
final class SetupLockTests: XCTestCase {
    func testSetUpWaitsForAHeldLockProceedsWhenReleasedAndGivesUpNamingTheHolder() async throws {
        try LabSkip.requireRoot("holding dpkg's lock in a private mount namespace")
        _ = try LabSkip.tool("unshare", package: "util-linux")
        try LabSkip.require("/usr/bin/python3", package: "python3")
        try LabSkip.require("/usr/bin/dpkg-deb", package: "dpkg")
        try LabSkip.require("/usr/bin/apt-get", package: "apt")
        let script = PostPatchCLI.packageRoot.appendingPathComponent("scripts/check-apt-lock")

        let result = try await LabProcess.run("/bin/bash", [script.path], timeout: .seconds(420))
        let (status, output) = (result.status, result.output)

        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("setup: waiting for another package manager (PID "), output)
        XCTAssertTrue(output.contains("setup: gave up after 2 s: another package manager (PID "), output)
        XCTAssertTrue(output.hasSuffix("check-apt-lock: passed\n"), output)
    }
}
