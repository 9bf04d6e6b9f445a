import XCTest
import Model
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
    }

    func testHostileUnitNamesNeverReachTheScript() {
        let plan = RestartOutdated.plan([unit("a';reboot;'.service"), unit("$(touch x).service"), unit("ok-1@x\\x2d.service")], deny: [])
        XCTAssertEqual(plan.restart, [])
        XCTAssertEqual(plan.skipped.count, 3)
        let good = RestartOutdated.plan([unit("pp-greetd.service")], deny: [])
        XCTAssertEqual(RestartOutdated.script(good), "if systemctl restart -- 'pp-greetd.service'; then echo \"restarted pp-greetd.service\"; else echo \"failed pp-greetd.service $?\"; fi\n")
    }
}
