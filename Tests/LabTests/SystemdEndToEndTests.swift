import Engine
import Foundation
import LabKit
import TestSupport
import Model
import XCTest

/// The systemd collector end to end against a real systemd 252 host (systemd-nspawn in its own
/// network namespace): services from systemctl, a unit stopped inside, a real reboot, and
/// `sudo` for the user that has it and the one that has not. Locally these skip when the
/// machine cannot boot lab hosts; under CI=true they fail instead.
final class SystemdEndToEndTests: E2ETestCase {
    /// A unit the test adds (enabled, so systemd keeps it loaded once stopped), listening on a
    /// fixed port inside the host's own namespace.
    static let unit = "pp-e2e.service"
    static let unitPort = 24242

    private func bootHost(_ name: String) async throws -> SystemdHost { try await bootSettledHost(name) }

    private func target(_ host: SystemdHost, user: String = Lab.user, sudo: Bool = false, checks: CheckSet = CheckSet()) -> HostTarget {
        systemdTarget(host, user: user, sudo: sudo, checks: checks)
    }

    /// Runs `command` as root inside the host (pplab-sudo's passwordless sudo), failing the test on error.
    private func asRoot(_ host: SystemdHost, _ command: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        let r = try await host.ssh("sudo -n sh -c '\(command)'", user: SystemdHost.sudoUser, timeout: .seconds(60))
        XCTAssertEqual(r.status, 0, "\(command): \(r.output)", file: file, line: line)
    }

    func testSystemdServicesAStoppedUnitAndARebootEndToEnd() async throws {
        let host = try await bootHost("e2e-web")
        // The host's own sshd as seen from inside it (127.0.0.1:22 there; nothing listens on
        // port 22 of this machine): only a probe through the SSH session can reach it.
        XCTAssertFalse(LabProcess.isListening(port: 22), "this machine must not listen on 127.0.0.1:22 for this check")
        let inner = DatabaseCheck(name: "inner-ssh", kind: .tcp, address: "127.0.0.1", port: 22, expectBanner: "SSH-2.0-", timeout: 3)
        let web = target(host, checks: CheckSet(databases: [inner]))
        let kh = host.knownHostsPath

        // The snapshot: services straight from systemctl.
        let snapshot = try await capture(web, knownHosts: kh)
        let bootID = try await host.bootID()
        XCTAssertEqual(snapshot.system.bootID, bootID)
        XCTAssertEqual(snapshot.system.hostname, "e2e-web")
        XCTAssertEqual(snapshot.system.os.id, "debian")
        XCTAssertFalse(snapshot.services.isEmpty)
        XCTAssertTrue(snapshot.services.allSatisfy { $0.source == .systemd }, "\(snapshot.services.map(\.source))")
        XCTAssertFalse(snapshot.notes.contains { $0.hasPrefix("services:") }, "\(snapshot.notes)")
        let ssh = snapshot.services.first { $0.name == "ssh.service" }
        XCTAssertEqual(ssh?.load, "loaded")
        XCTAssertEqual(ssh?.active, "active")
        XCTAssertEqual(ssh?.sub, "running")
        XCTAssertEqual(ssh?.enabled, "enabled")
        let withState = snapshot.services.filter { $0.enabled != nil }
        XCTAssertGreaterThan(withState.count, snapshot.services.count / 2, "enabled states: \(snapshot.services.map { "\($0.name)=\($0.enabled ?? "nil")" })")
        XCTAssertTrue(snapshot.sockets.contains { $0.port == 22 && ($0.address == "0.0.0.0" || $0.address == "::") }, "\(snapshot.sockets.map(\.endpoint))")
        XCTAssertEqual(snapshot.databases.first?.up, true, "direct-tcpip to the host's own loopback: \(snapshot.databases)")
        XCTAssertNil(snapshot.databases.first?.error)

        // Baseline A, and a verify of the unchanged host.
        _ = try await baseline([web], knownHosts: kh)
        for round in 1...20 {
            let unchanged = try await verify([web], knownHosts: kh)
            assertFindings(verdict(unchanged, web.name), [], "unchanged systemd host, round \(round)")
        }

        // A unit added and started: info and warning against A.
        try await asRoot(host, """
            printf "[Unit]\\nDescription=PostPatch e2e listener\\n[Service]\\nExecStart=/usr/bin/nc.openbsd -d -l -k -s 127.0.0.1 -p \(Self.unitPort)\\n[Install]\\nWantedBy=multi-user.target\\n" > /etc/systemd/system/\(Self.unit) && systemctl daemon-reload && systemctl enable --now \(Self.unit)
            """)
        let socket = "tcp 127.0.0.1:\(Self.unitPort)"
        let withNewUnit = try await verify([web], knownHosts: kh)
        assertFindings(verdict(withNewUnit, web.name), [
            Expected(.serviceAdded, .info, Self.unit), Expected(.socketOpened, .warning, socket),
        ], "unit added")

        // Baseline B with the unit running (its own folder), then the unit stopped.
        let storeA = store!
        store = BaselineStore(directory: lab.dir + "/baselines-b")
        try store.prepare()
        let withUnit = try await baseline([web], knownHosts: kh)
        let added = withUnit[0].services.first { $0.name == Self.unit }
        XCTAssertEqual(added?.active, "active")
        XCTAssertEqual(added?.enabled, "enabled")
        try await asRoot(host, "systemctl stop \(Self.unit)")
        var run = try await verify([web], knownHosts: kh)
        assertFindings(verdict(run, web.name), [
            Expected(.serviceStopped, .regression, Self.unit), Expected(.socketClosed, .regression, socket),
        ], "unit stopped")
        XCTAssertEqual(VerifyJob.exitStatus(run), .failed)

        // A real reboot: the volatile overlay forgets the unit; against A only the boot id moved.
        store = storeA
        let before = try await host.bootID()
        let started = ContinuousClock.now
        let after = try await host.reboot()
        let settled = try await host.ssh("systemctl is-system-running --wait", timeout: .seconds(60))
        print("E2E: reboot of \(host.name) took \(ContinuousClock.now - started) (\(settled.output.trimmingCharacters(in: .whitespacesAndNewlines)))")
        XCTAssertNotEqual(before, after)
        run = try await verify([web], knownHosts: kh)
        assertFindings(verdict(run, web.name), [Expected(.hostRebooted, .info, "boot id")], "after the reboot")
        XCTAssertEqual(VerifyJob.exitStatus(run), .ok)
        let rebooted = verdict(run, web.name)?.findings.first
        XCTAssertEqual(rebooted?.before, before)
        XCTAssertEqual(rebooted?.after, after)
    }

