import Engine
import Foundation
import LabKit
import Model
import XCTest

/// Mounts and space on real lab systemd hosts (systemd-nspawn in a netns), each fault real:
/// a tmpfs declared in the host's /etc/fstab that a "patch" removes, found missing after a real
/// reboot; a 4 MiB tmpfs from fstab filled past 90 % with dd; then remounted read-only.
/// Kernel modules are not exercised live: the hosts share this machine's kernel, which has no
/// loadable modules, and a container skips the section (see ModulesParserTests, MountDiffTests).
final class MountsLabTests: E2ETestCase {
    private func bootHost(_ name: String, persistentDisk: Bool = false) async throws -> SystemdHost {
        let host = try await SystemdHost.boot(lab: lab, name: name, authorizedKeys: [key], persistentDisk: persistentDisk)
        cleanup { await host.stop() }
        try await settle(host)
        return host
    }

    private func settle(_ host: SystemdHost) async throws {
        let settled = try await host.ssh("systemctl is-system-running --wait", timeout: .seconds(120))
        XCTAssertEqual(settled.output.trimmingCharacters(in: .whitespacesAndNewlines), "running", settled.output)
    }

    /// Root's view, as an operator runs it (`--sudo` through pplab-sudo).
    private func target(_ host: SystemdHost) -> HostTarget {
        systemdTarget(host, user: SystemdHost.sudoUser, sudo: true)
    }

    /// Declares a tmpfs of `size` at `point` in the host's /etc/fstab.
    private func declareTmpfs(_ host: SystemdHost, _ point: String, source: String, size: String) async throws {
        try await host.runAsRoot("mkdir -p \(point) && echo '\(source) \(point) tmpfs size=\(size),mode=0755 0 0' >> /etc/fstab")
    }

    func testFstabMountThePatchRemovedIsMissingAfterTheReboot() async throws {
        let host = try await bootHost("mounts-gone", persistentDisk: true)
        let kh = host.knownHostsPath
        try await declareTmpfs(host, "/srv/pp-data", source: "pp-data", size: "4m")
        // Mounted by systemd from fstab at boot, as on a real server.
        try await host.reboot()
        try await settle(host)
        let t = target(host)
        let base = try await baseline([t], knownHosts: kh)
        let data = base.first?.mounts.first { $0.mountPoint == "/srv/pp-data" }
        XCTAssertEqual(data.map { "\($0.fsType) \($0.source) \($0.readOnly) \($0.sizeKB ?? -1)" }, "tmpfs pp-data false 4096",
                       "\(base.first?.mounts ?? [])")
        XCTAssertTrue(base.first?.isCaptured(.mounts) ?? false)
        XCTAssertEqual(base.first?.gap(.modules)?.skipped, true, "a container skips kernel modules")
        assertFindings(verdict(try await verify([t], knownHosts: kh), t.name), [], "unchanged")

        // The patch: the fstab line is gone (a configuration package rewrote the file).
        try await host.runAsRoot("sed -i '/pp-data/d' /etc/fstab")
        try await host.reboot()
        try await settle(host)
        let v = verdict(try await verify([t], knownHosts: kh), t.name)
        assertFindings(v, [.init(.mountMissing, .regression, "/srv/pp-data"), .init(.hostRebooted, .info, "boot id")],
                       "fstab entry removed, rebooted")
        XCTAssertEqual(v?.findings.first { $0.kind == .mountMissing }?.message, "/srv/pp-data is no longer mounted (was tmpfs pp-data)")
    }

    func testFilledPastNinetyPercentThenReadOnly() async throws {
        let host = try await bootHost("mounts-full")
        let kh = host.knownHostsPath
        try await declareTmpfs(host, "/srv/pp-fill", source: "pp-fill", size: "4m")
        try await host.runAsRoot("systemctl daemon-reload && mount /srv/pp-fill")
        let t = target(host)
        let base = try await baseline([t], knownHosts: kh)
        XCTAssertEqual(base.first?.mounts.first { $0.mountPoint == "/srv/pp-fill" }?.usedPercent, 0)

        try await host.runAsRoot("dd if=/dev/zero of=/srv/pp-fill/fill bs=1k count=3900 2>/dev/null")
        let full = verdict(try await verify([t], knownHosts: kh), t.name)
        assertFindings(full, [.init(.spaceLow, .warning, "/srv/pp-fill")], "filled to 3,900 of 4,096 KiB")
        XCTAssertEqual(full?.findings.first?.message, "/srv/pp-fill is 96% full (was 0%; space_warning_percent 90)")

        // Full in the baseline too: no new space-low; remounted read-only: mount-readonly alone.
        _ = try await baseline([t], knownHosts: kh)
        try await host.runAsRoot("mount -o remount,ro /srv/pp-fill")
        assertFindings(verdict(try await verify([t], knownHosts: kh), t.name),
                       [.init(.mountReadonly, .regression, "/srv/pp-fill")], "remounted read-only")
    }
}
