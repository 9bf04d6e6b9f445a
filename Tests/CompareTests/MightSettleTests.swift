import XCTest
import Model
@testable import Compare

final class MightSettleTests: DiffTestCase {
    func testStartingServiceAndClosedPortMightSettle() {
        let v = diff {
            self.setService("nginx.service", &$0) { $0.active = "activating"; $0.sub = "start" }
            $0.sockets.removeAll { $0.process == "nginx" }
        }
        XCTAssertEqual(v.count(.regression), 3)
        XCTAssertTrue(Differ.mightSettle(v))
    }

    func testUnansweredProbesMightSettle() {
        let v = diff {
            $0.connectivity[0].reachable = false
            $0.dns[0].answers = []
            $0.databases[0].up = false
        }
        XCTAssertTrue(Differ.mightSettle(v))
    }

    func testFailedServiceWillNotSettle() {
        let v = diff {
            self.setService("nginx.service", &$0) { $0.active = "failed"; $0.sub = "failed" }
            $0.sockets.removeAll { $0.process == "nginx" }
        }
        XCTAssertFalse(Differ.mightSettle(v))
    }

    func testMissingUnitWillNotSettle() {
        let v = diff { $0.services.removeAll { $0.name == "nginx.service" } }
        XCTAssertFalse(Differ.mightSettle(v))
    }

    func testNoRegressionMeansNothingToWaitFor() {
        XCTAssertFalse(Differ.mightSettle(diff { _ in }))
        XCTAssertFalse(Differ.mightSettle(diff { $0.sockets.append(TestSnapshots.sock(.tcp, "0.0.0.0", 8080, "java", 4242)) }))
    }

    func testOverriddenKindThatCannotSettle() {
        let rules = CompareRules(severityOverrides: [.packageRemoved: .regression])
        let v = diff(rules: rules) {
            $0.packages.removeAll { $0.name == "nginx" }
            $0.sockets.removeAll { $0.process == "nginx" }
        }
        XCTAssertFalse(Differ.mightSettle(v))
    }
}
