import Engine
import Foundation
import LabKit
import TestSupport
import Model
import SSH
import XCTest

/// Real faults during real runs: each asserts the affected host is reported with a clear
/// error, every other host's result is right, no baseline is changed or torn, and the run
/// ends within its deadlines. (docs/reliability.md lists the whole matrix.)
final class FaultMatrixTests: E2ETestCase {
    private func bootHost(_ name: String) async throws -> SystemdHost {
        let host = try await SystemdHost.boot(lab: lab, name: name, authorizedKeys: [key])
        cleanup { await host.stop() }
        _ = try await host.ssh("systemctl is-system-running --wait", timeout: .seconds(60))
        return host
    }

    private func target(_ host: SystemdHost, checks: CheckSet = CheckSet(), commandTimeout: Duration = .seconds(90)) -> HostTarget {
        HostTarget(name: host.name, address: host.address, port: host.port, user: Lab.user, identities: [key.privatePath],
                   checks: checks, connectTimeout: .seconds(5), commandTimeout: commandTimeout)
    }

    /// A probe that keeps the collector script busy for a few seconds: a TCP connect from the
    /// host to a listener of this test, on the machine's side of the host's own veth, whose
    /// accept queue is full (SYNs unanswered until the probe's timeout). No other address is used.
    private func slowChecks(_ host: SystemdHost, seconds: Double) throws -> CheckSet {
        let silent = try SilentListener(fillBacklog: true, address: host.namespace.hostAddress)
        cleanup { silent.close() }
        return CheckSet(connectivity: [ConnectivityCheck(target: host.namespace.hostAddress, port: silent.port, timeout: seconds)])
    }

    private func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// Waits until the capture of `host` is inside the slow step of `target`'s checks: a process of
    /// the host's namespace (nc, or bash's /dev/tcp) has the silent listener's address and port
    /// on its command line. Faults injected after this are mid-capture, however slow the machine.
    private func waitForSlowStep(_ host: SystemdHost, _ target: HostTarget) async throws {
        let check = try XCTUnwrap(target.checks.connectivity.first)
        let port = String(check.port ?? 0), address = check.target
        let namespace = host.namespace
        try await waitUntil("the slow step (a connect to \(address):\(port)) running on \(host.name)", timeout: .seconds(30),
                            poll: .milliseconds(100)) {
            await namespace.pids().contains { pid in
                let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
                let argv = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                return argv.contains(port) && argv.contains { $0.contains(address) }
            }
        }
    }

