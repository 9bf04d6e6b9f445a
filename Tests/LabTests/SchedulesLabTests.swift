@testable import Collect
import Engine
import Foundation
import LabKit
import Model
import XCTest

/// Scheduled work on the realistic Debian 12 server (its timers and cron jobs as debootstrap
/// and its packages leave them): logrotate.timer disabled and stopped, a cron.d file removed, a
/// user's crontab line added. verify names each; nothing else. With PP_CAPTURE_FIXTURES=1 the
/// steps' raw outputs are written to Tests/Fixtures/collect/ (how the parser fixtures were made).
final class SchedulesLabTests: E2ETestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/collect")

    func testATimerDisabledACronJobRemovedAndOneAddedAreNamed() async throws {
        let host = try await bootSettledHost("sched-web", flavour: .realistic)
        try await host.runAsRoot("printf '# m h dom mon dow user command\\n30 2 * * * root /usr/local/sbin/backup --all\\n' >/etc/cron.d/pp-backup && chmod 644 /etc/cron.d/pp-backup")
        if ProcessInfo.processInfo.environment["PP_CAPTURE_FIXTURES"] == "1" { try await captureFixtures(host, "before") }
        let t = systemdTarget(host, user: SystemdHost.sudoUser, sudo: true)
        let base = try await baseline([t], knownHosts: host.knownHostsPath)
        let schedules = try XCTUnwrap(base.first?.schedules, "\(base.first?.notes ?? [])")
        let logrotate = schedules.timers.first { $0.name == "logrotate.timer" }
        XCTAssertEqual(logrotate, ScheduledTimer(name: "logrotate.timer", unit: "logrotate.service", active: "active", enabled: true))
        XCTAssertTrue(schedules.cron.contains { $0.source == "/etc/cron.d/pp-backup" && $0.line == 2 && $0.schedule == "30 2 * * *" && $0.user == "root" },
                      "\(schedules.cron)")
        XCTAssertTrue(schedules.cron.contains { $0.source == "/etc/cron.daily/logrotate" || $0.source == "/etc/cron.daily/dpkg" }, "\(schedules.cron)")
        XCTAssertNil(base.first?.partialReason(.schedules))
        XCTAssertFalse(try SnapshotCoding.encode(base[0]).contains(Array("/usr/local/sbin/backup".utf8)), "no command text in the snapshot")

        try await host.runAsRoot("systemctl disable --now logrotate.timer 2>&1; rm /etc/cron.d/pp-backup; "
            + "printf '15 4 * * 1 /home/alice/bin/report\\n' | crontab -u root -")
        if ProcessInfo.processInfo.environment["PP_CAPTURE_FIXTURES"] == "1" { try await captureFixtures(host, "after") }
        let v = verdict(try await verify([t], knownHosts: host.knownHostsPath), t.name)
        assertFindings(v, [.init(.timerStopped, .warning, "logrotate.timer"), .init(.timerDisabled, .warning, "logrotate.timer"),
                           .init(.cronJobRemoved, .warning, "/etc/cron.d/pp-backup:2"),
                           .init(.cronJobAdded, .info, "/var/spool/cron/crontabs/root:4")],
                       "timer disabled and stopped, cron.d file removed, a crontab line added")
        let removed = v?.findings.first { $0.kind == .cronJobRemoved }
        XCTAssertEqual(removed?.message, "cron job /etc/cron.d/pp-backup:2 (30 2 * * * as root) is gone")
        XCTAssertFalse(v?.findings.contains { $0.message.contains("/home/alice") || $0.message.contains("backup --all") } ?? true,
                       "never the command text")
    }

    /// The two steps as the collector runs them, written as fixtures.
    func captureFixtures(_ host: SystemdHost, _ label: String) async throws {
        let prelude = "pp_to() { timeout 20 \"$@\"; }\n"
        for (name, body) in [("timers", SchedulesSection.timersBody), ("cron", SchedulesSection.cronBody)] {
            let out = try await host.runAsRoot(prelude + "(\n" + body + "\n)", allowFailure: true).output
            try out.write(to: Self.fixtures.appendingPathComponent("schedules-realistic-\(label)-\(name).txt"), atomically: true, encoding: .utf8)
        }
        let services = try await host.runAsRoot(prelude + "(\n" + ServicesSection.timersBody + "\n)", allowFailure: true).output
        try services.write(to: Self.fixtures.appendingPathComponent("schedules-realistic-\(label)-services-timers.txt"), atomically: true, encoding: .utf8)
    }
}
