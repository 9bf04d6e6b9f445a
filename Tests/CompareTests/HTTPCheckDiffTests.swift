import XCTest
import Model
@testable import Compare

/// Declared HTTP checks: a failed expectation is a regression whatever the baseline said; a
/// passing check whose status or redirect moved is a warning; latency never counts.
final class HTTPCheckDiffTests: DiffTestCase {
    static let health = HTTPCheckResult(name: "health", url: "https://web1.example.test/health", status: 200,
                                        containsMatched: true, latencyMs: 12)
    static let login = HTTPCheckResult(name: "login", url: "http://web1.example.test/", via: .host, status: 302,
                                       location: "/login", latencyMs: 3)

    func withChecks(_ s: inout Snapshot) { s.httpChecks = [Self.health, Self.login] }

    func testPassingBothTimesIsSilentWhateverTheLatency() {
        let v = diff(baseline: withChecks) { s in
            withChecks(&s)
            s.httpChecks[0].latencyMs = 900
        }
        XCTAssertEqual(v.findings, [])
        XCTAssertEqual(v.items.filter { $0.category == .section(.http) }.map(\.subject),
                       ["health (https://web1.example.test/health)", "login (http://web1.example.test/)"])
    }

    func testFailedExpectationIsRegressionNamingCheckAndURL() {
        let v = diff(baseline: withChecks) { s in
            withChecks(&s)
            s.httpChecks[0].status = 502
            s.httpChecks[0].containsMatched = false
            s.httpChecks[0].failed = ["status 502, expected 200", "body does not contain 'ok'"]
        }
        XCTAssertEqual(v.summary, ["http-check-failed regression health (https://web1.example.test/health)"])
        let f = v.findings.first
        XCTAssertEqual(f?.message, "http check health (https://web1.example.test/health) failed: status 502, expected 200 (and 1 more)")
        XCTAssertEqual(f?.before, "status 200")
        XCTAssertEqual(f?.after, "status 502, expected 200; body does not contain 'ok'")
        XCTAssertEqual(f?.category, .section(.http))
    }

    func testFailingBothTimesStaysARegression() {
        let failing = { (s: inout Snapshot) in
            s.httpChecks = [HTTPCheckResult(name: "health", url: "http://x/", error: "no answer within 10 s", failed: ["no answer within 10 s"])]
        }
        let v = diff(baseline: failing, failing)
        XCTAssertEqual(v.summary, ["http-check-failed regression health (http://x/)"])
        XCTAssertEqual(v.findings.first?.before, "failed: no answer within 10 s")
    }

    func testNewCheckFailingIsARegressionAtOnce() {
        let v = diff { s in s.httpChecks = [HTTPCheckResult(name: "new", url: "http://x/", status: 404, failed: ["status 404, expected below 400"])] }
        XCTAssertEqual(v.summary, ["http-check-failed regression new (http://x/)"])
        XCTAssertNil(v.findings.first?.before)
    }

    func testStatusOrRedirectChangedWhilePassingIsWarning() {
        let v = diff(baseline: withChecks) { s in
            withChecks(&s)
            s.httpChecks[1].location = "/sso/login"
        }
        XCTAssertEqual(v.summary, ["http-check-changed warning login (http://web1.example.test/)"])
        XCTAssertEqual(v.findings.first?.message,
                       "http check login (http://web1.example.test/) still passes, answer changed: status 302 to /login → status 302 to /sso/login")
        let status = diff(baseline: withChecks) { s in
            withChecks(&s)
            s.httpChecks[0].status = 204
        }
        XCTAssertEqual(status.summary, ["http-check-changed warning health (https://web1.example.test/health)"])
    }

    func testRecoveredCheckIsSilent() {
        let v = diff(baseline: { s in
            s.httpChecks = [HTTPCheckResult(name: "health", url: "http://x/", status: 500, failed: ["status 500, expected 200"])]
        }) { s in
            s.httpChecks = [HTTPCheckResult(name: "health", url: "http://x/", status: 200)]
        }
        XCTAssertEqual(v.findings, [])
    }

    func testCheckDroppedFromConfigIsNoItem() {
        let v = diff(baseline: withChecks) { s in s.httpChecks = [Self.health] }
        XCTAssertEqual(v.findings, [])
        XCTAssertEqual(v.items.filter { $0.category == .section(.http) }.count, 1)
    }

    func testPolicyOverrideApplies() {
        let rules = CompareRules(severityOverrides: [.httpCheckChanged: .info])
        let v = diff(rules: rules, baseline: withChecks) { s in
            withChecks(&s)
            s.httpChecks[0].status = 204
        }
        XCTAssertEqual(v.summary, ["http-check-changed info health (https://web1.example.test/health)"])
    }

    func testOneSnapshotAloneForABaselineRun() {
        let maker = FindingMaker(host: "web1", rules: CompareRules())
        let failing = HTTPCheckResult(name: "health", url: "http://x/", status: 503, failed: ["status 503, expected below 400"])
        let items = HTTPCheckDiff.failures(current: [failing, Self.login], maker: maker)
        XCTAssertEqual(items.map(\.subject), ["health (http://x/)", "login (http://web1.example.test/)"])
        XCTAssertEqual(items.flatMap(\.findings).map(\.kind), [.httpCheckFailed])
        XCTAssertEqual(items.first?.findings.first?.severity, .regression)
        XCTAssertEqual(items.first?.findings.first?.message, "http check health (http://x/) failed: status 503, expected below 400")
    }
}