    /// `sudo: true` works for pplab-sudo (root's view: every socket's process named) and is a
    /// one-line "sudo wants a password" host error for pplab, in the Engine and in the CLI.
    func testSudoForTheUserWithRightsAndWithout() async throws {
        let host = try await bootHost("e2e-sudo")
        let kh = host.knownHostsPath

        let asRootSnapshot = try await capture(target(host, user: SystemdHost.sudoUser, sudo: true), knownHosts: kh)
        XCTAssertFalse(asRootSnapshot.notes.contains { $0.hasPrefix("sockets:") }, "\(asRootSnapshot.notes)")
        XCTAssertTrue(asRootSnapshot.sockets.contains { $0.port == 22 && $0.process == "sshd" }, "\(asRootSnapshot.sockets)")

        let plain = target(host, sudo: true)
        switch await Capture.snapshot(plain, connector: try connector([plain], knownHosts: kh), settings: Self.fast) {
        case .success:
            XCTFail("pplab has no sudo rights: the capture must fail")
        case let .failure(e):
            XCTAssertTrue(e.unreachable, e.description)
            XCTAssertTrue(e.description.contains("sudo wants a password for \(Lab.user)"), e.description)
            XCTAssertFalse(e.description.contains("\n"), e.description)
        }

        let cwd = lab.dir + "/cli-sudo"
        try FileManager.default.createDirectory(atPath: cwd, withIntermediateDirectories: true)
        let common = ["baseline", "--sudo", "-i", key.privatePath, "--known-hosts", kh, "--skip-pending-updates", "--baselines", cwd + "/b"]
        let ok = try await PostPatchCLI.run(common + ["\(SystemdHost.sudoUser)@\(host.address)"], in: cwd)
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
        let refused = try await PostPatchCLI.run(common + ["\(Lab.user)@\(host.address)"], in: cwd)
        XCTAssertEqual(refused.status, 3, refused.stdout + refused.stderr)
        XCTAssertEqual(refused.stderr.split(separator: "\n").count, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("sudo wants a password for \(Lab.user)"), refused.stderr)
    }
}