    /// sshd killed mid-capture, and the link cut mid-capture: the host fails with a clear error
    /// within its deadline, its old baseline is byte-for-byte intact, the other host is fine.
    func testSSHDKilledAndLinkCutMidCapture() async throws {
        async let a = bootHost("fault-a")
        async let b = bootHost("fault-b")
        async let c = bootHost("fault-c")
        let (hostA, hostB, hostC) = try await (a, b, c)
        let kh = lab.dir + "/fault_known_hosts"
        try [hostA, hostB, hostC].map { "\($0.address) \($0.hostKeyLine)\n" }.joined().write(toFile: kh, atomically: true, encoding: .utf8)
        let targets = [target(hostA), target(hostB), target(hostC)]
        _ = try await baseline(targets, knownHosts: kh)
        let before = targets.map { bytes(store.path(for: $0.name)) }

        // A and B get a capture that takes ~4 s; C a normal one. Mid-capture: kill A's sshd
        // (every sshd process of its namespace), cut B's link.
        let slow = [target(hostA, checks: try slowChecks(hostA, seconds: 4)),
                    target(hostB, checks: try slowChecks(hostB, seconds: 4), commandTimeout: .seconds(6)),
                    target(hostC)]
        let connector = try connector(slow, knownHosts: kh)
        let start = ContinuousClock.now
        async let outcomes = BaselineJob.run(targets: slow, connector: connector, store: store,
                                             settings: Self.fast, parallel: 8)
        try await waitForSlowStep(hostA, slow[0])
        try await waitForSlowStep(hostB, slow[1])
        for pid in await hostA.namespace.pids() {
            let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
            if comm.hasPrefix("sshd") { kill(pid, SIGKILL) }
        }
        try await hostB.namespace.cut()
        let results = await outcomes
        let took = start.duration(to: .now)
        try await hostB.namespace.restore()

        let byName = Dictionary(uniqueKeysWithValues: results.map { ($0.target.name, $0) })
        XCTAssertNotNil(byName["fault-c"]?.written, byName["fault-c"]?.error ?? "")
        let errA = byName["fault-a"]?.error ?? ""
        XCTAssertTrue(errA.contains("fault-a") && (errA.contains("connection lost") || errA.contains("did not finish")), errA)
        let errB = byName["fault-b"]?.error ?? ""
        XCTAssertTrue(errB.contains("fault-b") && errB.contains("command timeout"), errB)
        XCTAssertLessThan(took, .seconds(20), "deadlines hold: the cut link ends at the 6 s command timeout")
        XCTAssertEqual(BaselineJob.exitStatus(results), .unreachable)
        XCTAssertEqual(bytes(store.path(for: "fault-a")), before[0], "failed capture must not touch the old baseline")
        XCTAssertEqual(bytes(store.path(for: "fault-b")), before[1], "failed capture must not touch the old baseline")
        XCTAssertNotEqual(bytes(store.path(for: "fault-c")), before[2], "the healthy host's baseline was renewed")
        let tmp = try FileManager.default.contentsOfDirectory(atPath: store.directory).filter { $0.contains(".tmp-") }
        XCTAssertEqual(tmp, [], "no temp files left behind")
    }

