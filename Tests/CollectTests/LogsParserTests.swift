import Foundation
import XCTest
import Model
@testable import Collect

/// The logs section on the real output of its steps, run by the collector script inside a lab
/// Debian 12 host (systemd 252): journalctl's JSON with a unit logging at err, messages
/// journalctl prints as byte arrays or null, systemd's "Failed to start" about a unit, and one
/// dump recorded by systemd-coredump; the core file the kernel wrote into a process's working
/// directory (core_pattern "core"); journalctl run as `nobody`. Provenance:
/// Tests/Fixtures/collect/logs/README.md.
final class LogsParserTests: XCTestCase {
    func fixture(_ name: String) throws -> String { try Fixtures.local("logs/\(name)") }

    func testJournalPerUnitWithEscapedBoundedLines() throws {
        let j = LogsParser.journal(try fixture("debian-12-lab_logs-journal.json"))
        XCTAssertEqual(j.notes, [])
        XCTAssertEqual(j.entries, 18)
        let byUnit = Dictionary(uniqueKeysWithValues: j.units.map { ($0.unit, $0) })
        XCTAssertEqual(Set(byUnit.keys), ["ssh.service", "pp-logerr.service", "pp-binary", "pp-long", "pp-escape", "pp-logger"])
        // systemd's own messages about ssh.service (from init.scope, UNIT=ssh.service) are ssh's.
        XCTAssertEqual(byUnit["ssh.service"]?.lines, ["Failed to start ssh.service - OpenBSD Secure Shell server."])
        XCTAssertEqual(byUnit["pp-logerr.service"], UnitLogErrors(unit: "pp-logerr.service", count: 3, lines: [
            "pp-logerr: cannot open /etc/pp-logerr.conf: No such file or directory", "pp-logerr: giving up",
        ]))
        XCTAssertEqual(byUnit["pp-binary"]?.lines, ["bad \u{FFFD} byte"], "not UTF-8: journalctl gives bytes")
        XCTAssertEqual(byUnit["pp-escape"]?.lines, ["\\u{1B}[31mred\\u{1B}[0m alert\\u{9}tab"], "escapes cannot reach a terminal")
        XCTAssertEqual(byUnit["pp-long"]?.lines, ["(message over 4096 bytes, not shown by journalctl)"])
        XCTAssertEqual(byUnit["pp-logger"]?.lines, ["plain syslog error"])
        XCTAssertFalse(j.units.contains { $0.unit.hasPrefix("systemd-coredump") }, "a dump is a crash dump, not a log error")
    }

    /// The dumps read from the journal are those `coredumpctl list` showed at the same moment.
    func testCoreDumpsFromTheJournalAreWhatCoredumpctlLists() throws {
        let j = LogsParser.journal(try fixture("debian-12-lab_logs-journal.json"))
        XCTAssertEqual(j.dumps, [CrashDump(source: .journal, executable: "/usr/bin/sleep", pid: 72, signal: 11, unit: "pp-crashy.service",
                                           path: "/var/lib/systemd/coredump/core.sleep.0.8bd13c82d1ca4fb2a1c179ca25d27ed4.72.1795652565000000.zst",
                                           time: 1_795_652_565)])
        struct Listed: Decodable { var time: Int; var pid: Int; var sig: Int; var exe: String }
        let listed = try JSONDecoder().decode([Listed].self, from: Data(try fixture("coredumpctl-252_json-short.out").utf8))
        XCTAssertEqual(listed.map { "\($0.exe) \($0.pid) \($0.sig)" }, j.dumps.map { "\($0.executable!) \($0.pid!) \($0.signal!)" })
        XCTAssertEqual(Double(listed[0].time) / 1e6, Double(j.dumps[0].time), accuracy: 1)
    }

    func testCoreFilesWhereThePatternWritesThem() throws {
        let c = LogsParser.cores(try fixture("debian-12-lab_logs-cores.out"))
        XCTAssertEqual(c.pattern, "core")
        XCTAssertEqual(c.dumps, [CrashDump(source: .file, path: "/var/tmp/core", time: 1_795_652_564)])
        XCTAssertEqual(c.dumps.first?.subject, "/var/tmp/core")
    }

