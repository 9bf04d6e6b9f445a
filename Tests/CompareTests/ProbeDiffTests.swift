import XCTest
import Model
@testable import Compare

final class ProbeDiffTests: DiffTestCase {
    func testConnectivityLostIsRegression() {
        let v = diff { $0.connectivity[0].reachable = false; $0.connectivity[0].error = "connection refused" }
        XCTAssertEqual(v.summary, ["connectivity-lost regression db1.internal:5432"])
        XCTAssertEqual(v.findings.first?.message, "db1.internal:5432 was reachable, now unreachable: connection refused")
    }

    func testErrorWhileReachableIsLost() {
        let v = diff { $0.connectivity[1].error = "100% packet loss" }
        XCTAssertEqual(v.summary, ["connectivity-lost regression ping 10.0.0.1"])
    }

    func testConnectivityRestoredIsInfo() {
        let v = diff(baseline: { $0.connectivity[0].reachable = false; $0.connectivity[0].error = "timed out after 5s" }) { _ in }
        XCTAssertEqual(v.summary, ["connectivity-restored info db1.internal:5432"])
    }

    func testNewConnectivityCheckFailingIsWarning() {
        let v = diff { $0.connectivity.append(ConnectivityResult(target: "backup.internal", port: 873, kind: .tcp, reachable: false, error: "no route to host")) }
        XCTAssertEqual(v.summary, ["connectivity-new-unreachable warning backup.internal:873"])
    }

    func testProbeDroppedFromConfigIsNoItem() {
        let v = diff { $0.connectivity.removeLast() }
        XCTAssertEqual(v.findings, [])
        XCTAssertEqual(v.items.filter { $0.category == .section(.connectivity) }.map(\.subject), ["db1.internal:5432"])
    }

    func testLatencyIsVolatile() {
        let v = diff { $0.connectivity[0].latencyMs = 950; $0.databases[0].latencyMs = 4000 }
        XCTAssertEqual(v.findings, [])
    }

    func testDNSUnresolvableIsRegression() {
        let v = diff { $0.dns[0].answers = []; $0.dns[0].error = "not found" }
        XCTAssertEqual(v.summary, ["dns-unresolvable regression db1.internal"])
        XCTAssertEqual(v.findings.first?.message, "db1.internal resolved to 10.0.2.15, now fails: not found")
    }

    func testDNSNoAnswersIsUnresolvable() {
        let v = diff { $0.dns[1].answers = [] }
        XCTAssertEqual(v.summary, ["dns-unresolvable regression deb.debian.org A @10.0.0.53"])
    }

    func testDNSAnswersChangedIsWarning() {
        let v = diff { $0.dns[0].answers = ["10.0.2.16"] }
        XCTAssertEqual(v.summary, ["dns-answers-changed warning db1.internal"])
        XCTAssertEqual(v.findings.first?.message, "db1.internal answers changed: 10.0.2.15 → 10.0.2.16")
    }

    func testDNSAnswerOrderIsNotAChange() {
        let v = diff { $0.dns[1].answers.reverse() }
        XCTAssertEqual(v.findings, [])
    }

    func testDNSRestoredAndNew() {
        let v = diff(baseline: { $0.dns[0].answers = []; $0.dns[0].error = "SERVFAIL" }) {
            $0.dns.append(DNSResult(name: "api.internal", method: "getent", error: "not found"))
        }
        XCTAssertEqual(v.summary, ["dns-new-unresolvable warning api.internal", "dns-restored info db1.internal"])
    }

    func testDatabaseDownIsRegression() {
        let v = diff { $0.databases[1].up = false; $0.databases[1].version = nil; $0.databases[1].error = "connection refused" }
        XCTAssertEqual(v.summary, ["database-down regression cache (redis 127.0.0.1:6379)"])
        XCTAssertEqual(v.findings.first?.message, "cache (redis 127.0.0.1:6379) was up (7.0.11), now down: connection refused")
    }

    func testDatabaseHandshakeErrorIsDown() {
        let v = diff { $0.databases[0].error = "FATAL: the database system is starting up" }
        XCTAssertEqual(v.summary, ["database-down regression orders (postgres 127.0.0.1:5432)"])
    }

    func testDatabaseVersionChangedIsInfo() {
        let v = diff { $0.databases[0].version = "15.6" }
        XCTAssertEqual(v.summary, ["database-version-changed info orders (postgres 127.0.0.1:5432)"])
    }

    func testDatabaseRestoredAndNewDown() {
        let v = diff(baseline: { $0.databases[1].up = false; $0.databases[1].error = "connection refused" }) {
            $0.databases.append(DatabaseResult(name: "reports", kind: .mysql, address: "127.0.0.1", port: 3306, up: false, error: "connection refused"))
        }
        XCTAssertEqual(v.summary, ["database-restored info cache (redis 127.0.0.1:6379)",
                                   "database-new-down warning reports (mysql 127.0.0.1:3306)"])
    }
}
