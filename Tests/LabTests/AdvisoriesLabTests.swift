import Collect
import Engine
import Foundation
import LabKit
import Model
import TestSupport
import XCTest

/// apt's origins on a real lab host: version 1 of two packages installed with dpkg, version 2
/// served by local archives whose Release files say what Debian's do (Debian 12.15/oldstable and
/// Debian-Security 12/oldstable-security, built by Tests/Fixtures/collect/apt-security-origin/
/// build-apt-root.sh); the collector's own `apt-get -s dist-upgrade` over SSH names them.
final class AdvisoriesLabTests: E2ETestCase {
    func testAptOriginsFromSecurityArchiveOnALabHost() async throws {
        let (host, list) = try await aptOriginHost("aptorigin1")
        let t = HostTarget(name: host.name, address: host.address, port: host.port, user: SystemdHost.sudoUser,
                           identities: [key.privatePath], sudo: true, connectTimeout: .seconds(10), commandTimeout: .seconds(90))
        let settings = Capture.Settings(script: ScriptOptions(stepTimeout: 20, pendingUpdates: true))
        let base = try await baseline([t], settings: settings, knownHosts: host.knownHostsPath)
        let byName = Dictionary(uniqueKeysWithValues: (base.first?.pendingUpdates ?? []).map { ($0.name, $0) })
        XCTAssertEqual(byName["ppssl"], PendingUpdate(name: "ppssl", arch: "all", currentVersion: "1.0-1", candidateVersion: "1.1-1+deb12u1",
                                                      security: true, origin: "Debian-Security:12/oldstable-security, Debian:12.15/oldstable",
                                                      rollback: .notObtainable),
                       "\(base.first?.pendingUpdates ?? [])")
        XCTAssertEqual(byName["pptool"]?.origin, "Debian:12.15/oldstable")
        XCTAssertEqual(byName["pptool"]?.security, false)
        // Version 1 was installed with dpkg -i and is in neither archive: neither update could be rolled back.
        XCTAssertEqual(byName["pptool"]?.rollback, .notObtainable)

        // The patch: the security update only. Its clearing says it was one.
        try await host.runAsRoot("DEBIAN_FRONTEND=noninteractive apt-get -qq -o Dir::Etc::SourceList=\(list) "
            + "-o Dir::Etc::SourceParts=/nonexistent install -y ppssl >/dev/null")
        let v = verdict(try await verify([t], settings: settings, knownHosts: host.knownHostsPath), t.name)
        let cleared = v?.findings.first { $0.kind == .updateCleared }
        XCTAssertEqual(cleared?.message, "ppssl update to 1.1-1+deb12u1 (security) no longer pending", "\(v?.findings ?? [])")
        XCTAssertEqual(v?.findings.filter { $0.kind == .updateCleared }.count, 1, "\(v?.findings ?? [])")
    }
}
