import Foundation
import XCTest
import Model
@testable import Compare

/// FixDiff on an RPM host's transactions section as a real run captured it (CollectTests'
/// RpmAdvisoriesRunTests: ppssl, ppcurl, ppdoc and pptool upgraded 1.0-1 → 1.1-1 by dnf from a
/// repository whose updateinfo.xml names four advisories, none of ppdoc, whose changelog names
/// a CVE; Fixtures/rpm-upgrade-transactions.json).
final class RpmFixDiffTests: DiffTestCase {
    func captured() throws -> PackageTransactions {
        let data = try Data(contentsOf: TestSnapshots.fixtures.appendingPathComponent("rpm-upgrade-transactions.json"))
        return try SnapshotCoding.decoder().decode(PackageTransactions.self, from: data)
    }

    func testEachUpgradedPackagesAdvisoriesAndCVEsAreFixesInstalled() throws {
        let t = try captured()
        XCTAssertEqual(t.changes.map(\.old), ["1.0-1", "1.0-1", "1.0-1", "1.0-1"])
        let v = diff { s in
            s.transactions = t
            s.outdated = []
            s.system.rebootRequired = false
        }
        let installed = v.findings.filter { $0.kind == .fixesInstalled }
        XCTAssertEqual(installed.map(\.message).sorted(), [
            "ppcurl 1.1-1 fixes CVE-2026-20001 (PPEA-2026:0104, PPSA-2026:0102)",
            "ppdoc 1.1-1 fixes CVE-2026-30001",
            "ppssl 1.1-1 fixes CVE-2026-10001, CVE-2026-10002, CVE-2026-20001 (PPSA-2026:0101, PPSA-2026:0102)",
            "pptool 1.1-1 fixes PPBA-2026:0103",
        ])
        XCTAssertTrue(installed.allSatisfy { $0.severity == .info && $0.category == .section(.transactions) })
        XCTAssertEqual(installed.first { $0.message.hasPrefix("ppssl") }?.after,
                       "CVE-2026-10001, CVE-2026-10002, CVE-2026-20001 (PPSA-2026:0101, PPSA-2026:0102)")
        XCTAssertTrue(v.items.contains { $0.subject == "fixes installed since the baseline (4 CVEs, 4 advisories in 4 packages)" },
                      "\(v.items.map(\.subject))")
        XCTAssertFalse(v.findings.contains { $0.kind == .fixNotInEffect }, "nothing runs the old code")
    }
}
