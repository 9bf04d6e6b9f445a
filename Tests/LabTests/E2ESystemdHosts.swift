import Engine
import Foundation
import LabKit
import Model
import TestSupport
import XCTest

/// Lab systemd hosts for end-to-end tests: booted, stopped in tearDown, and settled the way an
/// operator's server is when the baseline is taken (boot jobs done).
extension E2ETestCase {
    /// Boots `name` from `flavour`'s rootfs and waits for `systemctl is-system-running --wait`,
    /// which must answer "running" (else the failed units are named).
    func bootSettledHost(_ name: String, flavour: SystemdHostRootfs.Flavour = .minbase, capabilities: [String] = [],
                         file: StaticString = #filePath, line: UInt = #line) async throws -> SystemdHost {
        let started = ContinuousClock.now
        let host = try await SystemdHost.boot(lab: lab, name: name, authorizedKeys: [key], flavour: flavour, capabilities: capabilities)
        cleanup { await host.stop() }
        let settled = try await host.ssh("systemctl is-system-running --wait", timeout: .seconds(120))
        let state = settled.output.trimmingCharacters(in: .whitespacesAndNewlines)
        if state != "running" {
            let failed = try await host.ssh("systemctl --failed --no-legend --plain", timeout: .seconds(30))
            XCTFail("\(name) (\(flavour.rawValue)) settled as \"\(state)\"; failed units: \(failed.output)", file: file, line: line)
        }
        print("E2E: systemd host \(name) (\(flavour.rawValue)) booted and settled in \(ContinuousClock.now - started)")
        return host
    }

    /// The Engine's target for a lab host, logged in with the test's key.
    func systemdTarget(_ host: SystemdHost, user: String = Lab.user, sudo: Bool = false,
                       checks: CheckSet = CheckSet()) -> HostTarget {
        HostTarget(name: host.name, address: host.address, port: host.port, user: user, identities: [key.privatePath],
                   sudo: sudo, checks: checks, connectTimeout: .seconds(10), commandTimeout: .seconds(90))
    }
}

extension E2ETestCase {
    /// Where `aptOriginHost` serves the local archives inside the host.
    static let aptOriginRemote = "/srv/pp-apt-origin"

    /// A lab host whose apt names a security origin as Debian's archives do: version 1 of ppssl
    /// and pptool installed with dpkg, version 2 served by local archives whose Release files say
    /// Debian 12.15/oldstable and Debian-Security 12/oldstable-security (built by
    /// Tests/Fixtures/collect/apt-security-origin/build-apt-root.sh), apt's lists updated.
    /// Returns the host and the sources list the archives are in.
    func aptOriginHost(_ name: String) async throws -> (host: SystemdHost, list: String) {
        _ = try LabSkip.tool("apt-ftparchive", package: "apt-utils")
        _ = try LabSkip.tool("dpkg-deb", package: "dpkg")
        let out = NSTemporaryDirectory() + "pp-apt-origin-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: out) }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/collect/apt-security-origin/build-apt-root.sh").path
        let built = try LabProcess.runBlocking("/bin/sh", [script, out], timeout: .seconds(120))
        XCTAssertEqual(built.status, 0, built.output)
        let host = try await bootSettledHost(name)
        let work = URL(fileURLWithPath: "/tmp/pp-apt-security-origin")
        let remote = Self.aptOriginRemote
        try await host.upload(["installed", "debian", "debian-security"].map { work.appendingPathComponent($0) }, into: remote)
        let list = "/etc/apt/sources.list.d/pp-origin.list"
        try await host.runAsRoot("dpkg -i \(remote)/installed/*.deb >/dev/null && "
            + "printf 'deb [trusted=yes] file:\(remote)/debian ./\\ndeb [trusted=yes] file:\(remote)/debian-security ./\\n' >\(list) && "
            + "apt-get -qq -o Dir::Etc::SourceList=\(list) -o Dir::Etc::SourceParts=/nonexistent update")
        return (host, list)
    }
}
