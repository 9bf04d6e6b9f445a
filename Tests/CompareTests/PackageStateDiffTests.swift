import XCTest
import Model
@testable import Compare

/// package-broken / package-repaired: a package not fully installed (dpkg state, rpm duplicate).
final class PackageStateDiffTests: DiffTestCase {
    func set(_ name: String, _ version: String? = nil, _ state: PackageState?, reinst: Bool? = nil, _ s: inout Snapshot) {
        s.packages = replacing(s.packages, where: { $0.name == name }) {
            if let version { $0.version = version }
            $0.state = state
            $0.reinstRequired = reinst
        }
    }

    func testUnpackedUpgradeIsBrokenNeverUpgraded() {
        let v = diff { self.set("openssl", "3.0.13-1~deb12u1", .unpacked, &$0) }
        XCTAssertEqual(v.summary, ["package-broken regression openssl"])
        let f = v.findings[0]
        XCTAssertEqual(f.message, "openssl is unpacked, not configured (dpkg -l status U: version 3.0.13-1~deb12u1 "
                       + "unpacked, its configuration never ran): run dpkg --configure -a")
        XCTAssertEqual(f.before, "3.0.11-1~deb12u1")
        XCTAssertEqual(f.after, "3.0.13-1~deb12u1")
    }

    func testHalfConfiguredSameVersionIsBroken() {
        let v = diff { self.set("curl", nil, .halfConfigured, &$0) }
        XCTAssertEqual(v.summary, ["package-broken regression curl"])
        XCTAssertTrue(v.findings[0].message.hasPrefix("curl is half-configured (dpkg -l status F: version 7.88.1-10+deb12u4 unpacked,"))
        XCTAssertTrue(v.findings[0].message.hasSuffix(": run dpkg --configure -a"))
    }

    func testHalfInstalledNeedsReinstall() {
        let v = diff { self.set("curl", nil, .halfInstalled, reinst: true, &$0) }
        XCTAssertEqual(v.summary, ["package-broken regression curl"])
        XCTAssertEqual(v.findings[0].message, "curl is half-installed (dpkg -l status HR, recorded version 7.88.1-10+deb12u4: "
                       + "an unpack did not finish); dpkg requires a reinstall: run apt-get install --reinstall curl")
    }

    func testTriggersPendingIsBroken() {
        let v = diff { self.set("libc6", nil, .triggersPending, &$0) }
        // libc6 is in two architectures, both caught: the subjects name them.
        XCTAssertEqual(v.summary, ["package-broken regression libc6:amd64", "package-broken regression libc6:i386"])
        XCTAssertTrue(v.findings[0].message.contains("its triggers never ran): run dpkg --configure -a"), v.findings[0].message)
    }

    func testNewPackageInstalledBrokenIsNotInstalled() {
        let v = diff {
            $0.packages.append(InstalledPackage(name: "pp-lab", arch: "all", version: "1.1", manager: .dpkg, state: .halfConfigured))
        }
        XCTAssertEqual(v.summary, ["package-broken regression pp-lab"])
        XCTAssertNil(v.findings[0].before)
    }

    func testAlreadyBrokenInBaselineIsOneWarning() {
        let v = diff(baseline: { self.set("curl", nil, .unpacked, &$0) }) { self.set("curl", nil, .unpacked, &$0) }
        XCTAssertEqual(v.summary, ["package-broken warning curl"])
        XCTAssertTrue(v.findings[0].message.hasSuffix("(already so in the baseline: unpacked 7.88.1-10+deb12u4)"),
                      v.findings[0].message)
    }

    func testRepairedSameVersionIsInfo() {
        let v = diff(baseline: { self.set("curl", nil, .unpacked, &$0) }) { _ in }
        XCTAssertEqual(v.summary, ["package-repaired info curl"])
        XCTAssertEqual(v.findings[0].message,
                       "curl 7.88.1-10+deb12u4 is fully installed now (not fully installed in the baseline: unpacked 7.88.1-10+deb12u4)")
    }

