import XCTest
import Model
@testable import Compare

/// `rollout --pin`, pure: the recorded change, the merge across hosts, each later host's
/// transaction, and the mismatch findings after it.
final class PatchSetPlanTests: XCTestCase {
    func pkg(_ name: String, _ version: String, _ arch: String = "amd64") -> InstalledPackage {
        InstalledPackage(name: name, arch: arch, version: version, manager: .dpkg)
    }

    func testChangesRecordUpgradesInstallsRemovalsAndKernels() {
        let before = [pkg("curl", "7.88.1-10"), pkg("libssl3", "3.0.11-1"), pkg("openssl", "3.0.11-1")]
        let after = [pkg("libssl3", "3.0.13-1"), pkg("linux-image-6.1.0-18-amd64", "6.1.76-1"), pkg("openssl", "3.0.13-1")]
        XCTAssertEqual(PatchSetPlan.changes(before: before, after: after), [
            PackageChange(name: "curl", arch: "amd64", from: "7.88.1-10", to: nil),
            PackageChange(name: "libssl3", arch: "amd64", from: "3.0.11-1", to: "3.0.13-1"),
            PackageChange(name: "linux-image-6.1.0-18-amd64", arch: "amd64", from: nil, to: "6.1.76-1"),
            PackageChange(name: "openssl", arch: "amd64", from: "3.0.11-1", to: "3.0.13-1"),
        ])
    }

    func testMergeKeepsOneVersionPerPackageAndRefusesDisagreement() throws {
        let a = PatchSet.Host(host: "c1", changes: [PackageChange(name: "openssl", arch: "amd64", from: "3.0.11-1", to: "3.0.13-1")])
        let b = PatchSet.Host(host: "c2", changes: [PackageChange(name: "openssl", arch: "amd64", from: "3.0.9-1", to: "3.0.13-1"),
                                                    PackageChange(name: "zlib1g", arch: "amd64", from: nil, to: "1.2.13")])
        XCTAssertEqual(try PatchSetPlan.merge([a, b]).map(\.sortKey), ["openssl|amd64", "zlib1g|amd64"])
        let c = PatchSet.Host(host: "c3", changes: [PackageChange(name: "openssl", arch: "amd64", from: "3.0.11-1", to: "3.0.14-1")])
        XCTAssertThrowsError(try PatchSetPlan.merge([a, c])) { e in
            XCTAssertTrue("\(e)".contains("disagree on openssl:amd64: c1 has 3.0.13-1, c3 3.0.14-1"), "\(e)")
        }
    }

    func testTransactionBringsAHostToTheSet() {
        let set = [PackageChange(name: "curl", arch: "amd64", from: "7.88.1-10", to: nil),
                   PackageChange(name: "libssl3", arch: "amd64", from: "3.0.11-1", to: "3.0.13-1"),
                   PackageChange(name: "nginx", arch: "amd64", from: "1.22.1-9", to: "1.22.1-9+deb12u1"),
                   PackageChange(name: "zlib1g", arch: "amd64", from: nil, to: "1.2.13")]
        let host = [pkg("curl", "7.88.1-10"), pkg("libssl3", "3.0.14-1"), pkg("openssl", "3.0.11-1")]
        XCTAssertEqual(PatchSetPlan.transaction(set: set, installed: host), [
            PackageChange(name: "curl", arch: "amd64", from: "7.88.1-10", to: nil),
            PackageChange(name: "libssl3", arch: "amd64", from: "3.0.14-1", to: "3.0.13-1"),  // newer here: pinned down to the set
            PackageChange(name: "zlib1g", arch: "amd64", from: nil, to: "1.2.13"),            // nginx: not this host's
        ])
        XCTAssertEqual(PatchSetPlan.transaction(set: set, installed: [pkg("libssl3", "3.0.13-1"), pkg("zlib1g", "1.2.13")]), [])
    }

    func testMismatchesAreRegressionsNamingBothVersions() {
        let expected = [PackageChange(name: "libssl3", arch: "amd64", from: "3.0.11-1", to: "3.0.13-1"),
                        PackageChange(name: "curl", arch: "amd64", from: "7.88.1-10", to: nil)]
        let found = PatchSetPlan.mismatches(host: "w1", expected: expected, installed: [pkg("libssl3", "3.0.14-1"), pkg("curl", "7.88.1-10")])
        XCTAssertEqual(found.map(\.kind), [.patchSetMismatch, .patchSetMismatch])
        XCTAssertEqual(found.map(\.severity), [.regression, .regression])
        XCTAssertEqual(found.map(\.message), ["libssl3:amd64: the pinned patch set has 3.0.13-1, the host 3.0.14-1",
                                              "curl:amd64: the pinned patch set has removed, the host 7.88.1-10"])
        XCTAssertEqual(PatchSetPlan.mismatches(host: "w1", expected: expected, installed: [pkg("libssl3", "3.0.13-1")]), [])
    }

    func testPatchSetFileRoundTripsAndIsRecognised() throws {
        let set = PatchSet(createdAt: Date(timeIntervalSince1970: 1_765_000_000), wave: "canary",
                           hosts: [PatchSet.Host(host: "c1", changes: [PackageChange(name: "openssl", arch: "amd64", from: "1", to: "2")])],
                           packages: [PackageChange(name: "openssl", arch: "amd64", from: "1", to: "2")])
        let data = try PrettyJSONEncoder().encode(set)
        XCTAssertEqual(try PatchSet.read(data), set)
        XCTAssertThrowsError(try PatchSet.read(Data("{\"format\":\"postpatch-report\"}".utf8)))
        XCTAssertThrowsError(try PatchSet.read(try PrettyJSONEncoder().encode(["format": "postpatch-report"])))
    }
}
