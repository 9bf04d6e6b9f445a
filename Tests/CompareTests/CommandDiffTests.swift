import XCTest
import Model
@testable import Compare

/// Declared command checks compared, and the expectations of one snapshot (the baseline run).
final class CommandDiffTests: DiffTestCase {
    static let sum1 = "sha256:" + String(repeating: "a", count: 64)
    static let sum2 = "sha256:" + String(repeating: "b", count: 64)

    static func passing(_ name: String, compare: CommandCheck.Compare? = nil) -> CommandResult {
        CommandResult(name: name, exit: 0, digest: sum1, outputBytes: 3, excerpt: "ok\n", durationMs: 40, compare: compare)
    }

    func withCommands(_ commands: [CommandResult]) -> (inout Snapshot) -> Void {
        { $0.commands = commands }
    }

    func testPassingBothTimesIsAQuietItem() {
        let v = diff(baseline: withCommands([Self.passing("app-smoke")])) { $0.commands = [Self.passing("app-smoke")] }
        XCTAssertEqual(v.findings, [])
        XCTAssertEqual(v.items.filter { $0.category == .section(.commands) }.map(\.subject), ["app-smoke"])
    }

    func testFailedExpectationIsRegressionNamingTheCommand() {
        var now = Self.passing("app-smoke")
        now.exit = 1
        now.excerpt = "\n  curl: (7) Failed to connect to 127.0.0.1 port 8080\nmore\n"
        now.failed = ["exited 1 (expected 0)"]
        let v = diff(baseline: withCommands([Self.passing("app-smoke")])) { $0.commands = [now] }
        XCTAssertEqual(v.summary, ["command-failed regression app-smoke"])
        XCTAssertEqual(v.findings.first?.message,
                       "command 'app-smoke' exited 1 (expected 0): curl: (7) Failed to connect to 127.0.0.1 port 8080")
        XCTAssertEqual(v.findings.first?.after, "exited 1")
    }

    func testFailingAlsoWithoutABaselineResult() {
        var now = Self.passing("new-check")
        now.timedOut = true
        now.exit = nil
        now.excerpt = ""
        now.failed = ["timed out after 30 s"]
        let v = diff { $0.commands = [now] }
        XCTAssertEqual(v.summary, ["command-failed regression new-check"])
        XCTAssertEqual(v.findings.first?.message, "command 'new-check' timed out after 30 s")
    }

    /// No exit expectation (a snapshot from elsewhere): exit 0 before, non-zero or timed out now.
    func testZeroBeforeNonZeroNowIsRegressionEvenWithoutExpectation() {
        var now = Self.passing("probe")
        now.exit = 2
        let v = diff(baseline: withCommands([Self.passing("probe")])) { $0.commands = [now] }
        XCTAssertEqual(v.summary, ["command-failed regression probe"])
        XCTAssertEqual(v.findings.first?.message, "command 'probe' exited 0 in the baseline, now exited 2: ok")
        var slow = Self.passing("probe")
        slow.exit = nil
        slow.timedOut = true
        XCTAssertEqual(diff(baseline: withCommands([Self.passing("probe")])) { $0.commands = [slow] }.summary,
                       ["command-failed regression probe"])
    }

    func testOutputChangedOnlyWithCompareOutput() {
        var now = Self.passing("version", compare: .output)
        now.digest = Self.sum2
        now.outputBytes = 9
        now.excerpt = "v2.0.1\n"
        let v = diff(baseline: withCommands([Self.passing("version", compare: .output)])) { $0.commands = [now] }
        XCTAssertEqual(v.summary, ["command-output-changed warning version"])
        XCTAssertEqual(v.findings.first?.message, "command 'version' output changed (3 → 9 bytes): v2.0.1")
        XCTAssertEqual(v.findings.first?.before, "sha256:aaaaaaaaaaaa… (3 bytes)")
        now.compare = .exit
        XCTAssertEqual(diff(baseline: withCommands([Self.passing("version")])) { $0.commands = [now] }.findings, [])
        // A different exit status is not an output change (and exit 3 expected passes).
        var other = now
        other.compare = .output
        other.exit = 3
        var base3 = Self.passing("version", compare: .output)
        base3.exit = 4
        XCTAssertEqual(diff(baseline: withCommands([base3])) { $0.commands = [other] }.findings, [])
    }

    func testOnlyInTheBaselineIsNoItem() {
        let v = diff(baseline: withCommands([Self.passing("gone")])) { $0.commands = [] }
        XCTAssertEqual(v.items.filter { $0.category == .section(.commands) }, [])
    }

    func testPolicyLowersCommandFailed() {
        var now = Self.passing("app-smoke")
        now.exit = 1
        now.failed = ["exited 1 (expected 0)"]
        let rules = CompareRules(severityOverrides: [.commandFailed: .warning])
        XCTAssertEqual(diff(rules: rules) { $0.commands = [now] }.summary, ["command-failed warning app-smoke"])
    }

    /// Text from a hand-edited snapshot file: control characters are escaped in the message.
    func testMessagesAreOneLine() {
        var now = Self.passing("a\u{1B}b")
        now.exit = 1
        now.failed = ["exited 1\n(expected 0)"]
        now.excerpt = "\u{1B}[2Jx\ty\r"
        let message = diff { $0.commands = [now] }.findings.first?.message ?? ""
        XCTAssertEqual(message, "command 'a\\u{1B}b' exited 1\\n(expected 0): \\u{1B}[2Jx y\\r")
    }

    func testExpectationsOfOneSnapshot() {
        var s = TestSnapshots.web1()
        var failing = Self.passing("app-smoke")
        failing.exit = 1
        failing.failed = ["exited 1 (expected 0)"]
        s.commands = [Self.passing("disk"), failing]
        s.httpChecks = [HTTPCheckResult(name: "health", url: "http://127.0.0.1:8080/health", status: 502,
                                        failed: ["status 502, expected 200"]),
                        HTTPCheckResult(name: "home", url: "http://127.0.0.1/", status: 200)]
        let items = Differ.expectations(snapshot: s, rules: CompareRules())
        XCTAssertEqual(Set(items.map(\.subject)), ["health (http://127.0.0.1:8080/health)", "app-smoke"], "only the failing ones")
        let findings = items.flatMap(\.findings)
        XCTAssertEqual(findings.map { "\($0.kind.rawValue) \($0.severity.rawValue) \($0.subject)" }.sorted(),
                       ["command-failed regression app-smoke", "http-check-failed regression health (http://127.0.0.1:8080/health)"])
        XCTAssertEqual(findings.first { $0.kind == .httpCheckFailed }?.message,
                       "http check health (http://127.0.0.1:8080/health) failed: status 502, expected 200")
        XCTAssertTrue(findings.allSatisfy { $0.host == s.host })
        XCTAssertEqual(Differ.expectations(snapshot: TestSnapshots.web1(), rules: CompareRules()), [])
        let lowered = Differ.expectations(snapshot: s, rules: CompareRules(severityOverrides: [.httpCheckFailed: .info]))
        XCTAssertEqual(lowered.flatMap(\.findings).map(\.severity).sorted(), [.info, .regression])
    }
}
