import Collect
import Engine
import Foundation
import LabKit
import Model
import XCTest

/// An upgrade cut short after unpacking, on a booted lab systemd host through the real engine:
/// `dpkg --unpack` of a real .deb pair (pp-lab-state 1.0-1 → 1.1-1), as a killed apt-get or a
/// full disk leaves it (`dpkg -l`: iU). verify must call it `package-broken`, fail the run, and
/// never say "upgraded"; after `dpkg --configure -a`, the upgrade alone.
final class PackageStateLabTests: E2ETestCase {
    static let package = "pp-lab-state"

    private func bootHost(_ name: String) async throws -> SystemdHost {
        let host = try await SystemdHost.boot(lab: lab, name: name, authorizedKeys: [key])
        cleanup { await host.stop() }
        let settled = try await host.ssh("systemctl is-system-running --wait", timeout: .seconds(60))
        XCTAssertEqual(settled.output.trimmingCharacters(in: .whitespacesAndNewlines), "running", settled.output)
        return host
    }

    private func target(_ host: SystemdHost) -> HostTarget {
        HostTarget(name: host.name, address: host.address, port: host.port, user: SystemdHost.sudoUser,
                   identities: [key.privatePath], sudo: true, connectTimeout: .seconds(10), commandTimeout: .seconds(90))
    }

    private func deb(_ version: String) async throws -> LabDeb {
        try LabPackages.requireTools()
        let packages = try LabPackages(name: Self.package, directory: URL(fileURLWithPath: lab.dir).appendingPathComponent("debs"))
        return LabDeb(url: try await packages.build(version: version), package: Self.package, version: version)
    }

    /// On the realistic rootfs (nginx, PostgreSQL, cron, rsyslog, unattended-upgrades).
    func testUnpackedUpgradeIsBrokenUntilConfigured() async throws {
        let old = try await deb(LabPackages.baseVersion), new = try await deb(LabPackages.newVersion)
        let host = try await bootSettledHost("pkgstate1", flavour: .realistic, capabilities: ["CAP_NET_ADMIN"])
        let kh = host.knownHostsPath
        try await host.install(debs: [old])
        let t = target(host)
        let base = try await baseline([t], knownHosts: kh)
        assertFindings(verdict(try await verify([t], knownHosts: kh), t.name), [], "unchanged")

        // The interrupted upgrade: files of 1.1-1 unpacked, its configuration never run.
        try await host.upload([new.url], into: SystemdHost.uploadFolder)
        try await host.runAsRoot("dpkg --unpack \(SystemdHost.uploadFolder)/\(new.url.lastPathComponent)")
        let listed = try await host.runAsRoot("dpkg -l \(Self.package) | tail -1")
        XCTAssertTrue(listed.output.hasPrefix("iU "), listed.output)

        let broken = try await verify([t], knownHosts: kh)
        let v = verdict(broken, t.name)
        assertFindings(v, [.init(.packageBroken, .regression, Self.package)], "unpacked")
        XCTAssertEqual(VerifyJob.exitStatus(broken), .failed)
        XCTAssertEqual(v?.findings.first?.message,
                       "\(Self.package) is unpacked, not configured (dpkg -l status U: version \(LabPackages.newVersion) "
                       + "unpacked, its configuration never ran): run dpkg --configure -a")
        // dpkg logged the unpack as an upgrade: the finding names that change (issue 22, point 5).
        XCTAssertEqual(v?.findings.first?.explainedBy, ["\(Self.package) \(LabPackages.baseVersion) → \(LabPackages.newVersion)"])
        let snapshot = try await capture(t, knownHosts: kh)
        XCTAssertEqual(snapshot.packages.filter(\.isBroken),
                       [InstalledPackage(name: Self.package, arch: "all", version: LabPackages.newVersion, manager: .dpkg,
                                         state: .unpacked)])
        XCTAssertTrue(base[0].packages.allSatisfy { !$0.isBroken }, "the realistic rootfs has every package installed")
        print("E2E: realistic host snapshot \(try SnapshotCoding.encode(base[0]).count) bytes with every package installed, "
              + "\(try SnapshotCoding.encode(snapshot).count) with one unpacked")

        // Repaired: the upgrade only.
        try await host.runAsRoot("dpkg --configure -a")
        let fixed = try await verify([t], knownHosts: kh)
        assertFindings(verdict(fixed, t.name), [.init(.packageUpgraded, .info, Self.package)], "configured")
        XCTAssertEqual(VerifyJob.exitStatus(fixed), .ok)
    }

    func testBrokenInTheBaselineIsOneWarningThenRepaired() async throws {
        let old = try await deb(LabPackages.baseVersion), new = try await deb(LabPackages.newVersion)
        let host = try await bootHost("pkgstate2")
        let kh = host.knownHostsPath
        try await host.install(debs: [old])
        try await host.upload([new.url], into: SystemdHost.uploadFolder)
        try await host.runAsRoot("dpkg --unpack \(SystemdHost.uploadFolder)/\(new.url.lastPathComponent)")
        let t = target(host)
        _ = try await baseline([t], knownHosts: kh)

        let still = try await verify([t], knownHosts: kh)
        assertFindings(verdict(still, t.name), [.init(.packageBroken, .warning, Self.package)], "still unpacked")
        XCTAssertEqual(VerifyJob.exitStatus(still), .ok, "already so in the baseline: a warning")

        try await host.runAsRoot("dpkg --configure -a")
        assertFindings(verdict(try await verify([t], knownHosts: kh), t.name),
                       [.init(.packageRepaired, .info, Self.package)], "configured")
    }

    /// A postinst that fails: `dpkg -i` leaves the new version half-configured (iF).
    func testFailingPostinstIsHalfConfigured() async throws {
        let old = try await deb(LabPackages.baseVersion)
        let directory = URL(fileURLWithPath: lab.dir).appendingPathComponent("debs")
        let version = "1.2-1"
        let control = LabDebBuilder.control(package: Self.package, version: version, architecture: "all",
                                            summary: "PostPatch lab package whose postinst fails (test fixture)")
        let failing = try await LabDebBuilder.build(
            package: Self.package, version: version, architecture: "all", control: control,
            files: [LabDebBuilder.File("/usr/share/\(Self.package)/VERSION", text: "\(version)\n")],
            scripts: ["postinst": "#!/bin/sh\necho 'pp-lab-state: failing on purpose' >&2\nexit 1\n"], in: directory)
        let host = try await bootHost("pkgstate3")
        let kh = host.knownHostsPath
        try await host.install(debs: [old])
        let t = target(host)
        _ = try await baseline([t], knownHosts: kh)
        try await host.upload([failing.url], into: SystemdHost.uploadFolder)
        let run = try await host.runAsRoot("dpkg -i \(SystemdHost.uploadFolder)/\(failing.url.lastPathComponent)", allowFailure: true)
        XCTAssertNotEqual(run.status, 0, run.output)
        let broken = try await verify([t], knownHosts: kh)
        let v = verdict(broken, t.name)
        assertFindings(v, [.init(.packageBroken, .regression, Self.package)], "half-configured")
        XCTAssertEqual(v?.findings.first?.message,
                       "\(Self.package) is half-configured (dpkg -l status F: version \(version) unpacked, "
                       + "its configuration started and did not finish): run dpkg --configure -a")
        XCTAssertEqual(VerifyJob.exitStatus(broken), .failed)
    }
}
