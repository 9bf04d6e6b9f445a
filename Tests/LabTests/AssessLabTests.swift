import Engine
import Foundation
import LabKit
import Model
import Report
import TestSupport
import XCTest

/// `postpatch assess` on a mixed fleet of two lab systemd hosts, through the built CLI, with
/// `rules: max_security_age_days: 7`:
/// - "fixes": version 1 of ppssl and pptool installed, version 2 served by local archives labelled
///   Debian-Security and Debian (build-apt-root.sh): one security fix and one other update pending;
///   its first-seen dates moved ten days back, so the fix is overdue;
/// - "reboot": nothing pending, a reboot asked for by /run/reboot-required.
/// The terminal, the JSON, the fleet's compliance line and the Prometheus gauges must agree;
/// `--from` a folder of their snapshots gives the same counts (a lone snapshot keeps no first-seen
/// dates: its fixes are as old as the capture).
final class AssessLabTests: E2ETestCase {
    func testAssessAMixedFleetWithoutABaseline() async throws {
        async let fixesBoot = aptOriginHost("assess-fixes")
        async let rebootBoot = bootSettledHost("assess-reboot")
        let (fixes, reboot) = try await (fixesBoot.host, rebootBoot)
        try await reboot.runAsRoot("echo '*** System restart required ***' >/run/reboot-required && echo libc6 >/run/reboot-required.pkgs")

        let dir = lab.dir + "/assess"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let knownHosts = dir + "/known_hosts"
        let keys = try [fixes, reboot].map { try String(contentsOfFile: $0.knownHostsPath, encoding: .utf8) }.joined()
        try keys.write(toFile: knownHosts, atomically: true, encoding: .utf8)
        try "rules:\n  max_security_age_days: 7\n".write(toFile: dir + "/checks.yaml", atomically: true, encoding: .utf8)
        let names = [fixes, reboot].map { "\(SystemdHost.sudoUser)@\($0.address)" }
        let shown = [fixes.address, reboot.address]  // an ad-hoc host is named by its address
        let common = ["--config", "checks.yaml", "--sudo", "-i", key.privatePath, "--known-hosts", knownHosts, "--baselines", "baselines"]

        // First run: every fix first seen now. Then the fixes host's dates ten days back.
        let first = try await PostPatchCLI.run(["assess"] + common + names, in: dir, timeout: .seconds(180))
        XCTAssertEqual(first.status, 1, "the reboot host is not compliant: " + first.stdout + first.stderr)
        let folder = dir + "/baselines/first-seen/"
        let seenFiles = try FileManager.default.contentsOfDirectory(atPath: folder)
        let seen = folder + (try XCTUnwrap(seenFiles.first { $0.contains(fixes.address) }, "\(seenFiles)"))
        var file = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: seen))) as? [String: Any])
        let updates = try XCTUnwrap(file["updates"] as? [String: String], "\(file)")
        XCTAssertTrue(updates.keys.contains("ppssl|all"), "\(updates)")
        XCTAssertFalse(updates.keys.contains("pptool|all"), "only security fixes are kept: \(updates)")
        let tenDaysAgo = ISO8601.string(Date().addingTimeInterval(-10 * 86_400))
        file["updates"] = updates.mapValues { _ in tenDaysAgo }
        try JSONSerialization.data(withJSONObject: file).write(to: URL(fileURLWithPath: seen))

        let run = try await PostPatchCLI.run(["assess"] + common + ["--json", "assess.json", "--prometheus", "assess.prom"] + names,
                                             in: dir, timeout: .seconds(180))
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        let report = try JSONReportReader.read(Data(contentsOf: URL(fileURLWithPath: dir + "/assess.json")))
        let byHost = Dictionary(uniqueKeysWithValues: report.hosts.map { ($0.host, $0) })
        let f = try XCTUnwrap(byHost[shown[0]]?.patch, "\(report.hosts.map(\.host))")
        let r = try XCTUnwrap(byHost[shown[1]]?.patch)
        XCTAssertGreaterThanOrEqual(f.missing?.unknown ?? 0, 1, "ppssl: a security fix apt gives no severity for")
        XCTAssertGreaterThanOrEqual(f.missing?.other ?? 0, 1, "pptool")
        XCTAssertEqual(f.oldestMissingSecurity?.package, "ppssl")
        XCTAssertEqual(f.oldestMissingSecurity?.source, "first-seen")
        XCTAssertEqual(f.oldestMissingSecurity?.ageDays, 10)
        XCTAssertEqual(f.maxSecurityAgeDays, 7)
        XCTAssertTrue(f.nonCompliance.first?.hasPrefix("1 security fix missing for more than 7 days; the oldest, ppssl 1.1-1+deb12u1, since ") == true,
                      "\(f.nonCompliance)")
        XCTAssertTrue(byHost[shown[0]]?.findings.contains { $0.kind == .securityFixOverdue } == true)
        XCTAssertEqual(r.pendingReboot, ["libc6"])
        XCTAssertEqual(r.missing?.security, 0)
        XCTAssertFalse(r.compliant)

        // Worst first: the reboot host (a pending reboot outranks missing fixes), then the fixes host.
        XCTAssertEqual(report.hosts.map(\.host), [shown[1], shown[0]])
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let order = lines.filter { line in shown.contains { line.hasPrefix($0 + " ") } }.compactMap { $0.split(separator: " ").first.map(String.init) }
        XCTAssertEqual(order, [shown[1], shown[0]], run.stdout)
        XCTAssertTrue(run.stdout.contains("  patch: not compliant: 1 security fix missing for more than 7 days"), run.stdout)
        XCTAssertTrue(run.stdout.contains("  patch: not compliant: reboot pending for libc6 · no update missing"), run.stdout)

        // The fleet line: what the JSON's records sum to, in the terminal and the JSON alike.
        let fleet = FleetPatchSummary([f, r])
        XCTAssertTrue(lines.contains(fleet.line), "\(fleet.line)\n\(run.stdout)")
        XCTAssertEqual(report.patchSummary, fleet)
        XCTAssertEqual(fleet.compliant, 0)
        XCTAssertEqual(fleet.pendingReboot, 1)

        // The gauges say the same.
        let prom = try String(contentsOfFile: dir + "/assess.prom", encoding: .utf8)
        func gauge(_ metric: String, _ host: String, _ extra: String = "") -> Int? {
            let prefix = "\(metric){host=\"\(host)\"\(extra)} "
            return prom.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) }
        }
        for (name, record) in [(shown[0], f), (shown[1], r)] {
            for l in MissingUpdates.labels {
                XCTAssertEqual(gauge("postpatch_updates_missing", name, ",severity=\"\(l)\""), record.missing?.count(label: l), "\(name) \(l)\n\(prom)")
            }
            XCTAssertEqual(gauge("postpatch_host_compliant", name), record.compliant ? 1 : 0)
            XCTAssertEqual(gauge("postpatch_security_fix_oldest_age_seconds", name), record.oldestMissingSecurity?.ageSeconds ?? 0)
            XCTAssertEqual(gauge("postpatch_security_fix_max_age_seconds", name), 7 * 86_400)
            XCTAssertEqual(gauge("postpatch_reboot_pending", name), record.pendingReboot.isEmpty ? 0 : 1)
            XCTAssertEqual(gauge("postpatch_fixes_not_in_effect", name), record.notInEffect.count)
            XCTAssertEqual(gauge("postpatch_host_up", name), 1)
        }

        // From a folder of snapshots: the same counts; `snapshot` keeps no first-seen dates, so
        // the fix is as old as the capture and no longer overdue.
        let snap = try await PostPatchCLI.run(["snapshot", "--out", "snaps", "--sudo", "-i", key.privatePath, "--known-hosts", knownHosts] + names,
                                              in: dir, timeout: .seconds(180))
        XCTAssertEqual(snap.status, 0, snap.stdout + snap.stderr)
        let offline = try await PostPatchCLI.run(["assess", "--from", "snaps", "--config", "checks.yaml", "--json", "offline.json"], in: dir)
        XCTAssertEqual(offline.status, 1, offline.stdout + offline.stderr)
        let again = try JSONReportReader.read(Data(contentsOf: URL(fileURLWithPath: dir + "/offline.json")))
        XCTAssertEqual(again.hosts.compactMap(\.patch?.missing), [r.missing, f.missing].compactMap { $0 })
        XCTAssertEqual(again.hosts.compactMap(\.patch?.pendingReboot), [["libc6"], []])
        XCTAssertEqual(again.hosts.last?.patch?.oldestMissingSecurity?.ageDays, 0)
        XCTAssertEqual(again.patchSummary?.compliant, 1)
    }
}
