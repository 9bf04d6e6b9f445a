import Foundation
import XCTest
import Model
@testable import Compare

/// The patch record (issue 23): what the patch installed and fixed, what failed, what waits for a
/// reboot or still runs replaced code, what is missing by severity and since when, compliance,
/// and `security-fix-overdue` under `rules: max_security_age_days`.
final class PatchRecordTests: DiffTestCase {
    let day = 86_400.0

    /// web1 patched: libssl3 upgraded (its changelog names two CVEs), openssl's update still pending.
    func patched(_ s: inout Snapshot) {
        s.packages = replacing(s.packages, where: { $0.name == "libssl3" }) { $0.version = "3.0.13-1~deb12u1" }
        s.pendingUpdates = [TestSnapshots.pending[1]]
        s.transactions = PackageTransactions(
            since: "2025-11-21 10:13:20", utcOffset: "+0000",
            changes: [PackageChangeRecord(at: "2025-11-21 10:20:01", action: "upgrade", name: "libssl3", arch: "amd64",
                                          old: "3.0.11-1~deb12u1", new: "3.0.13-1~deb12u1")],
            files: [PackageFiles(package: "libssl3", files: ["/usr/lib/x86_64-linux-gnu/libssl.so.3"])],
            fixes: [PackageFix(package: "libssl3", version: "3.0.13-1~deb12u1", cves: ["CVE-2024-0727", "CVE-2024-2511"], advisories: ["DSA-5678-1"])])
        s.outdated = []
        s.system.rebootRequired = false
    }

    func testAPatchRecordsWhatItInstalledFixedAndWhatIsStillMissing() throws {
        let v = diff(patched)
        let p = try XCTUnwrap(v.patch)
        XCTAssertEqual(p.installed?.upgraded, [PackageVersionChange(name: "libssl3", arch: "amd64", from: "3.0.11-1~deb12u1", to: "3.0.13-1~deb12u1")])
        XCTAssertEqual(p.installed?.new, [])
        XCTAssertEqual(p.cvesFixed, ["CVE-2024-0727", "CVE-2024-2511"])
        XCTAssertEqual(p.missing?.security, 1)
        XCTAssertEqual(p.missing?.unknown, 1, "apt names no severity")
        XCTAssertEqual(p.missing?.other, 0)
        // openssl was pending in the baseline: missing since the baseline's capture at least.
        XCTAssertEqual(p.oldestMissingSecurity?.package, "openssl")
        XCTAssertEqual(p.oldestMissingSecurity?.ageSeconds, 1800)
        XCTAssertEqual(p.oldestMissingSecurity?.source, "first-seen")
        XCTAssertTrue(p.compliant, "\(p.nonCompliance)")
        XCTAssertNil(p.maxSecurityAgeDays)
        XCTAssertFalse(v.findings.contains { $0.kind == .securityFixOverdue }, "no policy, no finding")
    }

    func testAServiceRunningTheReplacedLibraryIsInstalledNotInEffectNamingTheUnit() throws {
        let v = diff { s in
            patched(&s)
            s.outdated = [OutdatedService(name: "nginx.service", kind: .unit, processes: ["nginx"],
                                          files: ["/lib/x86_64-linux-gnu/libssl.so.3"], fileCount: 1)]
        }
        let p = try XCTUnwrap(v.patch)
        XCTAssertEqual(p.notInEffect, [NotInEffect(package: "libssl3", ids: ["CVE-2024-0727", "CVE-2024-2511", "DSA-5678-1"],
                                                   reasons: ["nginx.service still runs the replaced libssl.so.3; restart it"])])
        XCTAssertFalse(p.compliant)
        XCTAssertEqual(p.nonCompliance, ["1 installed but not in effect: libssl3"])
    }

    func testBrokenPackagesAndAPendingRebootAreNotCompliant() throws {
        let v = diff { s in
            patched(&s)
            s.packages = replacing(s.packages, where: { $0.name == "libssl3" }) { $0.state = .unpacked }
            s.system.rebootRequired = true
            s.system.rebootRequiredPackages = ["linux-image-6.1.0-28-amd64"]
        }
        let p = try XCTUnwrap(v.patch)
        XCTAssertEqual(p.failed, ["libssl3 (unpacked)"])
        XCTAssertEqual(p.pendingReboot, ["linux-image-6.1.0-28-amd64"])
        XCTAssertEqual(p.nonCompliance, ["1 package not fully installed: libssl3 (unpacked)", "reboot pending for linux-image-6.1.0-28-amd64"])
    }

