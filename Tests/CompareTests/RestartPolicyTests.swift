import XCTest
import Model
@testable import Compare

/// Advice matches action: a unit PostPatch refuses to restart is a reboot reason, and its
/// outdated finding says reboot, never "restart it".
final class RestartPolicyTests: DiffTestCase {
    func unit(_ name: String, _ kind: OutdatedKind = .unit, files: [String] = ["/usr/lib/x86_64-linux-gnu/libdbus-1.so.3"]) -> OutdatedService {
        OutdatedService(name: name, kind: kind, processes: ["p"], files: files, fileCount: files.count)
    }

    func testRefusalNamesThePatternBuiltInOrConfig() {
        XCTAssertEqual(RestartPolicy.refusal("dbus.service"), "never restarted by PostPatch (dbus.service)")
        XCTAssertEqual(RestartPolicy.refusal("user@1000.service"), "never restarted by PostPatch (user@*.service)")
        XCTAssertNil(RestartPolicy.refusal("cron.service"))
        XCTAssertEqual(RestartPolicy.refusal("postgresql@15-main.service", deny: ["postgresql@*.service"]),
                       "denied by rollout.restart_deny (postgresql@*.service)")
        // The config's list is checked first: its pattern is the one named.
        XCTAssertEqual(RestartPolicy.refusal("dbus.service", deny: ["dbus*"]), "denied by rollout.restart_deny (dbus*)")
    }

    func testRebootReasonsAreDeniedUnitsOnly() {
        let outdated = [unit("systemd-logind.service"), unit("dbus.service"), unit("cron.service"), unit("systemd", .manager),
                        unit("session", .session), unit("dbus", .service), unit("pg.service")]
        XCTAssertEqual(RestartPolicy.rebootReasons(outdated), [
            "dbus.service runs code the patch replaced and cannot be restarted safely",
            "systemd-logind.service runs code the patch replaced and cannot be restarted safely",
        ])
        XCTAssertEqual(RestartPolicy.rebootReasons(outdated, deny: ["pg.service"]).count, 3)
        XCTAssertEqual(RestartPolicy.rebootReasons([unit("cron.service")]), [])
    }

    /// Each user's systemd --user: never restarted, no reboot reason either (it ends at logout,
    /// as needrestart's "user manager service" sessions say); its advice says log out.
    func testUserManagersEndWithTheirUser() {
        XCTAssertNotNil(RestartPolicy.refusal("user@1000.service"))
        XCTAssertEqual(RestartPolicy.rebootReasons([unit("user@1000.service")]), [])
        let v = diff { $0.outdated = [self.unit("user@1000.service", files: ["/usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1"])] }
        XCTAssertEqual(v.findings.first?.message,
                       "user@1000.service (a user's service manager) still runs code the patch replaced (liblzma.so.5.4.1): it ends when that user logs out; log out and in again")
    }

    func testDeniedUnitFindingSaysRebootOthersSayRestart() {
        let v = diff { $0.outdated = [self.unit("dbus.service"), self.unit("cron.service", files: ["/usr/lib/x86_64-linux-gnu/libc.so.6"])] }
        XCTAssertEqual(v.summary.sorted(), ["service-outdated warning cron.service", "service-outdated warning dbus.service"])
        let dbus = v.findings.first { $0.subject == "dbus.service" }?.message ?? ""
        XCTAssertEqual(dbus, "reboot required: dbus.service runs code the patch replaced (libdbus-1.so.3) and cannot be restarted safely")
        XCTAssertFalse(dbus.contains("restart it"))
        XCTAssertEqual(v.findings.first { $0.subject == "cron.service" }?.message,
                       "cron.service still runs code the patch replaced (libc.so.6): restart it")
        // A SysV service of the same name is no systemd unit: PostPatch never restarts those anyway.
        XCTAssertTrue(diff { $0.outdated = [self.unit("dbus", .service)] }.findings.first?.message.hasSuffix("restart it") ?? false)
    }

    /// The config's `rollout: restart_deny` reaches verify's advice (resolved into the host's rules).
    func testTheConfigsDenyListMakesVerifySayReboot() throws {
        let rules = CompareRules(restartDeny: ["postgresql@*.service"])
        let v = diff(rules: rules) { $0.outdated = [self.unit("postgresql@15-main.service")] }
        XCTAssertEqual(v.findings.first?.message.hasPrefix("reboot required: postgresql@15-main.service runs code the patch replaced"), true,
                       v.findings.first?.message ?? "")
        let plain = diff { $0.outdated = [self.unit("postgresql@15-main.service")] }
        XCTAssertEqual(plain.findings.first?.message.hasSuffix(": restart it"), true)
    }
}
