import Foundation
import LabKit
import TestSupport
import XCTest

/// Issue 12, points 1, 2, 5 and 6: the built binary given what a careless user or an attacker
/// types. Each test failed before its fix (a signal, a replaced device node, an echoed secret,
/// a message naming the wrong thing). No host is contacted; device nodes and FIFOs are made in a
/// scratch tmpfs inside a private mount namespace (`unshare -m`), never this machine's /dev.
final class HostileInputTests: XCTestCase {
    private var dir: String!
    private var snapshot: String { dir + "/s.json" }

    override func setUp() async throws {
        dir = try LabProcess.makeTempDir("hostile").path
        let checks = "hosts:\n  web1: { address: 127.0.0.1, port: 1, groups: [app] }\ngroups:\n  app: {}\n"
        try checks.write(toFile: dir + "/checks.yaml", atomically: true, encoding: .utf8)
    }

    override func tearDown() async throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func run(_ arguments: [String], env: [String: String] = [:]) async throws -> PostPatchCLI.Result {
        try await PostPatchCLI.run(arguments, in: dir, environment: env.merging(["SWIFT_BACKTRACE": "enable=no"]) { a, _ in a },
                                   timeout: .seconds(60))
    }

    private func takeSnapshot() async throws {
        let r = try await run(["snapshot", "local", "--skip-pending-updates"])
        XCTAssertEqual(r.status, 0, r.stderr)
        try r.stdout.write(toFile: snapshot, atomically: true, encoding: .utf8)
    }

    /// `sh -c script` in a private mount namespace with a scratch tmpfs at `$D` ($B the binary).
    private func scratch(_ script: String) async throws -> LabProcess.Result {
        try LabSkip.requireRoot("a scratch mount namespace (unshare -m)")
        try LabSkip.require("/usr/bin/unshare", package: "util-linux")
        let d = dir + "/scratch"
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        let body = "set -u; mount -t tmpfs -o size=4m scratch \"$D\" || exit 99; cd \"$W\"; " + script
        return try await LabProcess.onThread("unshare") {
            try LabProcess.runBlocking("/usr/bin/unshare", ["-m", "--propagation", "private", "/bin/sh", "-c", body],
                          env: ["D": d, "W": self.dir, "B": PostPatchCLI.binary, "NO_COLOR": "1", "SWIFT_BACKTRACE": "enable=no"],
                          timeout: .seconds(120))
        }
    }

