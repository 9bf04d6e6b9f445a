@testable import Collect
import Engine
import Foundation
import LabKit
import Model
import XCTest

/// Kernel settings on the realistic Debian 12 server (its own sysctl files: systemd's and
/// procps'), in the network namespace the test made (nspawn mounts /proc/sys read-only inside,
/// so the namespace's net.* values are set from outside it, in it, as a boot would set them):
/// net.ipv4.ip_forward set at runtime and never persisted, then lost (as a reboot loses it: the
/// lab's namespace outlives the container's reboot, so the test resets it as the reboot would);
/// net.core.somaxconn persisted in /etc/sysctl.d and changed there. With PP_CAPTURE_FIXTURES=1
/// the step's raw outputs are written to Tests/Fixtures/collect/.
final class SysctlLabTests: E2ETestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/collect")

    func testARuntimeSettingLostAndAPersistedOneChangedAreNamed() async throws {
        let host = try await bootSettledHost("sysctl-web", flavour: .realistic)
        func set(_ assignments: String...) async throws {
            let r = try await host.namespace.run(["sysctl", "-q", "-w"] + assignments)
            XCTAssertEqual(r.status, 0, r.output)
        }
        try await host.runAsRoot("echo 'net.core.somaxconn = 1024' >/etc/sysctl.d/90-pp-web.conf")
        try await set("net.core.somaxconn=1024", "net.ipv4.ip_forward=1")
        if ProcessInfo.processInfo.environment["PP_CAPTURE_FIXTURES"] == "1" { try await captureFixture(host, "before") }
        let t = systemdTarget(host, user: SystemdHost.sudoUser, sudo: true)
        let base = try await baseline([t], knownHosts: host.knownHostsPath)
        let settings = try XCTUnwrap(base.first?.sysctl, "\(base.first?.notes ?? [])")
        XCTAssertEqual(settings.first { $0.key == "net.ipv4.ip_forward" }, KernelSetting(key: "net.ipv4.ip_forward", value: "1"))
        XCTAssertEqual(settings.first { $0.key == "net.core.somaxconn" },
                       KernelSetting(key: "net.core.somaxconn", value: "1024", persisted: "1024", persistedIn: "/etc/sysctl.d/90-pp-web.conf"))
        XCTAssertTrue(settings.contains { $0.key == "fs.file-max" }, "a default key, read though no file sets it")
        XCTAssertTrue(settings.contains { $0.persistedIn?.hasPrefix("/usr/lib/sysctl.d/") == true || $0.persistedIn?.hasPrefix("/lib/sysctl.d/") == true },
                      "systemd's own files: \(settings)")

        try await host.runAsRoot("echo 'net.core.somaxconn = 2048' >/etc/sysctl.d/90-pp-web.conf")
        try await set("net.core.somaxconn=2048", "net.ipv4.ip_forward=0")
        if ProcessInfo.processInfo.environment["PP_CAPTURE_FIXTURES"] == "1" { try await captureFixture(host, "after") }
        let v = verdict(try await verify([t], knownHosts: host.knownHostsPath), t.name)
        assertFindings(v, [.init(.sysctlChanged, .warning, "net.ipv4.ip_forward"), .init(.sysctlChanged, .warning, "net.core.somaxconn")],
                       "a runtime value lost, a persisted one changed")
        XCTAssertEqual(v?.findings.first { $0.subject == "net.ipv4.ip_forward" }?.message,
                       "net.ipv4.ip_forward is 0, was 1: set at runtime and not persisted in /etc/sysctl.d")
        XCTAssertEqual(v?.findings.first { $0.subject == "net.core.somaxconn" }?.message,
                       "net.core.somaxconn is 2048, was 1024: /etc/sysctl.d/90-pp-web.conf now sets 2048 (was 1024)")
    }

    func captureFixture(_ host: SystemdHost, _ label: String) async throws {
        let out = try await host.runAsRoot("PP_TMP=$(mktemp -d) && (\n" + SysctlSection.body + "\n); rm -rf \"$PP_TMP\"", allowFailure: true).output
        try out.write(to: Self.fixtures.appendingPathComponent("sysctl-realistic-\(label).txt"), atomically: true, encoding: .utf8)
    }
}