    func testTheOldestMissingFixByFirstSeenAndAdvisoryDateAndThePolicy() throws {
        let rules = CompareRules(maxSecurityAgeDays: 30)
        let v = diff(rules: rules) { s in
            patched(&s)
            // First seen 40 days before this capture; a second fix whose advisory is older still.
            s.pendingUpdates[0].firstSeen = s.capturedAt.addingTimeInterval(-40 * day)
            s.pendingUpdates.append(PendingUpdate(name: "ppssl", arch: "x86_64", candidateVersion: "1.1-1", security: true,
                                                  advisories: [Advisory(id: "PPSA-2025:0101", type: .security, severity: .critical,
                                                                        issued: "2025-09-01")],
                                                  firstSeen: s.capturedAt))
            s.pendingUpdates.append(PendingUpdate(name: "pptool", candidateVersion: "2", security: false,
                                                  firstSeen: s.capturedAt.addingTimeInterval(-400 * day)))
        }
        let p = try XCTUnwrap(v.patch)
        XCTAssertEqual(p.missing?.critical, 1)
        XCTAssertEqual(p.missing?.unknown, 1)
        XCTAssertEqual(p.missing?.other, 1)
        XCTAssertEqual(p.oldestMissingSecurity?.package, "ppssl")
        XCTAssertEqual(p.oldestMissingSecurity?.source, "advisory")
        XCTAssertEqual(p.oldestMissingSecurity?.ageDays, 81, "2025-09-01 to 2025-11-21 10:43")
        XCTAssertEqual(p.maxSecurityAgeDays, 30)
        let f = v.findings.first { $0.kind == .securityFixOverdue }
        XCTAssertEqual(f?.message, "2 security fixes missing for more than 30 days; the oldest, ppssl 1.1-1, since 2025-09-01 (81 days, its advisory's issue date)")
        XCTAssertEqual(f?.severity, .warning)
        XCTAssertEqual(f?.after, "81 days")
        XCTAssertFalse(p.compliant)
        XCTAssertEqual(p.nonCompliance.first, f?.message)
        // An ignored package counts nowhere.
        var ignoring = rules
        ignoring.ignore = IgnoreRules([.packages: ["pp*", "openssl"]])
        let quiet = diff(rules: ignoring) { s in
            patched(&s)
            s.pendingUpdates[0].firstSeen = s.capturedAt.addingTimeInterval(-40 * day)
        }
        XCTAssertFalse(quiet.findings.contains { $0.kind == .securityFixOverdue })
        XCTAssertEqual(quiet.patch?.missing?.total, 0)
    }

    func testUpdatesNotAskedAreUnknownNotZero() throws {
        let v = diff { s in
            patched(&s)
            s.notCaptured[.updates] = CaptureGap(step: "updates", problem: "skipped", fix: "--skip-pending-updates", skipped: true)
        }
        XCTAssertNil(v.patch?.missing)
        XCTAssertNil(v.patch?.oldestMissingSecurity)
    }

    func testAssessWithoutABaseline() throws {
        var s = TestSnapshots.web1()
        s.outdated = [OutdatedService(name: "dbus.service", kind: .unit, processes: ["dbus-daemon"],
                                      files: ["/usr/lib/x86_64-linux-gnu/libexpat.so.1"], fileCount: 1)]
        s.pendingUpdates[0].firstSeen = s.capturedAt.addingTimeInterval(-10 * day)
        let p = PatchAssessment.record(current: s, rules: CompareRules(maxSecurityAgeDays: 7))
        XCTAssertNil(p.installed)
        XCTAssertEqual(p.fixed, [])
        XCTAssertEqual(p.notInEffect.map(\.package), ["dbus.service"])
        XCTAssertEqual(p.missing?.security, 2)
        XCTAssertEqual(p.oldestMissingSecurity?.ageDays, 10)
        XCTAssertEqual(p.nonCompliance.count, 2)
        let items = PatchAssessment.overdueItems(current: s, rules: CompareRules(maxSecurityAgeDays: 7))
        XCTAssertEqual(items.flatMap(\.findings).map(\.kind), [.securityFixOverdue])
    }

    func testFleetSummaryAndWorstFirst() {
        let ok = PatchRecord(missing: MissingUpdates(), fixed: [PackageFix(package: "a", version: "1", cves: ["CVE-1"])])
        var missing = MissingUpdates()
        missing.critical = 2
        missing.other = 3
        let bad = PatchRecord(pendingReboot: ["linux-image-amd64"], missing: missing,
                              oldestMissingSecurity: OldestMissingFix(package: "x", candidateVersion: "2", since: Date(), source: "first-seen", ageSeconds: 3 * 86_400),
                              nonCompliance: ["reboot pending for linux-image-amd64"])
        let fleet = FleetPatchSummary([ok, bad])
        XCTAssertEqual(fleet.hosts, 2)
        XCTAssertEqual(fleet.compliant, 1)
        XCTAssertEqual(fleet.missing.critical, 2)
        XCTAssertEqual(fleet.cvesFixed, 1)
        XCTAssertEqual(fleet.line, "Patch compliance: 1 of 2 hosts compliant; missing security fixes: 2 (2 critical), oldest 3 days; "
                           + "other updates: 3; 1 awaiting reboot; 1 CVEs fixed")
        XCTAssertTrue(PatchRecord.worseFirst(bad, ok))
        XCTAssertFalse(PatchRecord.worseFirst(ok, bad))
    }
}
