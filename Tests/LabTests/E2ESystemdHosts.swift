import Engine
import Foundation
import LabKit
import Model
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
