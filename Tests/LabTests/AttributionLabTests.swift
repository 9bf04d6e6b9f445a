import Collect
import Engine
import Foundation
import LabKit
import Model
import TestSupport
import XCTest

/// `explainedBy` end to end on the realistic Debian 12 server (scripts/lab-rootfs realistic),
/// through the built CLI: a real library upgrade (LabOutdatedKit's .deb pair, installed with
/// dpkg so dpkg.log records it) under a running daemon, and a change the patch does not explain
/// (cron stopped by hand). verify's JSON names the package on the upgrade and on the outdated
/// unit, and marks cron's stop as not explained; the terminal report says both.
final class AttributionLabTests: E2ETestCase {
    func testFindingsNameThePackageChangeThatExplainsThemAndTheRestAreMarked() async throws {
        try LabOutdatedKit.requireTools()
        let debs = try await LabOutdatedKit.build(in: URL(fileURLWithPath: lab.dir).appendingPathComponent("debs"))
        let host = try await bootSettledHost("attrib-web", flavour: .realistic)
        try await host.install(debs: [debs.libraryOld, debs.daemon])
        let cli = try HostCLI(lab: lab, host: host, key: key)
        let base = try await cli.run("baseline")
        XCTAssertEqual(base.status, 0, base.stdout + base.stderr)
        XCTAssertNil(try cli.baseline(of: host).transactions, "a baseline reads no package log")

        try await host.install(debs: [debs.libraryNew])
        try await host.runAsRoot("systemctl stop cron.service")
        let report = cli.directory + "/verify.json"
        let run = try await cli.run("verify", ["--verbose", "--json", report])
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        let findings = try Self.findings(report)
        let change = "\(LabOutdatedKit.library) \(LabOutdatedKit.oldVersion) → \(LabOutdatedKit.newVersion)"
        func explained(_ kind: String, _ subject: String) -> [String]? {
            findings.first { $0["kind"] as? String == kind && $0["subject"] as? String == subject }?["explainedBy"] as? [String]
        }
        XCTAssertEqual(explained("package-upgraded", LabOutdatedKit.library), [change], "\(findings)")
        XCTAssertEqual(explained("service-outdated", LabOutdatedKit.unit), [change], "\(findings)")
        XCTAssertEqual(explained("service-stopped", "cron.service"), [], "\(findings)")
        XCTAssertTrue(run.stdout.contains("(explained by \(change))"), run.stdout)
        XCTAssertTrue(run.stdout.contains("(not explained by the patch)"), run.stdout)
        // The regression the patch does not explain comes first.
        let lines = run.stdout.split(separator: "\n")
        XCTAssertTrue(lines.firstIndex { $0.contains("cron.service") } ?? 99 < lines.firstIndex { $0.contains(LabOutdatedKit.unit) } ?? 0, run.stdout)

        // What the new step costs the snapshot: its size with and without the package log.
        let current = try await capture(systemdTarget(host, user: SystemdHost.sudoUser, sudo: true), knownHosts: host.knownHostsPath,
                                        since: try cli.baseline(of: host).capturedAt)
        let t = try XCTUnwrap(current.transactions)
        XCTAssertEqual(t.changes.map(\.name), [LabOutdatedKit.library])
        XCTAssertTrue(t.files.first { $0.package == LabOutdatedKit.library }?.files.contains { $0.hasSuffix(LabOutdatedKit.libraryFile) } == true, "\(t.files)")
        var without = current
        without.transactions = nil
        let with = try SnapshotCoding.encode(current).count, bare = try SnapshotCoding.encode(without).count
        print("measure: realistic host snapshot \(with) B with the package log, \(bare) B without (+\(with - bare) B)")
    }

    private func capture(_ t: HostTarget, knownHosts: String, since: Date) async throws -> Snapshot {
        var settings = Capture.Settings()
        settings.script.transactionsSince = since
        let connector = try connector([t], knownHosts: knownHosts)
        switch await Capture.snapshot(t, connector: connector, settings: settings) {
        case let .success(s): return s
        case let .failure(e): throw LabError("capture of \(t.name): \(e)")
        }
    }

    static func findings(_ path: String) throws -> [[String: Any]] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        let hosts = json?["hosts"] as? [[String: Any]] ?? []
        return hosts.flatMap { ($0["items"] as? [[String: Any]] ?? []).flatMap { $0["findings"] as? [[String: Any]] ?? [] } }
    }
}
