@testable import Engine
import Foundation
import Model
import XCTest

/// The pure parts of `postpatch rollout`: the plan's validation and dry-run text, the
/// --max-failures budget, the halt decision and the rollout's exit code.
final class RolloutPlanTests: XCTestCase {
    private func host(_ name: String, sudo: Bool = false) -> HostTarget {
        HostTarget(name: name, address: "10.0.0.\(name.count)", port: 2222, user: "ops", sudo: sudo)
    }

    private func plan(_ waves: [(String, [String])]) -> RolloutPlan {
        RolloutPlan(waves: waves.map { RolloutWave(name: $0.0, targets: $0.1.map { host($0) }) }, patchCommand: "apt-get -y upgrade")
    }

    func testFailureBudgetParsing() {
        XCTAssertEqual(FailureBudget.parse("2"), .count(2))
        XCTAssertEqual(FailureBudget.parse("0"), .count(0))
        XCTAssertEqual(FailureBudget.parse("10%"), .percent(10))
        XCTAssertEqual(FailureBudget.parse("12.5%"), .percent(12.5))
        for bad in ["", "-1", "x", "%", "101%", "-5%", "2 hosts", "1.5"] {
            XCTAssertNil(FailureBudget.parse(bad), bad)
        }
    }

    func testFailureBudgetAllowedRoundsDown() {
        XCTAssertEqual(FailureBudget.count(2).allowed(hosts: 1), 2)
        XCTAssertEqual(FailureBudget.percent(10).allowed(hosts: 5), 0)
        XCTAssertEqual(FailureBudget.percent(10).allowed(hosts: 20), 2)
        XCTAssertEqual(FailureBudget.percent(100).allowed(hosts: 3), 3)
        XCTAssertEqual(FailureBudget.percent(10).description, "10%")
    }

    func testHaltDecision() {
        XCTAssertNil(RolloutPlan.haltReason(wave: "web", hosts: 4, failed: 0, regressions: 0, budget: .count(0)))
        XCTAssertNil(RolloutPlan.haltReason(wave: "web", hosts: 4, failed: 1, regressions: 0, budget: .count(1)))
        XCTAssertNil(RolloutPlan.haltReason(wave: "web", hosts: 20, failed: 2, regressions: 0, budget: .percent(10)))
        let failed = RolloutPlan.haltReason(wave: "web", hosts: 20, failed: 3, regressions: 0, budget: .percent(10))
        XCTAssertEqual(failed, "wave web: 3 of 20 hosts failed (--max-failures 10% allows 2)")
        // Any regression halts, whatever the failure budget.
        let reg = RolloutPlan.haltReason(wave: "db", hosts: 2, failed: 0, regressions: 1, budget: .count(5))
        XCTAssertEqual(reg, "wave db: 1 regression found by verify")
    }

    func testValidationRefusesEmptyDuplicateAndOverlappingWaves() {
        XCTAssertNoThrow(try plan([("canary", ["c1"]), ("web", ["w1", "w2"])]).validate())
        func message(_ p: RolloutPlan) -> String {
            do { try p.validate(); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message(plan([])).contains("no waves"))
        XCTAssertTrue(message(plan([("web", [])])).contains("wave web has no hosts"))
        XCTAssertTrue(message(plan([("web", ["w1"]), ("web", ["w2"])])).contains("named twice"))
        XCTAssertTrue(message(plan([("canary", ["w1"]), ("web", ["w1"])])).contains("host w1 is in waves canary and web"))
        var empty = plan([("web", ["w1"])])
        empty.patchCommand = "  "
        XCTAssertTrue(message(empty).contains("patch command is empty"))
    }

    func testFromWaveSkipsEarlierWaves() throws {
        let p = plan([("canary", ["c1"]), ("web", ["w1"]), ("db", ["d1"])])
        XCTAssertEqual(try p.starting(from: "web").waves.map(\.name), ["web", "db"])
        XCTAssertThrowsError(try p.starting(from: "dns")) { XCTAssertTrue("\($0)".contains("--from-wave dns is not one of the waves (canary, web, db)")) }
    }

    func testDryRunTextListsWavesHostsAndCommands() {
        var p = plan([("canary", ["c1"]), ("web", ["w1", "w2"])])
        p.preCommand = "silence-alerts"
        p.reboot = .ifRequired
        p.waves[1].targets[0].sudo = true
        let text = p.dryRunText()
        XCTAssertTrue(text.hasPrefix("rollout plan: 2 waves, 3 hosts\n"), text)
        XCTAssertTrue(text.contains("patch command: apt-get -y upgrade"), text)
        XCTAssertTrue(text.contains("before each wave (here): silence-alerts"), text)
        XCTAssertTrue(text.contains("reboot: if the host requires it, or a unit never restarted by PostPatch runs replaced code (timeout 600 s)"), text)
        XCTAssertTrue(text.contains("wave 1 canary: 1 host\n  c1  ops@10.0.0.2:2222\n"), text)
        XCTAssertTrue(text.contains("wave 2 web: 2 hosts\n  w1  ops@10.0.0.2:2222  (sudo)\n  w2  ops@10.0.0.2:2222\n"), text)
    }

    private func wave(_ name: String, hosts: [RolloutHostOutcome], regressions: Int = 0, unchecked: Int = 0, halt: String? = nil) -> RolloutWaveReport {
        var verdicts = (0..<unchecked).map { HostVerdict(host: "u\($0)", error: "unreachable") }
        if regressions > 0 {
            let f = Finding(host: "r", kind: .serviceStopped, severity: .regression, subject: "x.service", message: "stopped")
            verdicts.append(HostVerdict(host: "r", items: [CheckedItem(category: .section(.services), subject: "x.service", findings: Array(repeating: f, count: regressions))]))
        }
        return RolloutWaveReport(index: 1, name: name, hosts: hosts, verify: VerifyRun(startedAt: Date(), durationSeconds: 0, hosts: verdicts),
                                 haltReason: halt, folder: "/tmp", durationSeconds: 1)
    }

    private func report(_ waves: [RolloutWaveReport], halt: String? = nil, io: [String] = []) -> RolloutReport {
        RolloutReport(runFolder: "/tmp/r", startedAt: Date(), waves: waves, skipped: [], haltReason: halt, ioErrors: io)
    }

    func testExitStatus() {
        let ok = RolloutHostOutcome(host: "a", patched: true)
        XCTAssertEqual(report([wave("w", hosts: [ok])]).exitStatus, .ok)
        XCTAssertEqual(report([wave("w", hosts: [ok], regressions: 1, halt: "r")], halt: "r").exitStatus, .failed)
        let patchFailed = RolloutHostOutcome(host: "b", failure: "patch command failed (exit status 1)")
        XCTAssertEqual(report([wave("w", hosts: [ok, patchFailed])]).exitStatus, .failed)
        let down = RolloutHostOutcome(host: "c", failure: "cannot connect", unreachable: true)
        XCTAssertEqual(report([wave("w", hosts: [ok, down])]).exitStatus, .unreachable)
        XCTAssertEqual(report([wave("w", hosts: [ok], unchecked: 1, halt: "h")], halt: "h").exitStatus, .unreachable)
        var pre = wave("w", hosts: [ok], halt: "pre")
        pre.preCommandFailed = true
        XCTAssertEqual(report([pre], halt: "pre").exitStatus, .failed)
        XCTAssertEqual(report([wave("w", hosts: [ok])], io: ["disk full"]).exitStatus, .localIO)
    }
}