    func testUnitNamesThatChangeEveryLoginOrCrashAreFolded() {
        XCTAssertEqual(LogsParser.fold("session-12.scope"), "session-*.scope")
        XCTAssertEqual(LogsParser.fold("run-u42.service"), "run-*.service")
        XCTAssertEqual(LogsParser.fold("run-r3f2a9c.scope"), "run-*.scope")
        XCTAssertEqual(LogsParser.fold("systemd-coredump@0-77-0.service"), "systemd-coredump@*.service")
        XCTAssertEqual(LogsParser.fold("getty@tty1.service"), "getty@tty1.service")
        XCTAssertEqual(LogsParser.fold("runner.service"), "runner.service")
        XCTAssertEqual(LogsParser.unit(of: ["_TRANSPORT": "kernel", "SYSLOG_IDENTIFIER": "kernel"]), "kernel")
        XCTAssertEqual(LogsParser.unit(of: [:]), "unknown")
    }

    func testOnlyTenDistinctLinesAreKeptPerUnit() {
        let lines = (1...14).map { #"{"_SYSTEMD_UNIT":"chatty.service","PRIORITY":"3","MESSAGE":"error \#($0 % 12)"}"# }
        let j = LogsParser.journal(lines.joined(separator: "\n") + "\nnot json\n")
        XCTAssertEqual(j.units.count, 1)
        XCTAssertEqual(j.units[0].count, 14)
        XCTAssertEqual(j.units[0].lines.count, UnitLogErrors.maxLines)
        XCTAssertEqual(j.units[0].omitted, 2, "errors 10 and 11 were not kept; 0 and 1 came again and were")
        XCTAssertEqual(j.notes, ["logs: 1 line(s) of journalctl output are not journal entries"])
        XCTAssertEqual(LogText.line(String(repeating: "é", count: 300)).count, UnitLogErrors.maxLineCharacters + 1)
    }

    func output(journal: String, stderr: String = "", status: Int = 0, cores: String? = nil) -> [UInt8] {
        var s = "\n@@PP-n BEGIN logs.journal\n\(journal)\n@@PP-n STDERR logs.journal\n\(stderr)\n@@PP-n END logs.journal \(status)\n"
        if let cores { s += "\n@@PP-n BEGIN logs.cores\n\(cores)\n@@PP-n STDERR logs.cores\n\n@@PP-n END logs.cores 0\n" }
        return Array((s + "\n@@PP-n DONE\n").utf8)
    }

    func testSectionThroughTheScriptOutput() throws {
        let s = SnapshotParser.parse(stdout: output(journal: try fixture("debian-12-lab_logs-journal.json"),
                                                    cores: try fixture("debian-12-lab_logs-cores.out")),
                                     host: "h", nonce: "n", checks: CheckSet())
        XCTAssertTrue(s.isCaptured(.logs))
        XCTAssertNil(s.partialReason(.logs))
        XCTAssertEqual(s.logErrors.map(\.unit), ["pp-binary", "pp-escape", "pp-logerr.service", "pp-logger", "pp-long", "ssh.service"])
        XCTAssertEqual(s.crashDumps.map(\.source), [.file, .journal])
    }

    func testNotRootIsASkipWithTheRemedyAndAFailureIsAGap() throws {
        let denied = SnapshotParser.parse(stdout: output(journal: "", stderr: try fixture("debian-12-lab_logs-journal-not-root.err"), status: 1),
                                          host: "h", nonce: "n", checks: CheckSet())
        XCTAssertEqual(denied.gap(.logs)?.skipped, true)
        XCTAssertTrue(denied.gap(.logs)?.problem.hasSuffix("run with --sudo") ?? false, "\(String(describing: denied.gap(.logs)))")
        let failed = SnapshotParser.parse(stdout: output(journal: "", stderr: "Data from the specified boot (+0) is not available: No such boot ID in journal", status: 1),
                                          host: "h", nonce: "n", checks: CheckSet())
        XCTAssertEqual(failed.gap(.logs)?.problem, "journalctl exited 1: Data from the specified boot (+0) is not available: No such boot ID in journal")
        XCTAssertEqual(failed.gap(.logs)?.skipped, false)
        let timedOut = SnapshotParser.parse(stdout: output(journal: "", status: 124), host: "h", nonce: "n", checks: CheckSet())
        XCTAssertEqual(timedOut.gap(.logs)?.problem, "timed out after 20 s")
    }

    func testOnlyTheUsersOwnMessagesOrTheEntryLimitMakeItPartial() {
        let hint = "Hint: You are currently not seeing messages from other users and the system.\n"
        let own = SnapshotParser.parse(stdout: output(journal: "", stderr: hint), host: "h", nonce: "n", checks: CheckSet())
        XCTAssertTrue(own.partialReason(.logs)?.hasPrefix("not root") ?? false)
        let many = (0..<LogsSection.entryLimit).map { #"{"_SYSTEMD_UNIT":"x.service","PRIORITY":"3","MESSAGE":"m\#($0)"}"# }
        let full = SnapshotParser.parse(stdout: output(journal: many.joined(separator: "\n")), host: "h", nonce: "n", checks: CheckSet())
        XCTAssertEqual(full.partialReason(.logs), "over 2000 journal messages at priority err or worse this boot: the newest 2000 were read")
        XCTAssertEqual(full.logErrors.first?.count, 2000)
    }

    func testWithoutJournaldTheSectionIsSkippedNotEmpty() {
        let s = SnapshotParser.parse(stdout: Array("\n@@PP-n SKIP logs no journalctl (no journald): messages at priority err and core dumps not read\n\n@@PP-n DONE\n".utf8),
                                     host: "h", nonce: "n", checks: CheckSet())
        XCTAssertEqual(s.gap(.logs)?.skipped, true)
        XCTAssertTrue(s.captureNotes.contains("logs not captured: no journalctl (no journald): messages at priority err and core dumps not read"))
    }

    func testPipedElsewhereIsANote() {
        let s = SnapshotParser.parse(stdout: output(journal: "", cores: "pattern=|/usr/libexec/abrt-hook-ccpp %s %c %p %u %g %t e %P %I %h\n"),
                                     host: "h", nonce: "n", checks: CheckSet())
        XCTAssertTrue(s.notes.contains("logs: core dumps are piped to /usr/libexec/abrt-hook-ccpp, which PostPatch does not read"), "\(s.notes)")
    }

    /// The cores step on this machine under dash and busybox ash: whatever the kernel's
    /// core_pattern is, the step says it; with the plain `core` pattern, a core.PID file in
    /// /tmp (core_uses_pid's name) is found.
    func testCoresStepRunsUnderDashAndBusybox() throws {
        let pattern = try String(contentsOfFile: "/proc/sys/kernel/core_pattern", encoding: .utf8).trimmingCharacters(in: .newlines)
        let probe = "/tmp/core.\(900_000 + Int(getpid() % 90_000))"
        FileManager.default.createFile(atPath: probe, contents: Data("not really a core".utf8))
        defer { try? FileManager.default.removeItem(atPath: probe) }
        for argv in try ShellRunner.shells() {
            let script = ScriptFraming.preamble(nonce: "n", stepTimeout: 5) + ScriptFraming.step(LogsSection.coresStep, LogsSection.coresBody)
                + ScriptFraming.epilogue
            let run = try ShellRunner.run(argv, stdin: script)
            let step = ScriptOutput.parse(run.stdout, nonce: "n").steps["logs.cores"]
            XCTAssertEqual(step?.status, 0, "\(argv): \(run.stderr)")
            let cores = LogsParser.cores(step?.stdout ?? "")
            XCTAssertEqual(cores.pattern, pattern, "\(argv)")
            if pattern == "core" {
                XCTAssertTrue(cores.dumps.contains { $0.path == probe }, "\(argv): \(cores.dumps)")
            }
        }
    }
}
