import Foundation
import XCTest
import Model
@testable import Compare

/// What the patch fixed and whether it is in effect (web1's snapshots, libssl3 upgraded with
/// the fixes its changelog names).
final class FixDiffTests: DiffTestCase {
    let libssl = "libssl3 3.0.11-1~deb12u1 → 3.0.13-1~deb12u1"
    let fix = PackageFix(package: "libssl3", version: "3.0.13-1~deb12u1", cves: ["CVE-2024-0727", "CVE-2024-2511"], advisories: ["DSA-5678-1"])

    func patched(_ s: inout Snapshot) {
        s.packages = replacing(s.packages, where: { $0.name == "libssl3" }) { $0.version = "3.0.13-1~deb12u1" }
        s.transactions = PackageTransactions(
            since: "2026-12-07 10:00:00", utcOffset: "+0000",
            changes: [PackageChangeRecord(at: "2026-12-07 10:05:01", action: "upgrade", name: "libssl3", arch: "amd64",
                                          old: "3.0.11-1~deb12u1", new: "3.0.13-1~deb12u1")],
            files: [PackageFiles(package: "libssl3", files: ["/usr/lib/x86_64-linux-gnu/libcrypto.so.3", "/usr/lib/x86_64-linux-gnu/libssl.so.3"])],
            fixes: [fix])
        s.outdated = []
        s.system.rebootRequired = false
    }

    func testEachFixedPackageIsAnInfoFindingExplainedByItsOwnChange() {
        let v = diff(patched)
        let f = v.findings.first { $0.kind == .fixesInstalled }
        XCTAssertEqual(f?.message, "libssl3 3.0.13-1~deb12u1 fixes CVE-2024-0727, CVE-2024-2511 (DSA-5678-1)")
        XCTAssertEqual(f?.severity, .info)
        XCTAssertEqual(f?.category, .section(.transactions))
        XCTAssertEqual(f?.explainedBy, [libssl])
        XCTAssertTrue(v.items.contains { $0.subject == "fixes installed since the baseline (2 CVEs, 1 advisory in 1 package)" }, "\(v.items.map(\.subject))")
        XCTAssertFalse(v.findings.contains { $0.kind == .fixNotInEffect }, "nothing runs the old code")
    }

    func testAServiceMappingTheReplacedLibraryLeavesTheFixNotInEffect() {
        let v = diff { s in
            patched(&s)
            s.outdated = [OutdatedService(name: "nginx.service", kind: .unit, processes: ["nginx"],
                                          files: ["/lib/x86_64-linux-gnu/libssl.so.3"], fileCount: 1)]
        }
        let f = v.findings.first { $0.kind == .fixNotInEffect }
        XCTAssertEqual(f?.message, "CVE-2024-0727, CVE-2024-2511 (DSA-5678-1) (libssl3 3.0.13-1~deb12u1) are installed but not in effect: "
                           + "nginx.service still runs the replaced libssl.so.3; restart it")
        XCTAssertEqual(f?.severity, .warning)
        XCTAssertEqual(f?.after, "nginx.service")
        XCTAssertEqual(f?.explainedBy, [libssl])
    }

    func testAServiceRunningOtherReplacedCodeIsNotNamed() {
        let v = diff { s in
            patched(&s)
            s.outdated = [OutdatedService(name: "cron.service", kind: .unit, processes: ["cron"],
                                          files: ["/usr/lib/x86_64-linux-gnu/libpam.so.0"], fileCount: 1)]
        }
        XCTAssertFalse(v.findings.contains { $0.kind == .fixNotInEffect }, "\(v.findings)")
    }

    func testAKernelFixWaitsForTheReboot() {
        let v = diff { s in
            patched(&s)
            s.packages.append(InstalledPackage(name: "linux-image-6.1.0-28-amd64", arch: "amd64", version: "6.1.119-1", manager: .dpkg))
            s.transactions?.fixes?.append(PackageFix(package: "linux-image-6.1.0-28-amd64", version: "6.1.119-1", cves: ["CVE-2024-53103"]))
            s.system.rebootRequired = true
            s.system.rebootRequiredPackages = ["linux-image-6.1.0-28-amd64"]
        }
        let f = v.findings.first { $0.kind == .fixNotInEffect && $0.subject == "linux-image-6.1.0-28-amd64" }
        XCTAssertTrue(f?.message.hasPrefix("CVE-2024-53103 (linux-image-6.1.0-28-amd64 6.1.119-1) is installed but not in effect: the host runs the old kernel (") == true,
                      "\(String(describing: f))")
        XCTAssertTrue(f?.message.hasSuffix(") until it reboots") == true)
        XCTAssertEqual(f?.after, "reboot")
    }

    func testACorePackageNamedInTheRebootReasonsWaitsForTheReboot() {
        let v = diff { s in
            patched(&s)
            s.system.rebootRequired = true
            s.system.rebootReasons = ["core packages upgraded after the boot: libssl3"]
        }
        let f = v.findings.first { $0.kind == .fixNotInEffect }
        XCTAssertEqual(f?.message.hasSuffix("the host needs a reboot for it (core packages upgraded after the boot: libssl3)"), true, "\(String(describing: f))")
    }

    func testManyIdsAreCutInTheMessageAndKeptInAfter() {
        let many = (1...14).map { "CVE-2026-\(1000 + $0)" }
        let v = diff { s in
            patched(&s)
            s.transactions?.fixes = [PackageFix(package: "libssl3", version: "3.0.13-1~deb12u1", cves: many)]
        }
        let f = v.findings.first { $0.kind == .fixesInstalled }
        XCTAssertEqual(f?.message, "libssl3 3.0.13-1~deb12u1 fixes " + many.prefix(10).joined(separator: ", ") + " (+4 more)")
        XCTAssertEqual(f?.after, many.joined(separator: ", "))
    }

    func testWithoutFixesReadNothingIsSaid() {
        let v = diff { s in
            patched(&s)
            s.transactions?.fixes = nil
        }
        XCTAssertFalse(v.items.contains { $0.subject.hasPrefix("fixes installed") })
        XCTAssertFalse(v.findings.contains { $0.kind == .fixesInstalled })
    }

    /// A snapshot without `fixes` writes no key: old readers and the kept schema fixtures agree.
    func testNilFixesAreNotWritten() throws {
        let t = PackageTransactions(since: "x")
        let json = String(decoding: try JSONEncoder().encode(t), as: UTF8.self)
        XCTAssertFalse(json.contains("fixes"), json)
        XCTAssertFalse(String(decoding: try JSONEncoder().encode(fix), as: UTF8.self).contains("partial"))
    }
}
