@testable import Engine
import Foundation
import Compare
import Model
import XCTest

/// The pure parts of rollback in Engine: the host script, the exit status, the verdict lines,
/// the rollout's dry-run text and wave line with --on-halt rollback and --pin.
final class RollbackJobTests: XCTestCase {
    func testScriptRunsTheTransactionThenStartsUnits() {
        XCTAssertNil(RollbackJob.script(nil, start: []))
        XCTAssertEqual(RollbackJob.script("apt-get install -y 'a=1'", start: ["nginx.service", "bad;unit.service"]),
                       "apt-get install -y 'a=1' || exit $?\n"
                       + "if systemctl start -- 'nginx.service'; then echo 'started nginx.service'; else echo \"failed to start nginx.service $?\"; fi\n",
                       "a unit name outside systemd's alphabet is never started")
    }

    private func host(_ name: String, _ verdict: RollbackVerdict?, error: String? = nil) -> HostVerdict {
        var h = HostVerdict(host: name, error: error)
        h.rollback = verdict.map { RollbackOutcome(verdict: $0, details: $0 == .restored ? [] : ["x"]) }
        return h
    }

    private func run(_ hosts: [HostVerdict]) -> VerifyRun { VerifyRun(startedAt: Date(), durationSeconds: 0, hosts: hosts) }

    func testExitStatusWorstHostWins() {
        XCTAssertEqual(RollbackJob.exitStatus(run([host("a", .restored)])), .ok)
        XCTAssertEqual(RollbackJob.exitStatus(run([host("a", .restored), host("b", .restoredWithDifferences)])), .restoredWithDifferences)
        XCTAssertEqual(RollbackJob.exitStatus(run([host("a", .restoredWithDifferences), host("b", .notRestored, error: "unreachable")])), .unreachable)
        XCTAssertEqual(RollbackJob.exitStatus(run([host("a", .notRestored), host("b", .notRestored, error: "unreachable")])), .failed)
        XCTAssertEqual(ExitStatus.restoredWithDifferences.rawValue, 5)
    }

    func testDryRunExitStatus() {
        let t = HostTarget(name: "a", address: "10.0.0.1", user: "ops")
        var planned = RollbackJob.HostPlan(target: t)
        planned.plan = RollbackPlan(manager: .dpkg, changes: [], kept: [], start: [])
        var missing = RollbackJob.HostPlan(target: t)
        missing.error = "no baseline"
        var refused = missing
        refused.refused = true
        XCTAssertEqual(RollbackJob.exitStatus([planned]), .ok)
        XCTAssertEqual(RollbackJob.exitStatus([planned, missing]), .unreachable)
        XCTAssertEqual(RollbackJob.exitStatus([missing, refused]), .failed)
        XCTAssertEqual(missing.lines, ["a: cannot plan the rollback: no baseline"])
    }

    func testLinesNameHostsNotRestoredFirst() {
        XCTAssertEqual(RollbackJob.lines(run([host("a", .restored), host("b", .restoredWithDifferences), host("c", .notRestored)])),
                       ["c: not-restored: x", "b: restored-with-differences: x", "a: restored"])
    }

    func testDryRunTextAndWaveLineSayOnHaltAndPin() {
        var p = RolloutPlan(waves: [RolloutWave(name: "canary", targets: [HostTarget(name: "c1", address: "10.0.0.1", user: "ops")])],
                            patchCommand: "apt-get -y upgrade")
        p.onHalt = .rollback
        p.pin = true
        let text = p.dryRunText()
        XCTAssertTrue(text.contains("  on halt: roll the wave's patched hosts back to their baselines and verify them\n"), text)
        XCTAssertTrue(text.contains("  pin: wave 1's change is recorded to patch-set.json"), text)

        var w = RolloutWaveReport(index: 1, name: "canary", hosts: [RolloutHostOutcome(host: "c1", patched: true)], verify: nil,
                                  haltReason: "wave canary: 1 regression found by verify", folder: "/tmp", durationSeconds: 1)
        w.rollback = run([host("c1", .restored)])
        XCTAssertTrue(RolloutReport.line(w).hasSuffix("\n  rollback c1: restored"), RolloutReport.line(w))
        XCTAssertEqual(w.rollbackOutcome("c1")?.verdict, .restored)
        XCTAssertNil(w.rollbackOutcome("c2"))
    }
}
