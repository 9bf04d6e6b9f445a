import Foundation
import XCTest
import Model
import Compare
import Report
@testable import Engine

final class RestartOutdatedTests: XCTestCase {
    func unit(_ name: String, _ kind: OutdatedKind = .unit) -> OutdatedService {
        OutdatedService(name: name, kind: kind, processes: [], files: ["/usr/lib/libx.so"], fileCount: 1)
    }

    func testOrderDenyListAndSSHLast() {
        let plan = RestartOutdated.plan([unit("ssh.service"), unit("cron.service"), unit("dbus.service"), unit("user@1000.service"),
                                         unit("systemd", .manager), unit("session", .session), unit("nginx", .service),
                                         unit("postgresql@15-main.service"), unit("getty@tty1.service")],
                                        deny: ["postgresql@*.service"])
        XCTAssertEqual(plan.restart, ["cron.service", "ssh.service"])
        XCTAssertTrue(plan.reexec)
        XCTAssertEqual(plan.skipped.map(\.unit), ["dbus.service", "getty@tty1.service", "nginx", "postgresql@15-main.service", "session", "user@1000.service"])
        XCTAssertTrue(plan.skipped.first { $0.unit == "postgresql@15-main.service" }!.why.contains("restart_deny"))
        XCTAssertEqual(plan.skipped.first { $0.unit == "dbus.service" }?.why, "never restarted by PostPatch (dbus.service): reboot instead")
        XCTAssertEqual(plan.skipped.first { $0.unit == "user@1000.service" }?.why, "a user's service manager: it ends when that user logs out")
    }

    func testHostileUnitNamesNeverReachTheScript() {
        let plan = RestartOutdated.plan([unit("a';reboot;'.service"), unit("$(touch x).service"), unit("ok-1@x\\x2d.service")], deny: [])
        XCTAssertEqual(plan.restart, [])
        XCTAssertEqual(plan.skipped.count, 3)
        let good = RestartOutdated.plan([unit("pp-greetd.service")], deny: [])
        XCTAssertEqual(RestartOutdated.script(good), "if systemctl restart -- 'pp-greetd.service'; then echo \"restarted pp-greetd.service\"; else echo \"failed pp-greetd.service $?\"; fi\n")
    }
}

/// "In effect" after a rollout's restarts: what is left, and how the wave line and the closing
/// line say it per host.
final class InEffectTests: XCTestCase {
    func unit(_ name: String, _ kind: OutdatedKind = .unit) -> OutdatedService {
        OutdatedService(name: name, kind: kind, processes: [], files: ["/usr/lib/libx.so"], fileCount: 1)
    }

    func testNotInEffectNamesRebootReasonsDeniedUnitsAndTheRestButNotSessions() {
        var snap = Snapshot(host: "h", capturedAt: Date(timeIntervalSince1970: 0))
        XCTAssertEqual(RestartOutdated.notInEffect(snap, deny: []), [])
        snap.outdated = [unit("dbus.service"), unit("cron.service"), unit("session", .session), unit("systemd", .manager),
                         unit("pg.service"), unit("other", .other), unit("user@1000.service")]
        snap.system.rebootRequired = true
        snap.system.rebootReasons = ["running kernel 6.1.0-17 older than installed 6.1.0-18"]
        XCTAssertEqual(RestartOutdated.notInEffect(snap, deny: ["pg.service"]), [
            "running kernel 6.1.0-17 older than installed 6.1.0-18",
            "cron.service runs code the patch replaced",
            "dbus.service runs code the patch replaced and cannot be restarted safely",
            "pg.service runs code the patch replaced and cannot be restarted safely",
            "the service manager (PID 1) runs code the patch replaced",
        ])
        // Unknown is not empty: a capture that could not read every process is no "in effect".
        var partial = Snapshot(host: "h", capturedAt: Date(timeIntervalSince1970: 0))
        partial.partial[.outdated] = "not root"
        XCTAssertEqual(RestartOutdated.notInEffect(partial, deny: []), ["outdated code read in part (not root)"])
    }

    func report(_ hosts: [RolloutHostOutcome]) -> RolloutWaveReport {
        RolloutWaveReport(index: 1, name: "web", hosts: hosts, verify: nil, haltReason: nil, folder: "/tmp/x", durationSeconds: 1)
    }

    func testWaveLineAndClosingLineSayInEffectRebootedOrNot() {
        var restarted = RolloutHostOutcome(host: "web1", patched: true)
        restarted.restarted = ["cron.service", "ssh.service"]
        restarted.notInEffect = []
        var rebooted = RolloutHostOutcome(host: "web2", patched: true, rebooted: true)
        rebooted.rebootReasons = [RestartPolicy.reason("dbus.service")]
        rebooted.notInEffect = []
        var left = RolloutHostOutcome(host: "web3", patched: true)
        left.restarted = ["cron.service"]
        left.notInEffect = [RestartPolicy.reason("dbus.service")]
        let w = report([restarted, rebooted, left])
        let line = RolloutReport.line(w)
        XCTAssertTrue(line.contains("\n  web1: in effect: restarted 2 units (cron.service, ssh.service)"), line)
        XCTAssertTrue(line.contains("\n  web2: rebooted because dbus.service runs code the patch replaced and cannot be restarted safely"), line)
        XCTAssertTrue(line.contains("\n  web3: patch not in effect: dbus.service runs code the patch replaced and cannot be restarted safely (restarted 1 unit (cron.service))"), line)
        XCTAssertEqual(RolloutReport.complete([w]),
                       "rollout complete: 1 wave passed, patch not in effect on 1 host: web3 (dbus.service runs code the patch replaced and cannot be restarted safely)")
        XCTAssertEqual(RolloutReport.complete([report([restarted, rebooted])]), "rollout complete: 1 wave passed")

        // Summary.md: the outcome line says it, and the host lines say which.
        let md = RolloutSummaryMarkdown.render(RolloutReport(runFolder: "/tmp/x", startedAt: Date(timeIntervalSince1970: 0), waves: [w],
                                                             skipped: [], haltReason: nil, ioErrors: []).summary)
        XCTAssertTrue(md.contains("**Complete, patch not in effect on 1 host**: every wave passed, but web3: dbus.service runs code the patch replaced and cannot be restarted safely."), md)
        XCTAssertTrue(md.contains("- wave web, web1: in effect: restarted 2 units (cron.service, ssh.service)"), md)
        XCTAssertTrue(md.contains("- wave web, web2: rebooted because dbus.service runs code"), md)
        XCTAssertFalse(md.contains("every wave passed.\n"), md)
    }

    func testNothingLookedAtSaysWhatWasDoneAsBefore() {
        var h = RolloutHostOutcome(host: "web1", patched: true)
        h.rebootReasons = ["kernel"]
        XCTAssertTrue(RolloutReport.line(report([h])).hasSuffix("\n  web1: reboot required because kernel"))
        XCTAssertEqual(RolloutReport.complete([report([h])]), "rollout complete: 1 wave passed")
    }
}