    func testRepairedWithUpgradeKeepsTheUpgradeLine() {
        let v = diff(baseline: { self.set("openssl", nil, .halfConfigured, &$0) }) {
            self.set("openssl", "3.0.13-1~deb12u1", nil, &$0)
        }
        XCTAssertEqual(v.summary, ["package-upgraded info openssl"])
        XCTAssertEqual(v.findings[0].message, "openssl upgraded 3.0.11-1~deb12u1 → 3.0.13-1~deb12u1 "
                       + "(not fully installed in the baseline: half-configured 3.0.11-1~deb12u1)")
    }

    func testIgnoredPackageIsSilent() {
        let rules = CompareRules(ignore: IgnoreRules([.packages: ["open*"]]))
        let v = diff(rules: rules) { self.set("openssl", "3.0.13-1~deb12u1", .unpacked, &$0) }
        XCTAssertEqual(v.summary, [])
    }

    static func rpm(_ name: String, _ version: String, _ state: PackageState? = nil) -> InstalledPackage {
        InstalledPackage(name: name, arch: "x86_64", version: version, manager: .rpm, state: state)
    }

    func testRpmDuplicateIsBrokenNotInstalled() {
        let v = diff(baseline: { $0.packages = [Self.rpm("bash", "5.1.8-6.el9"), Self.rpm("glibc", "2.34-60.el9")] }) {
            $0.packages = [Self.rpm("bash", "5.1.8-6.el9", .duplicate), Self.rpm("bash", "5.1.8-9.el9", .duplicate),
                           Self.rpm("glibc", "2.34-60.el9")]
        }
        XCTAssertEqual(v.summary, ["package-broken regression bash"])
        XCTAssertEqual(v.findings[0].message, "two versions of bash installed (5.1.8-6.el9, 5.1.8-9.el9): an interrupted "
                       + "transaction; run package-cleanup --cleandupes (dnf-utils or yum-utils), or dnf remove --duplicates")
        XCTAssertEqual(v.findings[0].after, "5.1.8-6.el9, 5.1.8-9.el9")
    }

    func testRpmDuplicateCleanedIsRepairedNotRemoved() {
        let v = diff(baseline: {
            $0.packages = [Self.rpm("bash", "5.1.8-6.el9", .duplicate), Self.rpm("bash", "5.1.8-9.el9", .duplicate)]
        }) { $0.packages = [Self.rpm("bash", "5.1.8-9.el9")] }
        XCTAssertEqual(v.summary, ["package-repaired info bash"])
    }
}

final class PackageTransactionDiffTests: DiffTestCase {
    static let ok = LastPackageTransaction(tool: "dnf", id: 1, returnCode: "Success", begin: "Mon Dec  7 21:40:08 2026")
    static let failed = LastPackageTransaction(tool: "dnf", id: 2, returnCode: "Failure: 1", begin: "Mon Dec  7 21:39:33 2026")

    func testNewFailedTransactionIsARegression() {
        let v = diff(baseline: { $0.lastPackageTransaction = Self.ok }) { $0.lastPackageTransaction = Self.failed }
        XCTAssertEqual(v.summary, ["package-broken regression dnf transaction 2"])
        XCTAssertEqual(v.findings[0].message, "the last dnf transaction (2, begun Mon Dec  7 21:39:33 2026) ended Failure: 1: "
                       + "an update failed or was cut short; see dnf history info 2, fix the cause and run the update again "
                       + "(package-cleanup --problems and --cleandupes from dnf-utils or yum-utils list what it left)")
    }

    func testSameFailedTransactionInTheBaselineIsAWarning() {
        let v = diff(baseline: { $0.lastPackageTransaction = Self.failed }) { $0.lastPackageTransaction = Self.failed }
        XCTAssertEqual(v.summary, ["package-broken warning dnf transaction 2"])
        XCTAssertTrue(v.findings[0].message.hasSuffix("(already so in the baseline)"))
    }

    func testSucceededOrAbsentIsSilent() {
        XCTAssertEqual(diff(baseline: { $0.lastPackageTransaction = Self.failed }) { $0.lastPackageTransaction = Self.ok }.summary, [])
        XCTAssertEqual(diff { $0.lastPackageTransaction = Self.ok }.summary, [])
        XCTAssertEqual(diff { _ in }.summary, [])
    }
}
