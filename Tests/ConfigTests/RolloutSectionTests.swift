@testable import Config
import XCTest

final class RolloutSectionTests: XCTestCase {
    func testRolloutDefaultsAreRead() throws {
        let c = try ConfigFile.parse(yaml: """
        hosts:
          web1: { address: 192.0.2.11, groups: [web] }
        rollout:
          waves: [canary, web, db]
          patch_command: "apt-get -y upgrade"
          reboot: if-required
          reboot_timeout: 300
          settle: 30
          max_failures: "10%"
        """, path: "c.yaml")
        XCTAssertEqual(c.rollout.waves, ["canary", "web", "db"])
        XCTAssertEqual(c.rollout.patchCommand, "apt-get -y upgrade")
        XCTAssertEqual(c.rollout.reboot, "if-required")
        XCTAssertEqual(c.rollout.rebootTimeout, 300)
        XCTAssertEqual(c.rollout.settle, 30)
        XCTAssertEqual(c.rollout.maxFailures, "10%")
        XCTAssertNil(c.rollout.preCommand)
    }

    func testMistakesInRolloutAreErrorsWithPositions() {
        XCTAssertThrowsError(try ConfigFile.parse(yaml: "rollout:\n  wave: [a]\n", path: "c.yaml")) {
            XCTAssertTrue("\($0)".hasPrefix("c.yaml:2:3: unknown key 'wave'"), "\($0)")
        }
        XCTAssertThrowsError(try ConfigFile.parse(yaml: "rollout:\n  reboot: sometimes\n", path: "c.yaml")) {
            XCTAssertTrue("\($0)".hasPrefix("c.yaml:2:11:") && "\($0)".contains("never, always or if-required"), "\($0)")
        }
    }
}
