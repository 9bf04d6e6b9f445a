import Foundation
import LabKit
import TestSupport
import XCTest

/// The built `postpatch` binary given bad numbers and words on its command line and in the
/// checks file's `rollout:` section: each is refused with exit 2 and one message naming the
/// option (or key) and its range, never a signal. No host is contacted: every run here stops at
/// its arguments, or prints a rollout plan (`--dry-run`), or runs `exec` on this machine.
final class OptionValidationTests: XCTestCase {
    private var dir: String!

    override func setUp() async throws {
        dir = try LabProcess.makeTempDir("options").path
        let yaml = """
            hosts:
              web1: { address: 127.0.0.1, groups: [app] }
            groups:
              app: {}

            """
        try yaml.write(toFile: dir + "/checks.yaml", atomically: true, encoding: .utf8)
    }

    override func tearDown() async throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func run(_ arguments: [String]) async throws -> PostPatchCLI.Result {
        try await PostPatchCLI.run(arguments, in: dir, timeout: .seconds(30))
    }

    private func assertRefused(_ arguments: [String], naming words: [String], file: StaticString = #filePath, line: UInt = #line) async throws {
        let r = try await run(arguments)
        let shown = arguments.joined(separator: " ")
        XCTAssertEqual(r.status, 2, "\(shown): \(r.stderr)", file: file, line: line)
        for word in words {
            XCTAssertTrue(r.stderr.contains(word), "\(shown): \(word) not in \(r.stderr)", file: file, line: line)
        }
    }

    /// `drift --settle nan` died with SIGILL (exit 132): drift did not check `--settle` as verify
    /// and rollout did. Now one option group checks it for all three.
    func testSettleIsCheckedByEveryCommandThatTakesIt() async throws {
        let commands = [["verify", "local"], ["drift", "local"], ["rollout", "--config", "checks.yaml", "--waves", "app", "--dry-run"]]
        for command in commands {
            for value in ["nan", "inf", "-inf", "-1", "1e308", "3601", "1e-320x"] {
                let words = value == "1e-320x" ? ["--settle"] : ["--settle must be from 0 to 3600 seconds"]
                try await assertRefused(command + ["--settle=\(value)"], naming: words)
            }
        }
    }

    /// Every number a flag takes is range-checked where it is read, with the range in the message.
    func testEveryNumericFlagIsRangeChecked() async throws {
        func exec(_ flag: String) -> [String] { ["exec", flag, "local", "--", "true"] }
        let cases: [([String], String)] = [
            (["snapshot", "--step-timeout=0", "local"], "--step-timeout must be from 1 to 86400 seconds"),
            (["script", "--step-timeout=-1"], "--step-timeout must be from 1 to 86400 seconds"),
            (exec("--connect-timeout=nan"), "--connect-timeout must be from 0.001 to 86400 seconds"),
            (exec("--command-timeout=1e308"), "--command-timeout must be from 0.001 to 86400 seconds"),
            (exec("--port=0"), "--port must be from 1 to 65535, got 0"),
            (exec("--parallel=0"), "--parallel must be from 1 to 10000 hosts"),
            (exec("--output-cap=0"), "--output-cap must be from 1 to"),
            (["baseline", "--keep=-1", "local"], "--keep must be from 0 to"),
            (["rollout", "--reboot-timeout=inf", "--waves", "app"], "--reboot-timeout must be from 1 to 86400 seconds, got inf"),
            (["rollout", "--baseline-max-age=inf", "--waves", "app"], "--baseline-max-age must be from 0 to"),
            (["rollout", "--baseline-max-age=-1", "--waves", "app"], "--baseline-max-age must be from 0 to"),
        ]
        for (arguments, message) in cases {
            try await assertRefused(arguments, naming: [message])
        }
    }

    /// `--fail-on` and `--reboot` are enums: a wrong word names the option and the words it takes.
    func testWordsOfFixedSetsAreNamed() async throws {
        try await assertRefused(["verify", "--fail-on", "error", "local"], naming: ["--fail-on", "regression", "warning"])
        try await assertRefused(["rollout", "--config", "checks.yaml", "--waves", "app", "--reboot", "sometimes", "--dry-run"],
                                naming: ["sometimes", "--reboot takes never, always or if-required"])
        try await assertRefused(["rollout", "web1"], naming: ["unexpected argument web1", "--waves"])
    }

