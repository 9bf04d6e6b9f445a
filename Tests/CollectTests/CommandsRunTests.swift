import Foundation
import TestSupport
import XCTest
import Model
@testable import Collect
#if canImport(Glibc)
import Glibc
#endif

/// Declared commands run for real through the collector's preamble and the commands fragment,
/// under dash and busybox ash: exit statuses, expectations, timeouts (with and without the
/// `timeout` tool), and hostile output that must stay inert and bounded.
final class CommandsRunTests: XCTestCase {
    static let nonce = "c0ffee"

    /// The preamble, the commands and the epilogue; `withoutTimeoutTool` hides `timeout` from the
    /// fragment the way a host without it looks (PP_TIMEOUT_CMD empty), so the watcher's fallback runs.
    static func script(_ checks: [CommandCheck], withoutTimeoutTool: Bool = false, timeoutTool: String? = nil) -> String {
        ScriptFraming.preamble(nonce: nonce, stepTimeout: 10)
            + (withoutTimeoutTool ? "PP_TIMEOUT_CMD=\n" : "")
            + (timeoutTool.map { "PP_TIMEOUT_CMD=\(ShellQuote.quote($0))\n" } ?? "")
            + CommandsSection.fragment(checks) + ScriptFraming.epilogue
    }

    static func run(_ argv: [String], _ checks: [CommandCheck], withoutTimeoutTool: Bool = false,
                    timeoutTool: String? = nil) throws -> (results: [String: CommandResult], snapshot: Snapshot, run: ShellRun) {
        let run = try ShellRunner.run(argv, stdin: script(checks, withoutTimeoutTool: withoutTimeoutTool, timeoutTool: timeoutTool))
        let snapshot = SnapshotParser.parse(stdout: run.stdout, host: "local", nonce: nonce, checks: CheckSet(commands: checks))
        let results = Dictionary(snapshot.commands.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        return (results, snapshot, run)
    }

    func testExitStatusesAndExpectations() throws {
        let checks = [
            CommandCheck(name: "ok", run: "echo hello; echo to-stderr >&2"),
            CommandCheck(name: "fails", run: "echo 'app: connection refused' >&2; exit 3"),
            CommandCheck(name: "expects-3", run: "exit 3", expectExit: 3),
            CommandCheck(name: "contains", run: "printf 'status: ok\\n'", expectStdoutContains: "status: ok"),
            CommandCheck(name: "lacks", run: "printf 'status: degraded\\n'", expectStdoutContains: "status: ok"),
            CommandCheck(name: "quotes", run: "printf '%s\\n' \"it's $((6 * 7))\" | tr -d '\\n'; echo"),
            CommandCheck(name: "cwd", run: "pwd; touch left-behind; ls"),
            CommandCheck(name: "stdin", run: "cat; echo \"read $?\""),
        ]
        for argv in try ShellRunner.shells() {
            let label = argv.joined(separator: " ")
            let (r, snapshot, run) = try Self.run(argv, checks)
            XCTAssertEqual(run.status, 0, "\(label): \(run.stderr)")
            XCTAssertEqual(snapshot.commands.count, checks.count, label)
            let ok = try XCTUnwrap(r["ok"], label)
            XCTAssertEqual(ok.exit, 0, label)
            XCTAssertFalse(ok.timedOut, label)
            XCTAssertEqual(ok.excerpt, "hello\nto-stderr\n", label)
            XCTAssertEqual(ok.outputBytes, 16, label)
            XCTAssertEqual(ok.digest, "sha256:" + (try sha256("hello\nto-stderr\n")), label)
            XCTAssertEqual(ok.failed, [], label)
            XCTAssertNotNil(ok.durationMs, label)
            XCTAssertEqual(r["fails"]?.exit, 3, label)
            XCTAssertEqual(r["fails"]?.failed, ["exited 3 (expected 0)"], label)
            XCTAssertEqual(r["fails"]?.excerpt, "app: connection refused\n", label)
            XCTAssertEqual(r["expects-3"]?.failed, [], label)
            XCTAssertEqual(r["contains"]?.failed, [], label)
            XCTAssertEqual(r["lacks"]?.failed, ["output lacks 'status: ok' (its 17 bytes searched)"], label)
            XCTAssertEqual(r["quotes"]?.excerpt, "it's 42\n", label)
            // A scratch folder inside the collector's temp folder, removed with it.
            let cwd = try XCTUnwrap(r["cwd"]?.excerpt.split(separator: "\n").first, label)
            XCTAssertTrue(cwd.hasSuffix("/cmd.6/work"), "\(label): \(cwd)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: String(cwd)), "\(label): the scratch folder is left behind")
            XCTAssertEqual(r["stdin"]?.excerpt, "read 0\n", "\(label): stdin is /dev/null, not the script")
        }
    }

    func testTimeoutWithTheToolAndWithTheWatcherFallback() throws {
        let checks = [
            CommandCheck(name: "slow", run: "echo started; sleep 20; echo never", timeout: 1),
            CommandCheck(name: "slow-child", run: "sleep 20 | cat; echo never", timeout: 1),
            CommandCheck(name: "quick", run: "exit 124", timeout: 5),
        ]
        for argv in try ShellRunner.shells() {
            for fallback in [false, true] {
                let label = argv.joined(separator: " ") + (fallback ? " (no timeout tool)" : "")
                let (r, _, run) = try Self.run(argv, checks, withoutTimeoutTool: fallback)
                XCTAssertEqual(run.status, 0, "\(label): \(run.stderr)")
                let slow = try XCTUnwrap(r["slow"], label)
                XCTAssertTrue(slow.timedOut, "\(label): \(slow)")
                XCTAssertNil(slow.exit, label)
                XCTAssertEqual(slow.failed, ["timed out after 1 s"], label)
                XCTAssertEqual(slow.excerpt, "started\n", label)
                XCTAssertEqual(r["slow-child"]?.timedOut, true, "\(label): \(String(describing: r["slow-child"]))")
                // A command's own 124 before its limit is an exit status, not a timeout.
                XCTAssertEqual(r["quick"]?.timedOut, false, label)
                XCTAssertEqual(r["quick"]?.exit, 124, label)
                // Each slow command ends within its limit, the KILL grace and the output drain grace.
                XCTAssertLessThan(run.wallSeconds, 2 * Double(1 + CommandsSection.drainGraceSeconds + 3) + 2, label)
            }
        }
    }

    /// Busybox's `timeout` (the smallest hosts') ends the command's shell only, with TERM (143):
    /// still read as a timeout once the limit passed; a child left holding the output is cut off.
    func testBusyboxTimeout() throws {
        let busybox = try LabSkip.tool("busybox", package: "busybox")
        let checks = [CommandCheck(name: "slow", run: "echo started; sleep 20; echo never", timeout: 1),
                      CommandCheck(name: "quick", run: "echo fine")]
        let (r, _, run) = try Self.run(try ShellRunner.dash(), checks, timeoutTool: "\(busybox) timeout")
        XCTAssertEqual(r["slow"]?.timedOut, true, "\(String(describing: r["slow"]))")
        XCTAssertEqual(r["slow"]?.failed, ["timed out after 1 s"])
        XCTAssertEqual(r["slow"]?.excerpt, "started\n")
        XCTAssertEqual(r["quick"]?.excerpt, "fine\n")
        XCTAssertEqual(r["quick"]?.failed, [])
        XCTAssertLessThan(run.wallSeconds, Double(1 + CommandsSection.drainGraceSeconds + 4))
    }

    /// ESC, NUL, CR, invalid UTF-8, a bidi override and 10 MB: the exit status is the command's
    /// own (no SIGPIPE), the snapshot stays small and printable, the digest covers every byte.
    func testHostileOutputStaysInertAndBounded() throws {
        let hostile = "printf '\\033[2J\\033]0;owned\\007\\000\\r\\377\\376\\342\\200\\256evil\\nfine\\n'"
        let tenMB = 10 * 1024 * 1024
        let checks = [
            CommandCheck(name: "hostile", run: hostile + "; head -c \(tenMB) /dev/zero | tr '\\000' 'A'; exit 7", expectExit: 7,
                         expectStdoutContains: "fine"),
            CommandCheck(name: "after", run: "echo still-parsed"),
        ]
        for argv in try ShellRunner.shells() {
            let label = argv.joined(separator: " ")
            let (r, snapshot, run) = try Self.run(argv, checks)
            XCTAssertEqual(run.status, 0, "\(label): \(run.stderr)")
            XCTAssertLessThan(run.wallSeconds, 20, label)
            XCTAssertLessThan(run.stdout.count, 64 * 1024, "\(label): the script's own output stays small")
            let h = try XCTUnwrap(r["hostile"], label)
            XCTAssertEqual(h.exit, 7, label)
            XCTAssertEqual(h.failed, [], "\(label): \(h.failed)")
            XCTAssertEqual(h.outputBytes, 31 + tenMB, label)
            let expected = try sha256Of(command: hostile + "; head -c \(tenMB) /dev/zero | tr '\\000' 'A'")
            XCTAssertEqual(h.digest, "sha256:" + expected, label)
            XCTAssertTrue(h.excerpt.hasPrefix("\\u{1B}[2J\\u{1B}]0;owned\\u{07}\\0\\r\u{FFFD}\u{FFFD}\\u{202E}evil\nfine\nAAAA"), "\(label): \(h.excerpt.prefix(80))")
            XCTAssertLessThanOrEqual(h.excerpt.count, CommandsParser.excerptCharacters + 1, label)
            for scalar in h.excerpt.unicodeScalars where scalar != "\n" {
                XCTAssertFalse(CommandsParser.needsEscape(scalar), "\(label): raw U+\(String(scalar.value, radix: 16)) in the excerpt")
            }
            XCTAssertEqual(r["after"]?.excerpt, "still-parsed\n", label)
            let json = try SnapshotCoding.encode(snapshot)
            XCTAssertLessThan(json.count, 64 * 1024, label)
        }
    }

    /// Output that looks like the script's own markers, with the real nonce, is data: every later
    /// step is still read from the real markers, and the script still ends with DONE.
    func testFakeFramingMarkersAreData() throws {
        let n = Self.nonce
        let fake = "printf '\\n@@PP-\(n) END commands.0 0\\n@@PP-\(n) BEGIN commands.1\\nrc=0\\n@@PP-\(n) DONE\\n'; exit 5"
        let checks = [
            CommandCheck(name: "forger", run: fake),
            CommandCheck(name: "next", run: "exit 2", expectExit: 2),
        ]
        for argv in try ShellRunner.shells() {
            let label = argv.joined(separator: " ")
            let (r, _, run) = try Self.run(argv, checks)
            let output = ScriptOutput.parse(run.stdout, nonce: n)
            XCTAssertEqual(output.steps.keys.sorted(), ["commands.0", "commands.1"], label)
            XCTAssertEqual(r["forger"]?.exit, 5, label)
            XCTAssertTrue(r["forger"]?.excerpt.contains("@@PP-\(n) DONE") ?? false, label)
            XCTAssertEqual(r["next"]?.exit, 2, label)
            XCTAssertEqual(r["next"]?.failed, [], label)
            let text = String(decoding: run.stdout, as: UTF8.self)
            XCTAssertEqual(text.components(separatedBy: "@@PP-\(n) DONE").count, 2, "\(label): one DONE marker, the script's")
        }
    }

    /// A command leaving a background process that holds its output open: the step still ends,
    /// the drain grace after the command, with what was read and a note.
    func testOutputHeldOpenByALeftoverProcessIsCutOff() throws {
        let checks = [CommandCheck(name: "daemon", run: "(sleep 30; echo late) & echo started", timeout: 20)]
        let argv = try ShellRunner.dash()
        let (r, snapshot, run) = try Self.run(argv, checks)
        let d = try XCTUnwrap(r["daemon"])
        XCTAssertEqual(d.exit, 0)
        XCTAssertEqual(d.excerpt, "started\n")
        XCTAssertLessThan(run.wallSeconds, Double(CommandsSection.drainGraceSeconds) + 5)
        XCTAssertTrue(snapshot.notes.contains { $0.contains("'daemon' left a process holding its output open") }, "\(snapshot.notes)")
    }

    func testInvalidCommandsAreNotSentButAnswered() throws {
        let checks = [CommandCheck(name: "empty", run: " "), CommandCheck(name: "nul", run: "echo a\0b"), CommandCheck(name: "ok", run: "true")]
        let fragment = CommandsSection.fragment(checks)
        XCTAssertFalse(fragment.contains("commands.0") || fragment.contains("commands.1") || fragment.contains("\0"), fragment)
        let (r, _, _) = try Self.run(try ShellRunner.dash(), checks)
        XCTAssertEqual(r["empty"]?.failed, ["not run: the command text is empty"])
        XCTAssertEqual(r["nul"]?.failed, ["not run: the command text holds a NUL character, which no shell can be given"])
        XCTAssertEqual(r["ok"]?.failed, [])
    }

    func testNoCommandsNoFragment() {
        XCTAssertEqual(CommandsSection.fragment([]), "")
        XCTAssertEqual(CollectorScript.commandsBudgetSeconds(CheckSet()), 0)
        let two = CheckSet(commands: [CommandCheck(name: "a", run: "x", timeout: 0.2), CommandCheck(name: "b", run: "y", timeout: 30)])
        XCTAssertEqual(CollectorScript.commandsBudgetSeconds(two), (1 + 12) + (30 + 12))
    }

    /// The command text reaches `sh -c` as one quoted word: quotes, `$(...)` and newlines in it
    /// are the command's own, never the script's.
    func testRunTextIsOneQuotedWord() {
        let check = CommandCheck(name: "q", run: "echo 'a'\"b\"; echo $(id -u)\n`true`")
        let fragment = CommandsSection.fragment([check])
        XCTAssertTrue(fragment.contains("pp_cmd 30 " + ShellQuote.quote(check.run) + " 0\n"), fragment)
    }

    /// The connection going away ends a long command at once, not at its timeout. Simulated as
    /// sshd's exit looks to the script: the script runs as a session leader (setsid) under a
    /// parent shell, which is killed; the script is re-parented and its watcher ends the command.
    func testLostConnectionEndsTheCommand() throws {
        let setsid = try LabSkip.tool("setsid", package: "util-linux")
        let dash = try LabSkip.tool("dash", package: "dash")
        let tag = "47.\(Int.random(in: 100_000...999_999))"
        let checks = [CommandCheck(name: "long", run: "sleep \(tag); echo done", timeout: 600)]
        let child = try LabProcess.spawnPiped(["/bin/sh", "-c", "\(setsid) \(dash) -s; exit 0"])
        PipedChild.writeAll(child.stdinFD, Array(Self.script(checks).utf8))
        close(child.stdinFD)
        func running() -> Bool { ((try? LabProcess.runBlocking("/usr/bin/pgrep", ["-f", "sleep \(tag)"]))?.status ?? 1) == 0 }
        try waitUntilBlocking("the command `sleep \(tag)` to start", timeout: .seconds(10)) { running() }
        let cut = Date()
        kill(child.pid, SIGKILL)
        try waitUntilBlocking("the command to end after its connection went away", timeout: .seconds(10)) { !running() }
        // The watcher looks once a second; the script then stops at its next marker.
        XCTAssertLessThan(Date().timeIntervalSince(cut), 4)
        child.wait()
        _ = PipedChild.readAll(child.stdoutFD)
        close(child.stdoutFD)
        close(child.stderrFD)
    }

    func testFragmentIsPlainPOSIX() {
        let fragment = CommandsSection.fragment([CommandCheck(name: "a", run: "true")])
        for bashism in ["[[", "$'", "function ", "local ", "<<<", "pipefail", "${!", "source ", "<(", ">("] {
            XCTAssertFalse(fragment.contains(bashism), "the fragment uses \(bashism)")
        }
    }

    // MARK: helpers

    private func sha256(_ text: String) throws -> String {
        try sha256Of(command: "printf '%s' " + ShellQuote.quote(text))
    }

    private func sha256Of(command: String) throws -> String {
        let r = try LabProcess.runBlocking("/bin/sh", ["-c", "(" + command + ") | sha256sum"])
        return String(r.stdout.prefix(64))
    }
}
