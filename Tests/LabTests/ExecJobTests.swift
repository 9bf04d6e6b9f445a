import Engine
import Foundation
import LabKit
import TestSupport
import Model
import SSH
import XCTest

/// `postpatch exec` through the engine: many hosts at once, each outcome on its own.
final class ExecJobTests: XCTestCase {
    var lab: Lab!

    override func setUpWithError() throws {
        try LabSkip.require("/usr/sbin/sshd", package: "openssh-server")
        lab = try Lab()
    }

    override func tearDown() {
        lab?.stop()
    }

    func connector(_ kh: String, key: KeyPair, targets: [HostTarget]) throws -> Connector {
        try Connector(settings: .init(knownHosts: kh), targets: targets.map {
            var t = $0
            t.identities = [key.privatePath]
            return t
        })
    }

    func target(_ name: String, _ s: SSHServerInfo?, port: Int? = nil, timeout: Duration = .seconds(10)) -> HostTarget {
        HostTarget(name: name, address: s?.host ?? "127.0.0.1", port: port ?? s?.port ?? 22, user: Lab.user,
                   connectTimeout: timeout, commandTimeout: .seconds(20))
    }

    func testMixedHostsEachGetTheirOwnOutcomeAndTheRightExitStatus() async throws {
        let key = try lab.makeKey("ed25519")
        let a = try lab.startSSHD(authorizedKeys: [key])
        let b = try lab.startDropbear(authorizedKeys: [key])
        let kh = try lab.knownHosts(for: [a, b])
        // A host whose connect never completes must not hold up the others.
        let blackhole = try SilentListener(fillBacklog: true)
        defer { blackhole.close() }
        var targets = [target("a", a), target("b", b), target("refused", nil, port: Lab.freePort()),
                       target("silent", nil, port: blackhole.port, timeout: .seconds(2)), HostTarget(name: "local", address: "local", user: "root")]
        targets = targets.map { var t = $0; if !t.isLocal { t.identities = [key.privatePath] }; return t }
        let c = try Connector(settings: .init(knownHosts: kh), targets: targets)

        let start = ContinuousClock.now
        let outcomes = await ExecJob.run("echo $0 >/dev/null; hostname >/dev/null; echo ok", targets: targets, connector: c, parallel: 8, outputCap: 1 << 20)
        XCTAssertLessThan(start.duration(to: .now), .seconds(6))
        let byName = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.target.name, $0) })
        for n in ["a", "b", "local"] {
            XCTAssertTrue(byName[n]!.ok, n)
            XCTAssertEqual(String(decoding: byName[n]!.result!.stdout, as: UTF8.self), "ok\n", n)
        }
        XCTAssertTrue(byName["refused"]!.unreachable)
        XCTAssertTrue(byName["silent"]!.unreachable)
        XCTAssertTrue(byName["silent"]!.error!.contains("connect timeout"), byName["silent"]!.error!)
        XCTAssertEqual(ExecJob.exitStatus(outcomes), .unreachable)

        let failing = await ExecJob.run("exit 7", targets: [targets[0], targets[2]], connector: c, parallel: 2, outputCap: 1 << 20)
        XCTAssertEqual(failing[0].result?.exitStatus, 7)
        XCTAssertEqual(ExecJob.exitStatus(failing), .failed, "a failed command wins over an unreachable host")
        let fine = await ExecJob.run("true", targets: [targets[0], targets[4]], connector: c, parallel: 2, outputCap: 1 << 20)
        XCTAssertEqual(ExecJob.exitStatus(fine), .ok)
    }

    func testLocalTransportKeepsStreamsApartAndHonoursLimits() async throws {
        let local = LocalTransport()
        let r = try await local.run("echo out; echo err >&2; exit 4", stdin: [], timeout: .seconds(5), outputCap: 1 << 20)
        XCTAssertEqual(String(decoding: r.stdout, as: UTF8.self), "out\n")
        XCTAssertEqual(String(decoding: r.stderr, as: UTF8.self), "err\n")
        XCTAssertEqual(r.exitStatus, 4)
        let fed = try await local.run("wc -c", stdin: Array(repeating: 65, count: 300_000), timeout: .seconds(5), outputCap: 1 << 20)
        XCTAssertEqual(String(decoding: fed.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), "300000")
        let sig = try await local.run("kill -TERM $$", stdin: [], timeout: .seconds(5), outputCap: 1 << 20)
        XCTAssertEqual(sig.exitSignal, "TERM")
        do {
            _ = try await local.run("sleep 10", stdin: [], timeout: .milliseconds(300), outputCap: 1 << 20)
            XCTFail("expected a timeout")
        } catch let e as SSHError {
            guard case .commandTimeout = e else { return XCTFail("\(e)") }
        }
        do {
            _ = try await local.run("head -c 3000000 /dev/zero", stdin: [], timeout: .seconds(5), outputCap: 1 << 20)
            XCTFail("expected the cap")
        } catch let e as SSHError {
            guard case .outputCap = e else { return XCTFail("\(e)") }
        }
    }

    /// The CLI binary's exit codes: 0 all ok, 1 a command failed, 3 unreachable, 2 usage.
    func testCLIExitCodes() async throws {
        let bin = PostPatchCLI.binary
        try PostPatchCLI.requireBinary()
        let key = try lab.makeKey("ed25519")
        let s = try lab.startSSHD(authorizedKeys: [key])
        let kh = try lab.knownHosts(for: [s])
        let host = "\(Lab.user)@127.0.0.1:\(s.port)"
        let common = ["exec", "-i", key.privatePath, "--known-hosts", kh]
        func run(_ args: [String]) throws -> LabProcess.Result { try LabProcess.runBlocking(bin, args) }
        var r = try run(common + [host, "local", "--", "echo", "hi"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("=== 127.0.0.1:\(s.port): exit 0"), r.stdout)
        XCTAssertTrue(r.stdout.contains("exec: 2 hosts: 2 ok, 0 failed, 0 unreachable"), r.stdout)
        r = try run(common + [host, "--", "exit 5"])
        XCTAssertEqual(r.status, 1)
        r = try run(common + [host, "127.0.0.1:\(Lab.freePort())", "--", "true"])
        XCTAssertEqual(r.status, 3)
        XCTAssertTrue(r.stdout.contains("connection refused"), r.stdout)
        r = try run(["exec", "local"])
        XCTAssertEqual(r.status, 2)
        r = try run(["exec", "--parallel", "0", "local", "--", "true"])
        XCTAssertEqual(r.status, 2)
        r = try run(common + ["--password-env", "PP_NOT_SET_ANYWHERE", host, "--", "true"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("PP_NOT_SET_ANYWHERE"), r.stderr)
    }

    /// A wrong key passphrase is a login failure (exit 3, as the README says), said as such and
    /// not as "unreachable", and the passphrase tried is nowhere in the output.
    func testWrongPassphraseIsALoginFailureNotUnreachable() async throws {
        try PostPatchCLI.requireBinary()
        let key = try lab.makeKey("ed25519", name: "locked", passphrase: "correct horse")
        let s = try lab.startSSHD(authorizedKeys: [key])
        let kh = try lab.knownHosts(for: [s])
        let r = try LabProcess.runBlocking(PostPatchCLI.binary, ["exec", "-i", key.privatePath, "--known-hosts", kh, "--passphrase-env", "PP_LAB_PASS",
                                                   "\(Lab.user)@127.0.0.1:\(s.port)", "--", "true"],
                              env: ["PP_LAB_PASS": "battery staple"])
        XCTAssertEqual(r.status, 3, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains(": LOGIN FAILED ("), r.stdout)
        XCTAssertTrue(r.stdout.contains("0 unreachable, 1 login failed"), r.stdout)
        XCTAssertFalse((r.stdout + r.stderr).contains("battery staple"))
    }

    /// SIGINT in the middle of a run: remote commands ended, exit 130 within seconds.
    func testInterruptEndsTheRunWith130() async throws {
        let bin = PostPatchCLI.binary
        try PostPatchCLI.requireBinary()
        let key = try lab.makeKey("ed25519")
        let s = try lab.startSSHD(authorizedKeys: [key])
        let kh = try lab.knownHosts(for: [s])
        let log = URL(fileURLWithPath: lab.dir + "/interrupt.log")
        // `sleep 30.<random>`: a command line no other process on this machine has, to wait for.
        let remote = "sleep 30.\(Int.random(in: 100_000...999_999))"
        let child = try LabProcess.spawn(bin, ["exec", "-i", key.privatePath, "--known-hosts", kh,
                                              "\(Lab.user)@127.0.0.1:\(s.port)", "--", remote], log: log)
        try await waitUntil("the remote `\(remote)` to start", timeout: .seconds(15), poll: .milliseconds(100)) {
            try LabProcess.runBlocking("/usr/bin/pgrep", ["-f", "^\(remote)"]).status == 0
        }
        let start = ContinuousClock.now
        child.signal(SIGINT)
        XCTAssertTrue(child.waitForExit(timeout: .seconds(8)))
        XCTAssertLessThan(start.duration(to: .now), .seconds(7))
        XCTAssertEqual(child.exitStatus, 130)
        XCTAssertTrue(LabProcess.tail(of: log).contains("interrupted (SIGINT)"), LabProcess.tail(of: log))
    }
}
