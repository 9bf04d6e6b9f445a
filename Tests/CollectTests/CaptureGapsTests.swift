import Foundation
import XCTest
import Model
@testable import Collect

/// A step that timed out, was killed or had no tool leaves its section "not captured", never empty.
final class CaptureGapsTests: XCTestCase {
    func output(_ steps: [(String, String, Int?)], extra: String = "") -> [UInt8] {
        var s = ""
        for (name, body, status) in steps {
            s += "\n@@PP-n BEGIN \(name)\n\(body)\n@@PP-n STDERR \(name)\n"
            if let status { s += "\n@@PP-n END \(name) \(status)\n" }
        }
        return Array((s + extra + "\n@@PP-n DONE\n").utf8)
    }

    func testTimedOutUpdatesAreNotCapturedAndNamed() {
        let out = output([("system.facts", "uname=h 6.1.0 x86_64\nuid=0\nboot_id=b", 0),
                          ("sockets.proc", "", 0),
                          ("packages.dpkg", "install ok installed\tbash\tamd64\t5.2-1", 0),
                          ("updates.apt", "Inst libc6 [2.36-9] (2.36-9+deb12u4 Debian-Security:12/stable-security [amd64])", 124)])
        let s = SnapshotParser.parse(stdout: out, host: "h", nonce: "n", checks: CheckSet(),
                                     options: ScriptOptions(updatesTimeout: 45))
        let gap = s.gap(.updates)
        XCTAssertEqual(gap?.step, "updates.apt")
        XCTAssertEqual(gap?.problem, "timed out after 45 s")
        XCTAssertEqual(gap?.skipped, false)
        XCTAssertTrue(gap?.fix.contains("--updates-timeout") ?? false)
        XCTAssertTrue(s.isCaptured(.packages))
        XCTAssertFalse(s.notes.contains { $0.contains("timed out (raise") }, "the gap says it once: \(s.notes)")
        XCTAssertEqual(s.captureNotes.first { $0.hasPrefix("pending updates") }, "pending updates not captured: timed out after 45 s (step updates.apt): raise --updates-timeout (the host may be busy: a package manager mid-patch is slow)")
    }

    func testMissingToolKilledStepAndDeliberateSkip() {
        let out = output([("system.facts", "uname=h 6.1.0 x86_64", 0), ("sockets.proc", "", 0),
                          ("services.systemd-units", "[]", 137), ("outdated.maps", "self=1", nil)],
                         extra: "\n@@PP-n MISSING packages.manager 'dpkg-query' 'rpm' 'apk'\n\n@@PP-n SKIP updates 'not collected (--skip-pending-updates)'\n")
        let s = SnapshotParser.parse(stdout: out, host: "h", nonce: "n", checks: CheckSet())
        XCTAssertEqual(s.gap(.services)?.problem, "was killed (SIGKILL: out of memory?)")
        XCTAssertEqual(s.gap(.packages)?.problem, "no dpkg-query, rpm or apk on the host")
        XCTAssertEqual(s.gap(.outdated)?.problem, "did not finish (run cut short)")
        XCTAssertEqual(s.gap(.updates)?.skipped, true)
        XCTAssertNil(s.gap(.system))
    }

    /// systemctl that cannot reach PID 1 exits 1 and lists nothing: the services are unknown, not
    /// all gone (which verify would report as every service missing). A listing with a non-zero
    /// exit (Debian's `service --status-all`) stays captured.
    func testAListingToolThatFailedSilentlyIsAGapNotAnEmptyList() {
        let out = output([("system.facts", "uname=h 6.1.0 x86_64", 0), ("sockets.proc", "", 0),
                          ("services.systemd-units", "", 1), ("packages.dpkg", "install ok installed\tbash\tamd64\t5.2-1", 0)])
        var s = SnapshotParser.parse(stdout: out, host: "h", nonce: "n", checks: CheckSet())
        XCTAssertEqual(s.gap(.services)?.problem, "failed with no output (exit 1)")
        XCTAssertTrue(s.isCaptured(.packages))
        let sysv = output([("system.facts", "uname=h 6.1.0 x86_64", 0), ("sockets.proc", "", 0),
                           ("services.sysv", " [ + ]  cron\n [ - ]  nginx", 3), ("packages.dpkg", "", 2)])
        s = SnapshotParser.parse(stdout: sysv, host: "h", nonce: "n", checks: CheckSet())
        XCTAssertTrue(s.isCaptured(.services))
        XCTAssertEqual(s.services.map(\.name).sorted(), ["cron", "nginx"])
        XCTAssertEqual(s.gap(.packages)?.problem, "failed with no output (exit 2)")
    }

    func testEveryRuleNamesStepsTheScriptRuns() {
        // A capture that knows its baseline runs every section's steps (transactions too).
        var options = ScriptOptions()
        options.transactionsSince = Date(timeIntervalSince1970: 1_800_000_000)
        let script = CollectorScript.render(checks: CheckSet(), options: options, nonce: "n")
        for section in SnapshotSection.allCases {
            for step in section.collector.capture?.steps ?? [] {
                XCTAssertEqual(step.section, section, "\(step.name) is named for its section")
                XCTAssertTrue(script.contains("'\(step.name)'") || script.contains(" \(step.name)\n"), "\(step.name) is not a step of the script")
            }
        }
    }
}
