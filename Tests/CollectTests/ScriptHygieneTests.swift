import Foundation
import XCTest
import Model
@testable import Collect
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The script leaves nothing behind, even when stopped, and bounds each step with `timeout`.
final class ScriptHygieneTests: XCTestCase {
    var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("pp-hygiene-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: tmp)
    }

    func script(_ body: String, stepTimeout: Int = 20) -> String {
        "TMPDIR=\(ShellQuote.quote(tmp.path)); export TMPDIR\n"
            + ScriptFraming.preamble(nonce: "hyg", stepTimeout: stepTimeout) + body + ScriptFraming.epilogue
    }

    func leftovers() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: tmp.path) }

    func testTempDirRemovedAndStderrKeptApart() throws {
        for argv in try ShellRunner.shells() {
            let body = ScriptFraming.step(Step(.commands, "x-noisy"), "echo out; echo err >&2; exit 3")
            let run = try ShellRunner.run(argv, stdin: script(body))
            XCTAssertEqual(run.status, 0, run.stderr)
            let out = ScriptOutput.parse(String(decoding: run.stdout, as: UTF8.self), nonce: "hyg")
            XCTAssertEqual(out.steps["commands.x-noisy"], StepOutput(stdout: "out\n", stderr: "err\n", status: 3))
            XCTAssertTrue(out.finished)
            XCTAssertEqual(try leftovers(), [], argv.joined(separator: " "))
        }
    }

    func testStepTimeoutBecomesANote() throws {
        for argv in try ShellRunner.shells() {
            let body = ScriptFraming.step(Step(.commands, "x-slow"), "pp_to sleep 5") + ScriptFraming.step(Step(.commands, "x-after"), "echo still here")
            let run = try ShellRunner.run(argv, stdin: script(body, stepTimeout: 1))
            let out = ScriptOutput.parse(String(decoding: run.stdout, as: UTF8.self), nonce: "hyg")
            XCTAssertEqual(out.steps["commands.x-slow"]?.problem("x", "sleep"), "x: sleep timed out (raise --step-timeout)")
            XCTAssertEqual(out.steps["commands.x-after"]?.stdout, "still here\n")
            XCTAssertLessThan(run.wallSeconds, 4)
        }
    }

    func testTerminatedRunCleansUp() throws {
        for argv in try ShellRunner.shells() {
            let child = try LabProcess.spawnPiped(argv)
            PipedChild.writeAll(child.stdinFD, Array(script(ScriptFraming.step(Step(.commands, "x-wait"), "sleep 2")).utf8))
            close(child.stdinFD)
            // Wait until the script has made its temp dir, then stop it.
            try waitUntilBlocking("the script's temp dir", timeout: .seconds(5)) { try !leftovers().isEmpty }
            XCTAssertEqual(try leftovers().count, 1)
            kill(child.pid, SIGTERM)
            _ = PipedChild.readAll(child.stdoutFD)
            close(child.stdoutFD)
            close(child.stderrFD)
            XCTAssertEqual(child.wait(), 143, argv.joined(separator: " "))
            XCTAssertEqual(try leftovers(), [], argv.joined(separator: " "))
        }
    }

    /// A TERM that arrives while mktemp runs (the dir made, its name not yet assigned) still
    /// removes the dir: the traps are set before it. mktemp is made slow by a function (functions
    /// win over PATH), so the window is a second wide instead of a few microseconds.
    func testSignalWhileTheTempDirIsMadeCleansUp() throws {
        for argv in try ShellRunner.shells() {
            let slowMktemp = "mktemp() { command mktemp \"$@\"; sleep 1; }\n"
            let child = try LabProcess.spawnPiped(argv)
            PipedChild.writeAll(child.stdinFD, Array((slowMktemp + script(ScriptFraming.step(Step(.commands, "x-wait"), "sleep 2"))).utf8))
            close(child.stdinFD)
            try waitUntilBlocking("the script's temp dir", timeout: .seconds(5)) { try !leftovers().isEmpty }
            XCTAssertEqual(try leftovers().count, 1)
            kill(child.pid, SIGTERM)
            _ = PipedChild.readAll(child.stdoutFD)
            close(child.stdoutFD)
            close(child.stderrFD)
            XCTAssertEqual(child.wait(), 143, argv.joined(separator: " "))
            XCTAssertEqual(try leftovers(), [], argv.joined(separator: " "))
        }
    }

    func testRenderedScriptIsPlainPOSIX() {
        let script = CollectorScript.render(checks: CheckSet(dns: [DNSCheck(name: "a")], connectivity: [ConnectivityCheck(target: "b", port: 1)]),
                                            options: ScriptOptions(refresh: true), nonce: "n")
        for bashism in ["[[", "$'", "function ", "local ", "<<<", "pipefail", "${!", "source "] {
            XCTAssertFalse(script.contains(bashism), "script uses \(bashism)")
        }
        XCTAssertTrue(script.contains("apt-get -qq update"))
        let plain = CollectorScript.render(checks: CheckSet(), options: ScriptOptions(), nonce: "n")
        let fast = CollectorScript.render(checks: CheckSet(), options: ScriptOptions(pendingUpdates: false), nonce: "n")
        XCTAssertTrue(plain.contains("apt-get -s") && !fast.contains("apt-get") && !fast.contains("check-update"))
        let noted = SnapshotParser.parse(stdout: Array("\n@@PP-n NOTE updates not collected (pendingUpdates turned off)\n\n@@PP-n DONE\n".utf8),
                                         host: "h", nonce: "n", checks: CheckSet())
        XCTAssertTrue(noted.notes.contains("updates: not collected (pendingUpdates turned off)"), "\(noted.notes)")
        XCTAssertFalse(plain.contains("apt-get -qq update") || plain.contains("makecache") || plain.contains("apk -q update"))
    }
}