    /// `--reboot` alone, with a word, or not at all (the checks file decides), as the plan shows.
    func testRebootFlagWithAndWithoutItsWord() async throws {
        try """
            hosts:
              web1: { address: 127.0.0.1, groups: [app] }
            groups:
              app: {}
            rollout: { reboot: if-required, settle: 30, reboot_timeout: 300 }

            """.write(toFile: dir + "/checks.yaml", atomically: true, encoding: .utf8)
        let plan = ["rollout", "--config", "checks.yaml", "--waves", "app", "--dry-run"]
        let expectations: [([String], [String])] = [
            ([], ["reboot: if the host requires it, or a unit never restarted by PostPatch runs replaced code (timeout 300 s)", "verify settle: 30 s"]),
            (["--reboot", "--settle", "5"], ["reboot: always (timeout 300 s)", "verify settle: 5 s"]),
            (["--reboot", "--reboot-timeout", "60"], ["reboot: always (timeout 60 s)"]),
            (["--reboot", "always"], ["reboot: always"]),
            (["--reboot", "never"], ["reboot: no"]),
            (["--reboot=if-required", "--settle", "2.5"], ["if the host requires it", "verify settle: 2.5 s"]),
        ]
        for (flags, lines) in expectations {
            let r = try await run(plan + flags)
            XCTAssertEqual(r.status, 0, "\(flags): \(r.stderr)")
            for line in lines { XCTAssertTrue(r.stdout.contains(line), "\(flags): \(line) not in \(r.stdout)") }
        }
    }

    /// Numbers of the checks file's `rollout:` section pass the same ranges as the flags:
    /// `settle: 1e308` died with SIGILL (exit 132) when the plan was built.
    func testRolloutNumbersFromTheChecksFileAreRangeChecked() async throws {
        for (key, value, message) in [("settle", "1e308", "checks.yaml:5:20: 'settle' must be a number of seconds from 0 to 3600, got '1e308'"),
                                      ("reboot_timeout", "1e308", "checks.yaml:5:28: 'reboot_timeout' must be a number of seconds from 1 to 86400"),
                                      ("baseline_max_age", "1e300", "checks.yaml:5:30: 'baseline_max_age' must be a number of seconds from 0 to")] {
            try """
                hosts:
                  web1: { address: 127.0.0.1, groups: [app] }
                groups:
                  app: {}
                rollout: { \(key): \(value) }

                """.write(toFile: dir + "/checks.yaml", atomically: true, encoding: .utf8)
            try await assertRefused(["rollout", "--config", "checks.yaml", "--waves", "app", "--dry-run"], naming: [message])
            // The file is refused while it is read, whatever the flags say: a config error is fixed in the file.
        }
    }

    /// `--host-pre-command` and `--host-post-command` (and their `rollout:` keys): shown in the
    /// plan; an empty or blank command is refused naming the flag or the key, as the patch command is.
    func testHostHooksAreShownAndAnEmptyOneIsRefused() async throws {
        let plan = ["rollout", "--config", "checks.yaml", "--waves", "app", "--dry-run"]
        let r = try await run(plan + ["--host-pre-command", "/usr/local/bin/drain", "--host-post-command", "/usr/local/bin/undrain"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("  before each host's patch (on the host): /usr/local/bin/drain\n  patch command: "), r.stdout)
        XCTAssertTrue(r.stdout.contains("  after each host's patch and reboot (on the host): /usr/local/bin/undrain\n"), r.stdout)
        try await assertRefused(plan + ["--host-pre-command", ""], naming: ["--host-pre-command is empty"])
        try await assertRefused(plan + ["--host-post-command", "  "], naming: ["--host-post-command is empty"])
        try """
            hosts:
              web1: { address: 127.0.0.1, groups: [app] }
            groups:
              app: {}
            rollout: { host_pre_command: "drain now", host_post_command: " " }

            """.write(toFile: dir + "/checks.yaml", atomically: true, encoding: .utf8)
        try await assertRefused(plan, naming: ["rollout.host_post_command in checks.yaml is empty"])
        let fromFile = try await run(plan + ["--host-post-command", "undrain"])
        XCTAssertEqual(fromFile.status, 0, fromFile.stderr)
        XCTAssertTrue(fromFile.stdout.contains("before each host's patch (on the host): drain now"), fromFile.stdout)
        XCTAssertTrue(fromFile.stdout.contains("after each host's patch and reboot (on the host): undrain"), fromFile.stdout)
    }

    /// `exec HOST -- CMD`: every word after the first `--` is the command, options included.
    func testExecTakesEveryWordAfterTheTerminator() async throws {
        let r = try await run(["exec", "local", "--", "echo", "one", "--two", "--", "-3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("one --two -- -3\n"), r.stdout)
        try await assertRefused(["exec", "local"], naming: ["give the command after `--`"])
        try await assertRefused(["exec", "--", "true"], naming: ["name at least one host"])
    }
}
