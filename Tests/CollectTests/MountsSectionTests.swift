import XCTest
import Model
@testable import Collect

/// The mounts and modules steps as the script frames them, read back into a snapshot.
final class MountsSectionTests: XCTestCase {
    func output(_ steps: [(String, String, Int?)], extra: String = "") -> [UInt8] {
        var s = "\n@@PP-n BEGIN system.facts\nuname=h 6.1.0 x86_64\n@@PP-n STDERR system.facts\n\n@@PP-n END system.facts 0\n"
            + "\n@@PP-n BEGIN sockets.proc\n\n@@PP-n STDERR sockets.proc\n\n@@PP-n END sockets.proc 0\n"
        for (name, body, status) in steps {
            s += "\n@@PP-n BEGIN \(name)\n\(body)\n@@PP-n STDERR \(name)\n"
            if let status { s += "\n@@PP-n END \(name) \(status)\n" }
        }
        return Array((s + extra + "\n@@PP-n DONE\n").utf8)
    }

    func parse(_ bytes: [UInt8]) -> Snapshot {
        SnapshotParser.parse(stdout: bytes, host: "h", nonce: "n", checks: CheckSet())
    }

    func testMountsWithSpaceAndModules() throws {
        let s = parse(output([("mounts.mountinfo", try Fixtures.local("debian-12-nspawn-lab_proc-self-mountinfo"), 0),
                              ("mounts.df", try Fixtures.local("debian-12-nspawn-lab_df-kP.out"), 0),
                              ("modules.proc", try Fixtures.local("handmade-kernel-format_proc-modules"), 0)]))
        XCTAssertEqual(s.mounts.map(\.mountPoint), ["/", "/run", "/run/lock", "/tmp"])
        XCTAssertEqual(s.mounts.first { $0.mountPoint == "/run/lock" }?.sizeKB, 5120)
        XCTAssertEqual(s.modules.count, 29)
        XCTAssertTrue(s.isCaptured(.mounts) && s.isCaptured(.modules), "\(s.notCaptured)")
        XCTAssertFalse(s.notes.contains { $0.hasPrefix("mounts") || $0.hasPrefix("modules") }, "\(s.notes)")
    }

    func testDfTimingOutCostsTheFiguresOnly() throws {
        let s = parse(output([("mounts.mountinfo", try Fixtures.local("debian-12_proc-self-mountinfo"), 0),
                              ("mounts.df", "", 124)]))
        XCTAssertTrue(s.isCaptured(.mounts))
        XCTAssertEqual(s.mounts.map(\.mountPoint), ["/", "/mnt/sandboxing/model_tools_env/v1/python"])
        XCTAssertTrue(s.mounts.allSatisfy { $0.sizeKB == nil && $0.usedPercent == nil })
        XCTAssertTrue(s.notes.contains("mounts: df -kP timed out (raise --step-timeout) (sizes unknown)"), "\(s.notes)")
    }

    func testGapsAndSkips() {
        let container = "in a container: /proc/modules lists the host kernel's modules, which this host's patch and reboot do not change"
        let skipped = parse(output([("mounts.mountinfo", "", 137)], extra: "\n@@PP-n SKIP modules \(container)\n"))
        XCTAssertEqual(skipped.gap(.mounts)?.problem, "was killed (SIGKILL: out of memory?)")
        XCTAssertEqual(skipped.gap(.modules)?.skipped, true)
        XCTAssertEqual(skipped.gap(.modules)?.problem, container)

        let missing = parse(output([], extra: "\n@@PP-n MISSING mounts.mountinfo /proc/self/mountinfo\n"))
        XCTAssertEqual(missing.gap(.mounts)?.problem, "no /proc/self/mountinfo on the host")
        // Neither the step nor a SKIP: the run ended before it, so modules are unknown too.
        XCTAssertEqual(missing.gap(.modules)?.problem, "the step did not run")

        let cut = parse(output([]))
        XCTAssertEqual(cut.gap(.mounts)?.problem, "the step did not run")
    }

    func testScriptSkipsModulesInAContainerAndWithoutProcModules() {
        let script = CollectorScript.render(checks: CheckSet(), options: ScriptOptions(pendingUpdates: false), nonce: "n")
        XCTAssertTrue(script.contains("pp_m SKIP modules 'in a container: "))
        XCTAssertTrue(script.contains("pp_m SKIP modules 'no /proc/modules: the kernel has no loadable module support'"))
        XCTAssertTrue(script.contains("pp_to df -kP"))
    }
}
