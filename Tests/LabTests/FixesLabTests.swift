@testable import Collect
import Engine
import Foundation
import LabKit
import Model
import Report
import TestSupport
import XCTest

/// What the patch fixed and whether it is in effect, end to end on the realistic Debian 12
/// server through the built CLI: LabOutdatedKit's library pair, whose 1.1-1 ships a changelog
/// naming CVE-2026-0001 and DSA-9999-1 above the 1.0-1 entry (which names CVE-2025-0002),
/// upgraded under the running pp-greetd. verify names the new fixes (not the old one) and the
/// unit that still maps the replaced library; after a restart the fix is in effect.
final class FixesLabTests: E2ETestCase {
    func testTheUpgradesFixesAreNamedAndTheServiceStillRunningTheOldLibraryLeavesThemNotInEffect() async throws {
        try LabOutdatedKit.requireTools()
        let debs = try await LabOutdatedKit.build(in: URL(fileURLWithPath: lab.dir).appendingPathComponent("debs"))
        let host = try await bootSettledHost("fixes-web", flavour: .realistic)
        try await host.install(debs: [debs.libraryOld, debs.daemon])
        let cli = try HostCLI(lab: lab, host: host, key: key)
        let base = try await cli.run("baseline")
        XCTAssertEqual(base.status, 0, base.stdout + base.stderr)

        try await host.install(debs: [debs.libraryNew])
        let library = LabOutdatedKit.library, unit = LabOutdatedKit.unit
        let change = "\(library) \(LabOutdatedKit.oldVersion) → \(LabOutdatedKit.newVersion)"
        let report = cli.directory + "/verify.json"
        let run = try await cli.run("verify", ["--verbose", "--json", report])
        XCTAssertNotEqual(run.status, 2, run.stdout + run.stderr)
        let findings = try AttributionLabTests.findings(report)
        func finding(_ kind: String) -> [String: Any]? {
            findings.first { $0["kind"] as? String == kind && $0["subject"] as? String == library }
        }
        let installed = try XCTUnwrap(finding("fixes-installed"), "\(findings)")
        let message = installed["message"] as? String ?? ""
        XCTAssertEqual(message, "\(library) \(LabOutdatedKit.newVersion) fixes CVE-2026-0001 (DSA-9999-1)")
        XCTAssertFalse(message.contains(LabOutdatedKit.oldFix), message)
        XCTAssertEqual(installed["explainedBy"] as? [String], [change])
        let notInEffect = try XCTUnwrap(finding("fix-not-in-effect"), "\(findings)")
        XCTAssertEqual(notInEffect["message"] as? String,
                       "CVE-2026-0001 (DSA-9999-1) (\(library) \(LabOutdatedKit.newVersion)) is installed but not in effect: "
                           + "\(unit) still runs the replaced \(LabOutdatedKit.libraryFile); restart it")
        XCTAssertEqual(notInEffect["severity"] as? String, "warning")
        XCTAssertEqual(notInEffect["explainedBy"] as? [String], [change])
        XCTAssertTrue(run.stdout.contains("is installed but not in effect"), run.stdout)
        // The patch record: what it fixed, and the fix installed but not in effect, naming the unit.
        let patch = try XCTUnwrap(try JSONReportReader.read(Data(contentsOf: URL(fileURLWithPath: report))).hosts.first?.patch)
        XCTAssertEqual(patch.cvesFixed, ["CVE-2026-0001"])
        XCTAssertEqual(patch.fixed.map(\.advisories), [["DSA-9999-1"]])
        XCTAssertEqual(patch.installed?.upgraded.map(\.name), [library])
        XCTAssertEqual(patch.notInEffect.map(\.package), [library])
        XCTAssertEqual(patch.notInEffect.first?.ids, ["CVE-2026-0001", "DSA-9999-1"])
        XCTAssertEqual(patch.notInEffect.first?.reasons, ["\(unit) still runs the replaced \(LabOutdatedKit.libraryFile); restart it"])
        XCTAssertFalse(patch.compliant)
        XCTAssertTrue(run.stdout.contains("patch: not compliant: 1 installed but not in effect: \(library)"), run.stdout)

        // Restarted: the fix is in effect; it is still installed.
        try await host.runAsRoot("systemctl restart \(unit)")
        let again = cli.directory + "/verify-again.json"
        let rerun = try await cli.run("verify", ["--verbose", "--json", again])
        XCTAssertNotEqual(rerun.status, 2, rerun.stdout + rerun.stderr)
        let after = try AttributionLabTests.findings(again)
        XCTAssertFalse(after.contains { $0["kind"] as? String == "fix-not-in-effect" }, "\(after)")
        XCTAssertTrue(after.contains { $0["kind"] as? String == "fixes-installed" && $0["subject"] as? String == library }, "\(after)")
        let inEffect = try XCTUnwrap(try JSONReportReader.read(Data(contentsOf: URL(fileURLWithPath: again))).hosts.first?.patch)
        XCTAssertEqual(inEffect.notInEffect, [])
        XCTAssertEqual(inEffect.cvesFixed, ["CVE-2026-0001"])

        // What the changelog step adds to the snapshot, on this one-upgrade patch.
        let current = try await capture(systemdTarget(host, user: SystemdHost.sudoUser, sudo: true), knownHosts: host.knownHostsPath,
                                        since: try cli.baseline(of: host).capturedAt)
        XCTAssertEqual(current.transactions?.fixes, [PackageFix(package: library, version: LabOutdatedKit.newVersion,
                                                                cves: ["CVE-2026-0001"], advisories: ["DSA-9999-1"])])
        var without = current
        without.transactions?.fixes = nil
        let with = try SnapshotCoding.encode(current).count, bare = try SnapshotCoding.encode(without).count
        print("measure: realistic host snapshot \(with) B with fixes, \(bare) B without (+\(with - bare) B for 1 fixed package)")

        // The step's host cost with N upgraded packages: the host's own packages that ship a
        // changelog, each "upgraded" from a version no entry has (the worst case: every read
        // runs to its bound) and from the installed version (the best: the first entry stops it).
        for (label, old) in [("worst (read to the bound)", "0~pplab"), ("best (stops at the first entry)", "")] {
            let prepare = """
                rm -rf /tmp/ppfx && mkdir -p /tmp/ppfx && cd /tmp/ppfx
                dpkg-query -W -f='${Package} ${Version}\\n' | while read -r p v; do
                    [ -r "/usr/share/doc/$p/changelog.Debian.gz" ] && echo "$p \(old.isEmpty ? "$v" : old) $v"
                done | head -n \(TransactionsSection.changelogPackages) >tx-upgrades
                cat >step.sh <<'PPEOF'
                \(TransactionsSection.changelogBody)
                PPEOF
                wc -l <tx-upgrades
                """
            let count = try await host.runAsRoot(prepare).output.trimmingCharacters(in: .whitespacesAndNewlines)
            let timed = try await host.runAsRoot(
                "cd /tmp/ppfx && bash -c 'TIMEFORMAT=\"%R %U %S\"; time (PP_TMP=/tmp/ppfx sh step.sh >out)' 2>&1 && wc -c <out && grep -c '^V' out")
            let w = timed.output.split(whereSeparator: \.isWhitespace)
            XCTAssertEqual(w.count, 5, timed.output)
            if w.count == 5 {
                print("measure: changelogs step, \(count) upgraded packages, \(label): wall \(w[0]) s, user \(w[1]) s, sys \(w[2]) s, "
                      + "output \(w[3]) B, \(w[4]) packages with ids")
            }
        }
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
}
