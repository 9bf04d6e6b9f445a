import XCTest
import Model
@testable import Compare

/// Units a timer starts (apt-daily, logrotate, man-db, ...) change state by the clock: an
/// unchanged host verified while one runs gives no finding; one that ends failed still does.
final class TimerUnitDiffTests: DiffTestCase {
    /// web1's apt-daily.service, started by apt-daily.timer, in `active`/`sub`.
    func aptDaily(_ active: String, _ sub: String, timer: String? = "apt-daily.timer") -> (inout Snapshot) -> Void {
        { s in
            self.setService("apt-daily.service", &s) { $0.active = active; $0.sub = sub; $0.timer = timer }
        }
    }

    func testRunningOnScheduleIsNoFinding() {
        for (active, sub) in [("activating", "start"), ("active", "running"), ("active", "exited"), ("deactivating", "stop")] {
            XCTAssertEqual(diff(baseline: aptDaily("inactive", "dead"), aptDaily(active, sub)).findings, [], "\(active) (\(sub))")
            XCTAssertEqual(diff(baseline: aptDaily(active, sub), aptDaily("inactive", "dead")).findings, [], "back from \(active)")
        }
    }

    func testBaselineTakenMidRunIsNoStoppedRegression() {
        // Without a timer this is service-stopped: a daemon gone.
        XCTAssertEqual(diff(baseline: aptDaily("active", "running", timer: nil), aptDaily("inactive", "dead", timer: nil)).summary,
                       ["service-stopped regression apt-daily.service"])
        XCTAssertEqual(diff(baseline: aptDaily("active", "running"), aptDaily("inactive", "dead")).findings, [])
    }

    func testTimerKnownOnOneSideIsEnough() {
        // A baseline from before timers were collected: the current snapshot knows the timer.
        XCTAssertEqual(diff(baseline: aptDaily("inactive", "dead", timer: nil), aptDaily("activating", "start")).findings, [])
    }

    func testEndingFailedIsStillAFinding() {
        XCTAssertEqual(diff(baseline: aptDaily("inactive", "dead"), aptDaily("failed", "failed")).summary,
                       ["service-newly-failed warning apt-daily.service"])
        XCTAssertEqual(diff(baseline: aptDaily("activating", "start"), aptDaily("failed", "failed")).summary,
                       ["service-newly-failed warning apt-daily.service"])
    }

    func testFailedInTheBaselineRunningAgainIsNoFindingUntilItEnds() {
        let failed = aptDaily("failed", "failed")
        XCTAssertEqual(diff(baseline: failed, aptDaily("activating", "start")).findings, [])
        XCTAssertEqual(diff(baseline: failed, aptDaily("failed", "failed")).findings, [])
        XCTAssertEqual(diff(baseline: failed, aptDaily("inactive", "dead")).summary,
                       ["service-state-changed info apt-daily.service"])
    }

    func testAutoRestartLoopIsStillCompared() {
        XCTAssertEqual(diff(baseline: aptDaily("active", "running"), aptDaily("activating", "auto-restart")).summary,
                       ["service-stopped regression apt-daily.service"])
    }
}
