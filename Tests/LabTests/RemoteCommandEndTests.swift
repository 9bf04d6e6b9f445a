import Engine
import Foundation
import LabKit
import TestSupport
import Collect
import Model
import SSH
import XCTest

/// A command PostPatch gave up on (timeout, Ctrl-C) must not run on on the host: the remote
/// guard ends it once the connection is gone. And the guard changes nothing else: exit
/// status, exit signal, stdin and output arrive as without it. On OpenSSH and Dropbear.
final class RemoteCommandEndTests: XCTestCase {
    var lab: Lab!

    override func setUpWithError() throws {
        try LabSkip.require("/usr/sbin/sshd", package: "openssh-server")
        try LabSkip.require("/usr/sbin/dropbear", package: "dropbear-bin")
        lab = try Lab()
    }

    override func tearDown() {
        lab?.stop()
    }

    /// A marker no other process on this machine carries: `sleep` with a unique fraction.
    func marker() -> String { "\(Int.random(in: 100...899)).\(Int.random(in: 100_000...999_999))" }

    /// Processes whose command line contains `pattern` (pgrep -f), without this pgrep itself.
    func running(_ pattern: String) throws -> Int {
        let r = try LabProcess.runBlocking("/usr/bin/pgrep", ["-f", "-c", pattern])
        return Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// True once no process matches `pattern`, false when one still does after `within`.
    func waitGone(_ pattern: String, within: Duration) throws -> Bool {
        (try? waitUntilBlocking("no process matching \(pattern)", timeout: within, poll: .milliseconds(200)) {
            try running(pattern) == 0
        }) != nil
    }

    func servers() throws -> (KeyPair, [SSHServerInfo], String) {
        let key = try lab.makeKey("ed25519")
        let servers = [try lab.startSSHD(authorizedKeys: [key]), try lab.startDropbear(authorizedKeys: [key])]
        return (key, servers, try lab.knownHosts(for: servers))
    }

    func transport(_ s: SSHServerInfo, key: KeyPair, kh: String) async throws -> (HostTarget, HostTransport) {
        var t = HostTarget(name: "h\(s.port)", address: s.host, port: s.port, user: Lab.user,
                           connectTimeout: .seconds(10), commandTimeout: .seconds(20))
        t.identities = [key.privatePath]
        let c = try Connector(settings: .init(knownHosts: kh), targets: [t])
        return (t, try await c.connect(t))
    }

    func testTimedOutCommandIsEndedOnTheHostEvenWhenItIgnoresTERM() async throws {
        let (key, servers, kh) = try servers()
        for s in servers {
            let (_, tr) = try await transport(s, key: key, kh: kh)
            let m = marker(), stubborn = marker()
            let started = "/tmp/postpatch-started-\(m)"
            defer { unlink(started) }
            let cmd = "touch \(started); sleep \(m) & (trap '' TERM; sleep \(stubborn)) & wait"
            do {
                _ = try await tr.run(cmd, stdin: [], timeout: .seconds(1), outputCap: 1 << 20)
                XCTFail("\(s.kind): the command should time out")
            } catch let e as SSHError {
                guard case .commandTimeout = e else { XCTFail("\(s.kind): \(e)"); continue }
            }
            XCTAssertTrue(FileManager.default.fileExists(atPath: started), "\(s.kind): the command never ran")
            XCTAssertTrue(try waitGone("^sleep \(m)", within: .seconds(4)), "\(s.kind): the command still runs after the timeout")
            XCTAssertTrue(try waitGone("^sleep \(stubborn)", within: .seconds(7)), "\(s.kind): a command ignoring TERM still runs")
            await tr.close()
        }
    }

    func testInterruptedCLIRunEndsTheRemoteCommand() throws {
        let bin = PostPatchCLI.binary
        try PostPatchCLI.requireBinary()
        let (key, servers, kh) = try servers()
        for s in servers {
            let m = marker()
            let log = URL(fileURLWithPath: lab.dir + "/interrupt-\(s.port).log")
            let child = try LabProcess.spawn(bin, ["exec", "-i", key.privatePath, "--known-hosts", kh,
                                                  "\(Lab.user)@\(s.host):\(s.port)", "--", "sleep \(m)"], log: log)
            try waitUntilBlocking("\(s.kind): the remote `sleep \(m)` to start", timeout: .seconds(10), poll: .milliseconds(100)) {
                try running("^sleep \(m)") > 0
            }
            XCTAssertEqual(try running("^sleep \(m)"), 1, "\(s.kind): the remote command runs once")
            child.signal(SIGINT)
            XCTAssertTrue(child.waitForExit(timeout: .seconds(8)), s.kind)
            XCTAssertEqual(child.exitStatus, 130, s.kind)
            XCTAssertTrue(try waitGone("^sleep \(m)", within: .seconds(4)), "\(s.kind): the remote command outlived the interrupted run")
        }
    }

    /// A command printing 200 MB: the output cap (64 MiB) ends it with a clear error, on the
    /// host too; the other host of the run is unaffected.
    func testTwoHundredMegabytesOfOutputHitTheCap() async throws {
        let key = try lab.makeKey("ed25519")
        let chatty = try lab.startSSHD(authorizedKeys: [key]), quiet = try lab.startSSHD(authorizedKeys: [key])
        let kh = try lab.knownHosts(for: [chatty, quiet])
        let size = 200_000_000 + Int.random(in: 1...99_999)
        let targets = [chatty, quiet].map { s -> HostTarget in
            var t = HostTarget(name: "h\(s.port)", address: s.host, port: s.port, user: Lab.user,
                               connectTimeout: .seconds(10), commandTimeout: .seconds(60))
            t.identities = [key.privatePath]
            return t
        }
        let cmd = "case \"$SSH_CONNECTION\" in *' \(chatty.port)') head -c \(size) /dev/zero;; *) echo ok;; esac"
        let start = ContinuousClock.now
        let outcomes = await ExecJob.run(cmd, targets: targets, connector: try Connector(settings: .init(knownHosts: kh), targets: targets),
                                         parallel: 2, outputCap: 64 << 20)
        XCTAssertLessThan(start.duration(to: .now), .seconds(30))
        XCTAssertFalse(outcomes[0].ok)
        XCTAssertTrue(outcomes[0].error?.contains("output") == true && outcomes[0].error?.contains("64 MiB") == true, outcomes[0].error ?? "")
        XCTAssertTrue(outcomes[1].ok, outcomes[1].error ?? "")
        XCTAssertEqual(outcomes[1].result.map { String(decoding: $0.stdout, as: UTF8.self) }, "ok\n")
        XCTAssertEqual(ExecJob.exitStatus(outcomes), .failed)
        XCTAssertTrue(try waitGone("^head -c \(size)", within: .seconds(5)), "the chatty command still runs on the host")
    }

    /// The collector script needs no guard process: at every step marker it checks that the
    /// sshd serving it is still there, and stops (cleaning its temp folder) once it is not.
    func testCaptureStopsAtItsNextStepWhenTheConnectionIsGone() async throws {
        let (key, servers, kh) = try servers()
        let silent = try SilentListener(fillBacklog: true)
        defer { silent.close() }
        func leftovers() throws -> Set<String> {
            let r = try LabProcess.sh("find /tmp -maxdepth 1 -name 'postpatch.*' -user \(Lab.user) 2>/dev/null")
            return Set(r.stdout.split(separator: "\n").map(String.init))
        }
        let before = try leftovers()
        for s in servers {
            var t = HostTarget(name: "h\(s.port)", address: s.host, port: s.port, user: Lab.user,
                               checks: CheckSet(connectivity: [ConnectivityCheck(target: "127.0.0.1", port: silent.port, timeout: 3)]),
                               connectTimeout: .seconds(10), commandTimeout: .seconds(1))
            t.identities = [key.privatePath]
            let c = try Connector(settings: .init(knownHosts: kh), targets: [t])
            let r = await Capture.snapshot(t, connector: c, settings: Capture.Settings(script: ScriptOptions(pendingUpdates: false)))
            guard case let .failure(e) = r else { XCTFail("\(s.kind): the capture should time out"); continue }
            XCTAssertTrue(e.description.contains("command timeout"), e.description)
            // The 3 s step runs out, then the script sees the connection gone at its next marker.
            XCTAssertTrue(try waitGone("^/bin/sh -c eval", within: .seconds(8)), "\(s.kind): the collector still runs")
            XCTAssertEqual(try leftovers().subtracting(before), [], "\(s.kind): the collector left its temp folder")
        }
    }

    func testGuardPassesStatusSignalStdinAndOutputThroughAndLeavesNothingBehind() async throws {
        let (key, servers, kh) = try servers()
        for s in servers {
            let (_, tr) = try await transport(s, key: key, kh: kh)
            let seven = try await tr.run("echo out; echo err >&2; exit 7", stdin: [], timeout: .seconds(10), outputCap: 1 << 20)
            XCTAssertEqual(seven.exitStatus, 7, s.kind)
            XCTAssertEqual(String(decoding: seven.stdout, as: UTF8.self), "out\n", s.kind)
            XCTAssertEqual(String(decoding: seven.stderr, as: UTF8.self), "err\n", s.kind)
            let killed = try await tr.run("kill -TERM $$; sleep 5", stdin: [], timeout: .seconds(10), outputCap: 1 << 20)
            XCTAssertEqual(killed.exitSignal, "TERM", s.kind)
            let input = "line one\n'$(touch /tmp/pwned)'\n"
            let cat = try await tr.run("cat", stdin: Array(input.utf8), timeout: .seconds(10), outputCap: 1 << 20)
            XCTAssertEqual(String(decoding: cat.stdout, as: UTF8.self), input, s.kind)
            let script = try await tr.run("sh -s", stdin: Array("echo from-stdin-script\n".utf8), timeout: .seconds(10), outputCap: 1 << 20)
            XCTAssertEqual(String(decoding: script.stdout, as: UTF8.self), "from-stdin-script\n", s.kind)
            await tr.close()
        }
        // Each watchdog leaves within its one-second poll once its command has ended.
        XCTAssertTrue(try waitGone("postpatch-guard", within: .seconds(4)), "a watchdog stayed behind")
    }
}