    /// The host's SSH port black-holed with nftables inside its namespace: mid-capture (every
    /// packet of the session dropped: the command timeout ends it) and then before a connect
    /// (SYNs dropped: the connect timeout ends it). The other host is fine, the baseline intact.
    func testPortBlackHoledWithNftables() async throws {
        try LabSkip.require("/usr/sbin/nft", package: "nftables")
        let host = try await bootHost("fault-nft")
        let kh = lab.dir + "/nft_known_hosts"
        try "\(host.address) \(host.hostKeyLine)\n".write(toFile: kh, atomically: true, encoding: .utf8)
        _ = try await baseline([target(host)], knownHosts: kh)
        let before = bytes(store.path(for: host.name))

        var slow = target(host, checks: try slowChecks(host, seconds: 4), commandTimeout: .seconds(6))
        slow.connectTimeout = .seconds(2)
        let targets = [slow, localTarget()]
        let connector = try connector(targets, knownHosts: kh)
        let start = ContinuousClock.now
        async let outcomes = BaselineJob.run(targets: targets, connector: connector, store: store, settings: Self.fast, parallel: 4)
        try await waitForSlowStep(host, slow)
        for rule in [["add", "table", "inet", "pp"],
                     ["add", "chain", "inet", "pp", "in", "{ type filter hook input priority 0; }"],
                     ["add", "chain", "inet", "pp", "out", "{ type filter hook output priority 0; }"],
                     ["add", "rule", "inet", "pp", "in", "tcp", "dport", "22", "drop"],
                     ["add", "rule", "inet", "pp", "out", "tcp", "sport", "22", "drop"]] {
            let r = try await host.namespace.run(["/usr/sbin/nft"] + rule)
            XCTAssertEqual(r.status, 0, "nft \(rule): \(r.output)")
        }
        let first = await outcomes
        XCTAssertLessThan(start.duration(to: .now), .seconds(15), "the 6 s command timeout ends the black-holed capture")
        let err = first[0].error ?? ""
        XCTAssertTrue(err.contains("fault-nft") && err.contains("command timeout"), err)
        XCTAssertNotNil(first[1].written, first[1].error ?? "")
        XCTAssertEqual(BaselineJob.exitStatus(first), .unreachable)
        XCTAssertEqual(bytes(store.path(for: host.name)), before, "a failed capture must not touch the old baseline")

        // Still black-holed: the next run cannot even connect, and says so within its 2 s.
        let again = ContinuousClock.now
        let second = await BaselineJob.run(targets: targets, connector: try self.connector(targets, knownHosts: kh),
                                           store: store, settings: Self.fast, parallel: 4)
        XCTAssertLessThan(again.duration(to: .now), .seconds(8))
        XCTAssertTrue(second[0].unreachable && (second[0].error ?? "").contains("connect timeout"), second[0].error ?? "")
        XCTAssertNotNil(second[1].written, second[1].error ?? "")
        XCTAssertEqual(bytes(store.path(for: host.name)), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: store.directory).filter { $0.contains(".tmp-") }, [])
    }

    /// The baselines folder on a full filesystem: a clear error, exit 4, the old baseline intact.
    func testFullDiskKeepsTheOldBaseline() async throws {
        let dir = lab.dir + "/tiny"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let mount = try LabProcess.runBlocking("/bin/mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", dir])
        try LabSkip.unless(mount.status == 0, "cannot mount a tmpfs here (\(mount.stderr))",
                           fix: "run the tests as root outside a restricted container")
        cleanup { _ = try? LabProcess.runBlocking("/bin/umount", ["-l", dir]) }
        let tiny = BaselineStore(directory: dir)
        let target = localTarget()
        let connector = try connector([target])
        let first = await BaselineJob.run(targets: [target], connector: connector, store: tiny, settings: Self.fast, parallel: 1)
        XCTAssertNotNil(first[0].written, first[0].error ?? "")
        let old = bytes(tiny.path(for: "local"))
        // Fill what is left, then baseline again: the write must fail cleanly.
        _ = try LabProcess.runBlocking("/bin/sh", ["-c", "head -c 1000000 /dev/zero > \(dir)/filler 2>/dev/null; true"])
        let second = await BaselineJob.run(targets: [target], connector: connector, store: tiny, settings: Self.fast, parallel: 1)
        XCTAssertNil(second[0].written)
        XCTAssertTrue(second[0].error?.contains("No space left on device") == true, second[0].error ?? "")
        XCTAssertTrue(second[0].error?.contains("untouched") == true, second[0].error ?? "")
        XCTAssertEqual(BaselineJob.exitStatus(second), .localIO)
        XCTAssertEqual(bytes(tiny.path(for: "local")), old)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }, [])
    }

    /// 500 hosts of which 10 % fail (refused, never answering): the other 90 % all correct.
    func testFiveHundredHostsTenPercentFailing() async throws {
        let silent = try SilentListener(fillBacklog: true)
        defer { silent.close() }
        let closed = Lab.freePort()
        var targets: [HostTarget] = []
        for i in 0..<500 {
            var t = sshTarget("h\(i)")
            if i % 20 == 3 { t.port = closed }
            if i % 20 == 13 { t.port = silent.port; t.connectTimeout = .seconds(2) }
            targets.append(t)
        }
        let start = ContinuousClock.now
        let outcomes = await ExecJob.run("echo $((6*7))", targets: targets, connector: try connector(targets),
                                         parallel: 64, outputCap: 1 << 20)
        let took = start.duration(to: .now)
        for (i, o) in outcomes.enumerated() {
            switch i % 20 {
            case 3: XCTAssertTrue(o.unreachable && o.error?.contains("connection refused") == true, "\(i): \(o.error ?? "")")
            case 13: XCTAssertTrue(o.unreachable && o.error?.contains("connect timeout") == true, "\(i): \(o.error ?? "")")
            default:
                XCTAssertTrue(o.ok, "\(i): \(o.error ?? "")")
                XCTAssertEqual(o.result.map { String(decoding: $0.stdout, as: UTF8.self) }, "42\n", "\(i)")
            }
        }
        XCTAssertEqual(outcomes.filter(\.ok).count, 450)
        XCTAssertEqual(ExecJob.exitStatus(outcomes), .unreachable)
        print("fault matrix: 500 hosts, 50 failing, in \(took)")
        XCTAssertLessThan(took, .seconds(120))
    }
}
