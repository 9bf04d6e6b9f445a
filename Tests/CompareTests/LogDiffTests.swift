import XCTest
import Model
@testable import Compare

/// Journal errors: only a unit with none in the baseline fires; counts and lines are evidence.
/// Lines as the lab host's journal had them (Tests/Fixtures/collect/logs).
final class LogDiffTests: DiffTestCase {
    static let ssh = UnitLogErrors(unit: "ssh.service", count: 5, lines: ["Failed to start ssh.service - OpenBSD Secure Shell server."])
    static let logerr = UnitLogErrors(unit: "pp-logerr.service", count: 3, lines: [
        "pp-logerr: cannot open /etc/pp-logerr.conf: No such file or directory", "pp-logerr: giving up",
    ])

    func testAUnitWithoutErrorsInTheBaselineFiresWithItsFirstLines() {
        let v = diff(baseline: { $0.logErrors = [Self.ssh] }) { $0.logErrors = [Self.ssh, Self.logerr] }
        XCTAssertEqual(v.summary, ["log-errors-new warning pp-logerr.service"])
        XCTAssertEqual(v.findings.first?.message, "pp-logerr.service logged 3 message(s) at priority err or worse this boot, none in the baseline's: "
                       + "\"pp-logerr: cannot open /etc/pp-logerr.conf: No such file or directory\"; \"pp-logerr: giving up\"")
        XCTAssertEqual(v.findings.first?.after, "3")
        XCTAssertEqual(v.items.filter { $0.category == .section(.logs) }.map(\.subject),
                       ["crash dumps (0)", "journal errors (2 units)", "pp-logerr.service"])
    }

    func testCountsAndTextAreNeverCompared() {
        var more = Self.ssh
        more.count = 40
        more.lines.append("ssh.service: Failed with result 'exit-code'.")
        let v = diff(baseline: { $0.logErrors = [Self.ssh, Self.logerr] }) { $0.logErrors = [more] }
        XCTAssertEqual(v.summary, [], "more errors, other text, a unit gone quiet (a reboot starts counts over): no finding")
    }

    func testOnlyThreeLinesOfEvidenceEachBounded() {
        let long = String(repeating: "x", count: 240) + "…"
        let chatty = UnitLogErrors(unit: "chatty.service", count: 12, lines: ["one", "two", long, "four"], omitted: 8)
        let v = diff { $0.logErrors = [chatty] }
        let message = v.findings.first?.message ?? ""
        XCTAssertTrue(message.hasPrefix("chatty.service logged 12 message(s)"), message)
        XCTAssertTrue(message.contains("\"one\"; \"two\"; \"\(String(repeating: "x", count: 160))\" (and 8 more not kept)"), message)
        XCTAssertFalse(message.contains("four"), message)
    }

    func testKnownIssueRegexesDropLinesInBothSnapshots() {
        let rules = CompareRules(ignore: IgnoreRules([.logs: ["cannot open /etc/pp-logerr\\.conf", "^pp-logerr: giving up$"]]))
        XCTAssertEqual(diff(rules: rules) { $0.logErrors = [Self.logerr] }.summary, [], "every line known")
        var worse = Self.logerr
        worse.lines.append("pp-logerr: disk full")
        let v = diff(rules: rules) { $0.logErrors = [worse] }
        XCTAssertEqual(v.summary, ["log-errors-new warning pp-logerr.service"])
        XCTAssertTrue(v.findings.first?.message.hasSuffix(": \"pp-logerr: disk full\"") ?? false, "\(v.findings)")
        // A baseline whose only lines were known counts as quiet.
        let w = diff(rules: rules, baseline: { $0.logErrors = [Self.logerr] }) { $0.logErrors = [worse] }
        XCTAssertEqual(w.summary, ["log-errors-new warning pp-logerr.service"])
        // Lines the snapshot did not keep cannot be known to match: the unit still counts.
        var cut = Self.logerr
        cut.omitted = 4
        XCTAssertEqual(diff(rules: rules) { $0.logErrors = [cut] }.summary, ["log-errors-new warning pp-logerr.service"])
    }

    func testAPartialBaselineReportsNothingNew() {
        let v = diff(baseline: { $0.partial[.logs] = "over 2000 journal messages at priority err or worse this boot: the newest 2000 were read" }) {
            $0.logErrors = [Self.logerr]
            $0.crashDumps = [CrashDump(source: .file, path: "/core", time: 1_795_651_139)]
        }
        XCTAssertEqual(v.summary, [])
    }

    func testNewCrashDumpsFromTheJournalAndFromFiles() {
        let old = CrashDump(source: .journal, executable: "/usr/bin/sleep", pid: 80, signal: 11, time: 1_795_651_142)
        let new = CrashDump(source: .journal, executable: "/usr/bin/sleep", pid: 102, signal: 6, unit: "pp-crashy.service", time: 1_795_651_166)
        let core = CrashDump(source: .file, path: "/core", time: 1_795_651_139)
        let v = diff(baseline: { $0.crashDumps = [old] }) { $0.crashDumps = [old, new, core] }
        XCTAssertEqual(v.summary.sorted(), ["crash-dump-new warning crash /core", "crash-dump-new warning crash sleep"])
        XCTAssertEqual(v.findings.map(\.message).sorted(), [
            "/usr/bin/sleep (pid 102, SIGABRT, pp-crashy.service) dumped core at 2026-11-25T23:59:26Z",
            "core file /core written at 2026-11-25T23:58:59Z",
        ])
        // The same file written again (a second crash of a process working in /) is a new dump.
        var again = core
        again.time += 60
        XCTAssertEqual(diff(baseline: { $0.crashDumps = [core] }) { $0.crashDumps = [again] }.summary, ["crash-dump-new warning crash /core"])
        // Dumps that are gone (cleaned, or before a reboot) are no finding.
        XCTAssertEqual(diff(baseline: { $0.crashDumps = [old, core] }) { $0.crashDumps = [] }.summary, [])
    }

    func testLogsNotCapturedAreNotCompared() {
        let skipped = CaptureGap(step: "", problem: "no journalctl (no journald): messages at priority err and core dumps not read", fix: "", skipped: true)
        let v = diff(baseline: { $0.notCaptured[.logs] = skipped }) { $0.logErrors = [Self.logerr] }
        XCTAssertEqual(v.summary, [])
        XCTAssertTrue(v.notes.isEmpty || !v.notes.contains { $0.contains("logs") }, "a skip on the baseline is no note: \(v.notes)")
    }

    func testVolatileLogFieldsAreClearedForEquality() {
        var a = TestSnapshots.web1()
        a.logErrors = [Self.logerr]
        var b = a
        b.logErrors[0].count = 99
        b.logErrors[0].lines = ["other text"]
        b.logErrors[0].omitted = 3
        XCTAssertEqual(a.withoutVolatileFields(), b.withoutVolatileFields())
        b.logErrors[0].unit = "other.service"
        XCTAssertNotEqual(a.withoutVolatileFields(), b.withoutVolatileFields())
    }
}