    /// `diff a b --json r` died with SIGILL: NSString's path helper traps on a one-character name.
    /// `--inventory i` died the same way.
    func testOneCharacterFileNames() async throws {
        try await takeSnapshot()
        let r = try await run(["diff", snapshot, snapshot, "--json", "r"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/r"))
        try "web1 ansible_host=127.0.0.1 ansible_port=1\n".write(toFile: dir + "/i", atomically: true, encoding: .utf8)
        let e = try await run(["exec", "--inventory", "i", "web1", "--connect-timeout", "2", "--", "true"])
        XCTAssertEqual(e.status, 3, e.stderr)
    }

    /// `... | head -c1` died on a `try!` write (SIGILL); `> /dev/full` too. Now a closed pipe ends
    /// the run quietly with its own exit code, and a full output is one line naming stdout, exit 4.
    func testClosedAndFullStdout() async throws {
        try await takeSnapshot()
        let r = try await scratch("""
            mknod "$D/full" c 1 7
            "$B" show s.json > "$D/full" 2>"$D/full.err"; echo "full=$? $(cat "$D/full.err")"
            """)
        XCTAssertTrue(r.stdout.contains("full=4 postpatch: cannot write to stdout: No space left on device"), r.stdout + r.stderr)
        // 100 KB of JSON into a pipe whose reader left after one byte: EPIPE, a quiet end, exit 0.
        let p = try await LabProcess.onThread("pipe") {
            try LabProcess.runBlocking("/bin/bash", ["-c", "set -o pipefail; cd \"$W\"; \"$B\" snapshot local --skip-pending-updates 2>err | head -c1 >/dev/null; echo \"rc=$? $(cat err)\""],
                          env: ["W": self.dir, "B": PostPatchCLI.binary, "SWIFT_BACKTRACE": "enable=no"], timeout: .seconds(60))
        }
        XCTAssertEqual(p.stdout, "rc=0 \n", p.stderr)
    }

    /// As root, `--junit /dev/full` replaced the device node with a regular file; a FIFO and
    /// `/dev/stdout` were replaced the same way. Now they are written through, and a directory is
    /// refused with a message naming the option.
    func testReportPathsAreWrittenByKind() async throws {
        try await takeSnapshot()
        let r = try await scratch("""
            mknod "$D/full" c 1 7; mknod "$D/null" c 1 3; mkfifo "$D/fifo"; mkdir "$D/dir"
            "$B" diff s.json s.json --junit "$D/full" >/dev/null 2>"$D/e1"; echo "full=$? $(cat "$D/e1")"
            "$B" diff s.json s.json --markdown "$D/null" >/dev/null; echo "null=$?"
            cat "$D/fifo" > "$D/from-fifo" & "$B" diff s.json s.json --json "$D/fifo" >/dev/null; echo "fifo=$?"; wait
            "$B" diff s.json s.json --html "$D/dir" >/dev/null 2>"$D/e2"; echo "dir=$? $(cat "$D/e2")"
            "$B" diff s.json s.json --json /dev/stdout 2>&1 | grep -q '"formatVersion"' && echo stdout-ok
            ls -l "$D" | cut -c1 | tr -d '\\n'; echo; head -c 1 "$D/from-fifo"; echo
            """)
        let out = r.stdout
        XCTAssertTrue(out.contains("full=4 postpatch: cannot write \(dir!)/scratch/full: No space left on device"), out + r.stderr)
        XCTAssertTrue(out.contains("null=0"), out)
        XCTAssertTrue(out.contains("fifo=0"), out)
        XCTAssertTrue(out.contains("dir=2 postpatch: --html \(dir!)/scratch/dir is a directory"), out)
        XCTAssertTrue(out.contains("\nstdout-ok\n"), "the JSON report reached stdout: " + out)
        // total line, then dir, e (x2), fifo, from-fifo, full, null: still d, p and c.
        XCTAssertTrue(out.contains("td--p-cc") || out.contains("d--p-cc"), "kinds: " + out)
        XCTAssertTrue(out.hasSuffix("{\n"), "the FIFO's reader got the JSON: " + out)
    }

    /// `--password-env 'Tr0ub4dor&3'` printed the password in its error.
    func testPasswordTypedAsVariableNameIsNotEchoed() async throws {
        let r = try await run(["exec", "--password-env", "Tr0ub4dor&3", "127.0.0.1:1", "--", "true"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertFalse(r.stderr.contains("Tr0ub4dor"), r.stderr)
        XCTAssertTrue(r.stderr.contains("--password-env takes the name of an environment variable"), r.stderr)
    }

    /// A shadow entry pasted into the checks file was echoed as "inline secret 'root:$6$...'";
    /// one pasted into host_vars was echoed in a warning.
    func testPastedShadowEntryIsNotEchoed() async throws {
        let line = "root:$6$saltsalt$Zm9vYmFyYmF6cXV4:19000:0:99999:7:::"
        try "\(line)\nhosts:\n  web1: { address: 127.0.0.1 }\n".write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let r = try await run(["exec", "--config", "bad.yaml", "web1", "--", "true"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertFalse(r.stderr.contains("$6$"), r.stderr)
        try FileManager.default.createDirectory(atPath: dir + "/inv/host_vars", withIntermediateDirectories: true)
        try "web1 ansible_host=127.0.0.1 ansible_port=1\n".write(toFile: dir + "/inv/hosts", atomically: true, encoding: .utf8)
        try "\(line)\nansible_user: root\n".write(toFile: dir + "/inv/host_vars/web1.yml", atomically: true, encoding: .utf8)
        let w = try await run(["exec", "--inventory", "inv/hosts", "web1", "--connect-timeout", "2", "--", "true"])
        XCTAssertFalse(w.stderr.contains("$6$"), w.stderr)
        XCTAssertTrue(w.stderr.contains("not a plain name (not shown)"), w.stderr)
    }

    /// `command_timeout: 1e308` and a connectivity `timeout: 1e19` in the checks file died with
    /// SIGILL when turned into a Duration.
    func testTimeoutsInTheChecksFileAreRangeChecked() async throws {
        let files = [
            ("defaults: { command_timeout: 1e308 }\nhosts:\n  web1: { address: 127.0.0.1 }\n", "'command_timeout'"),
            ("hosts:\n  web1: { address: 127.0.0.1, connect_timeout: 1e19 }\n", "'connect_timeout'"),
            ("hosts:\n  web1: { address: 127.0.0.1 }\nchecks:\n  connectivity:\n    - { target: 127.0.0.1, port: 1, timeout: 1e19 }\n",
             "'timeout'"),
        ]
        for (yaml, key) in files {
            try yaml.write(toFile: dir + "/t.yaml", atomically: true, encoding: .utf8)
            let r = try await run(["exec", "--config", "t.yaml", "web1", "--", "true"])
            XCTAssertEqual(r.status, 2, yaml + r.stderr)
            XCTAssertTrue(r.stderr.contains(key) && r.stderr.contains("must be a number of seconds from"), yaml + r.stderr)
        }
    }

    /// YAML nested thousands of levels deep died with SIGSEGV and no word (checks file and inventory).
    func testDeeplyNestedYAMLIsRefused() async throws {
        let deep = "hosts: " + String(repeating: "[", count: 20_000) + "\n"
        try deep.write(toFile: dir + "/deep.yaml", atomically: true, encoding: .utf8)
        let blocks = "all:\n" + (0..<5000).map { String(repeating: " ", count: $0 + 2) + "- " }.joined(separator: "\n") + "x\n"
        try blocks.write(toFile: dir + "/deep.yml", atomically: true, encoding: .utf8)
        for args in [["--config", "deep.yaml", "web1"], ["--inventory", "deep.yml", "web1"]] {
            let r = try await run(["exec"] + args + ["--", "true"])
            XCTAssertEqual(r.status, 2, r.stderr)
            XCTAssertTrue(r.stderr.contains("YAML nested more than 200 levels deep"), r.stderr)
        }
    }

    /// Messages that name the real thing (point 6).
    func testMessagesNameTheRealThing() async throws {
        try await takeSnapshot()
        try FileManager.default.createDirectory(atPath: dir + "/adir", withIntermediateDirectories: true)
        let cases: [([String], Int32, String)] = [
            (["exec", "--config", "adir", "web1", "--", "true"], 2, "--config adir is a directory, not a file"),
            (["exec", "--inventory", "adir", "web1", "--", "true"], 2, "--inventory adir is a directory"),
            (["exec", "-F", "adir", "web1", "--", "true"], 2, "--ssh-config adir is a directory"),
            (["show", "adir"], 2, "<file> adir is a directory"),
            (["snapshot", "--out", "s.json", "local"], 2, "--out s.json exists and is not a folder"),
            (["exec", "--user", "", "web1", "--", "true"], 2, "--user is empty"),
            (["exec", "--config", "checks.yaml", "--group", "app", "--shard", "2/2", "--", "true"], 2, "--shard 2/2 excluded all 1 host"),
            (["script", "--config", "/nonexistent"], 2, "/nonexistent"),
            (["diff", "s.json", "s.json", "--fail-on", "nope"], 2, "'--fail-on <severity>'"),
        ]
        for (args, status, words) in cases {
            let r = try await run(args)
            XCTAssertEqual(r.status, status, args.joined(separator: " ") + ": " + r.stderr)
            XCTAssertTrue(r.stderr.contains(words), args.joined(separator: " ") + ": " + r.stderr)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one line: " + r.stderr)
        }
    }

    /// `diff OLD NEW` of folders labelled each pair by the snapshot's host: two files holding one
    /// host's snapshots were two rows with the same name.
    func testFolderDiffLabelsPairsByFileName() async throws {
        try await takeSnapshot()
        for folder in ["old", "new"] {
            try FileManager.default.createDirectory(atPath: dir + "/" + folder, withIntermediateDirectories: true)
            for name in ["a", "b"] { try FileManager.default.copyItem(atPath: snapshot, toPath: "\(dir!)/\(folder)/\(name).json") }
        }
        let r = try await run(["diff", "old", "new", "--json", "r.json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try String(contentsOfFile: dir + "/r.json", encoding: .utf8)
        XCTAssertTrue(json.contains("\"a (a.json: a snapshot of local)\""), json.prefix(600).description)
        XCTAssertTrue(json.contains("\"b (b.json: a snapshot of local)\""))
    }
}
