import XCTest
import Model
@testable import Compare

final class ServiceDiffTests: DiffTestCase {
    func testActiveToFailedIsRegression() {
        let v = diff { self.setService("nginx.service", &$0) { $0.active = "failed"; $0.sub = "failed" } }
        XCTAssertEqual(v.summary, ["service-failed regression nginx.service"])
        XCTAssertEqual(v.findings.first?.message, "nginx.service was active (running), now failed")
        XCTAssertEqual(v.findings.first?.before, "active (running)")
        XCTAssertEqual(v.findings.first?.after, "failed")
    }

    func testActiveToInactiveIsStopped() {
        let v = diff { self.setService("php8.2-fpm.service", &$0) { $0.active = "inactive"; $0.sub = "dead" } }
        XCTAssertEqual(v.summary, ["service-stopped regression php8.2-fpm.service"])
        XCTAssertEqual(v.findings.first?.message, "php8.2-fpm.service was active (running), now inactive (dead)")
    }

    func testActiveToAutoRestartLoopIsStopped() {
        let v = diff { self.setService("redis-server.service", &$0) { $0.active = "activating"; $0.sub = "auto-restart" } }
        XCTAssertEqual(v.summary, ["service-stopped regression redis-server.service"])
    }

    func testActiveUnitGoneIsMissing() {
        let v = diff { $0.services.removeAll { $0.name == "php8.2-fpm.service" } }
        XCTAssertEqual(v.summary, ["service-missing regression php8.2-fpm.service"])
        XCTAssertEqual(v.findings.first?.message, "php8.2-fpm.service was active (running), now gone (unit no longer listed)")
        XCTAssertNotNil(v.items.first { $0.subject == "php8.2-fpm.service" }, "a gone unit is still a checked item")
    }

    func testInactiveUnitNowFailedIsWarning() {
        let v = diff { self.setService("apt-daily.service", &$0) { $0.active = "failed"; $0.sub = "failed" } }
        XCTAssertEqual(v.summary, ["service-newly-failed warning apt-daily.service"])
    }

    func testNewUnitFailedIsWarning() {
        let v = diff { $0.services.append(TestSnapshots.svc("certbot.service", "failed", "failed", enabled: "static")) }
        XCTAssertEqual(v.summary, ["service-newly-failed warning certbot.service"])
    }

    func testStillFailedIsNoFinding() {
        let v = diff(baseline: { self.setService("apt-daily.service", &$0) { $0.active = "failed"; $0.sub = "failed" } }) {
            self.setService("apt-daily.service", &$0) { $0.active = "failed"; $0.sub = "failed" }
        }
        XCTAssertEqual(v.findings, [])
    }

    func testNewActiveUnitIsAdded() {
        let v = diff { $0.services.append(TestSnapshots.svc("fail2ban.service")) }
        XCTAssertEqual(v.summary, ["service-added info fail2ban.service"])
        XCTAssertEqual(v.findings.first?.message, "fail2ban.service is new and active (running)")
    }

    func testInactiveUnitsComingAndGoingAreSilent() {
        // systemd unloads unreferenced inactive units from list-units --all between captures.
        let v = diff {
            $0.services.removeAll { $0.name == "apt-daily-upgrade.service" }
            $0.services.append(TestSnapshots.svc("man-db.service", "inactive", "dead", enabled: "static"))
        }
        XCTAssertEqual(v.findings, [])
    }

    func testFailedUnitNoLongerListedIsRemoved() {
        let v = diff(baseline: { self.setService("apt-daily.service", &$0) { $0.active = "failed"; $0.sub = "failed" } }) {
            $0.services.removeAll { $0.name == "apt-daily.service" }
        }
        XCTAssertEqual(v.summary, ["service-removed info apt-daily.service"])
    }

    func testInactiveToActiveIsStarted() {
        let v = diff { self.setService("apt-daily.service", &$0) { $0.active = "active"; $0.sub = "running" } }
        XCTAssertEqual(v.summary, ["service-started info apt-daily.service"])
    }

    func testFailedToInactiveIsStateChanged() {
        let v = diff(baseline: { self.setService("apt-daily.service", &$0) { $0.active = "failed"; $0.sub = "failed" } }) { _ in }
        XCTAssertEqual(v.summary, ["service-state-changed info apt-daily.service"])
    }

    func testRunningToExitedIsWarning() {
        let v = diff { self.setService("cron.service", &$0) { $0.sub = "exited" } }
        XCTAssertEqual(v.summary, ["service-exited warning cron.service"])
        XCTAssertEqual(v.findings.first?.message, "cron.service was active (running), now active (exited)")
    }

    func testOtherSubstateChangeWhileActiveIsInfo() {
        let v = diff { self.setService("networking.service", &$0) { $0.sub = "running" } }
        XCTAssertEqual(v.summary, ["service-substate-changed info networking.service"])
    }

    func testEnabledToDisabledIsWarning() {
        let v = diff { self.setService("nginx.service", &$0) { $0.enabled = "disabled" } }
        XCTAssertEqual(v.summary, ["service-disabled warning nginx.service"])
        XCTAssertEqual(v.findings.first?.message, "nginx.service was enabled, now disabled: it will not start at next boot")
    }

    func testEnabledToMaskedIsWarning() {
        let v = diff { self.setService("redis-server.service", &$0) { $0.enabled = "masked" } }
        XCTAssertEqual(v.summary, ["service-disabled warning redis-server.service"])
    }

    func testOtherEnablementChangeIsInfo() {
        let v = diff { self.setService("dbus.service", &$0) { $0.enabled = "indirect" } }
        XCTAssertEqual(v.summary, ["service-enablement-changed info dbus.service"])
    }

    func testUnknownEnablementIsNotCompared() {
        let v = diff { self.setService("nginx.service", &$0) { $0.enabled = nil } }
        XCTAssertEqual(v.findings, [])
    }

    func testStateAndEnablementBothReported() {
        let v = diff { self.setService("nginx.service", &$0) { $0.active = "inactive"; $0.sub = "dead"; $0.enabled = "disabled" } }
        XCTAssertEqual(v.summary, ["service-stopped regression nginx.service", "service-disabled warning nginx.service"])
        XCTAssertEqual(v.items.filter { !$0.findings.isEmpty }.count, 1, "both findings belong to the one unit item")
    }
}
