import XCTest
import Model
@testable import Compare

final class PackageDiffTests: DiffTestCase {
    func setVersion(_ name: String, _ version: String, _ s: inout Snapshot) {
        s.packages = replacing(s.packages, where: { $0.name == name }, with: { $0.version = version })
    }

    func testUpgradeIsInfo() {
        let v = diff { self.setVersion("openssl", "3.0.13-1~deb12u1", &$0) }
        XCTAssertEqual(v.summary, ["package-upgraded info openssl"])
        XCTAssertEqual(v.findings.first?.message, "openssl upgraded 3.0.11-1~deb12u1 → 3.0.13-1~deb12u1")
        XCTAssertEqual(v.findings.first?.before, "3.0.11-1~deb12u1")
        XCTAssertEqual(v.findings.first?.after, "3.0.13-1~deb12u1")
    }

    func testTildeBackportToReleaseIsUpgrade() {
        // "~deb12u1" sorts before the end: 8.2.12-1~deb12u1 < 8.2.12-1.
        let v = diff { self.setVersion("php8.2-fpm", "8.2.12-1", &$0) }
        XCTAssertEqual(v.summary, ["package-upgraded info php8.2-fpm"])
    }

    func testDowngradeIsWarning() {
        let v = diff { self.setVersion("nginx", "1.22.1-9~bpo11+1", &$0) }
        XCTAssertEqual(v.summary, ["package-downgraded warning nginx"])
        XCTAssertEqual(v.findings.first?.message, "nginx downgraded 1.22.1-9 → 1.22.1-9~bpo11+1")
    }

    func testEpochWinsOverUpstream() {
        // 5:7.0.11 -> 7.2.4 drops the epoch: a downgrade whatever the numbers say.
        let v = diff { self.setVersion("redis-server", "7.2.4-1", &$0) }
        XCTAssertEqual(v.summary, ["package-downgraded warning redis-server"])
    }

    func testInstalledIsInfoAndRemovedIsWarning() {
        let v = diff {
            $0.packages.append(TestSnapshots.pkg("linux-image-6.1.0-18-amd64", "6.1.76-1"))
            $0.packages.removeAll { $0.name == "curl" }
        }
        XCTAssertEqual(v.summary, ["package-removed warning curl", "package-installed info linux-image-6.1.0-18-amd64"])
        XCTAssertEqual(v.findings.map(\.message), ["curl 7.88.1-10+deb12u4 removed", "linux-image-6.1.0-18-amd64 6.1.76-1 installed"])
    }

    func testMultiArchChangesNameTheArchitecture() {
        let v = diff { self.setVersion("libc6", "2.36-9+deb12u4", &$0) }
        XCTAssertEqual(v.summary, ["package-upgraded info libc6:amd64", "package-upgraded info libc6:i386"])
    }

    func testArchitectureChangeIsOneChange() {
        let v = diff { $0.packages = replacing($0.packages, where: { $0.name == "tzdata" }, with: { $0.arch = "amd64"; $0.version = "2024a-0+deb12u1" }) }
        XCTAssertEqual(v.summary, ["package-upgraded info tzdata"])
        XCTAssertEqual(v.findings.first?.message, "tzdata upgraded 2023c-5+deb12u1 → 2024a-0+deb12u1 (all → amd64)")
    }

    func testSameVersionSpelledWithZeroEpochIsNoChange() {
        let v = diff { self.setVersion("bash", "0:5.2.15-2+b2", &$0) }
        XCTAssertEqual(v.findings, [])
    }

    func testOnlyChangedPackagesGetItems() {
        let v = diff { self.setVersion("curl", "7.88.1-10+deb12u5", &$0) }
        XCTAssertEqual(v.items.filter { $0.category == .section(.packages) }.map(\.subject), ["curl", "installed packages (15)"])
        XCTAssertEqual(v.items.first { $0.subject == "installed packages (15)" }?.findings, [])
    }

    func testRPMVersionsUseRPMOrder() {
        func rpmHost(_ version: String) -> Snapshot {
            Snapshot(host: "c7", packages: [InstalledPackage(name: "openssl-libs", arch: "x86_64", version: version, manager: .rpm)])
        }
        let v = Differ.compare(baseline: rpmHost("1:1.0.2k-19.el7"), current: rpmHost("1:1.0.2k-21.el7_9"), rules: CompareRules())
        XCTAssertEqual(v.summary, ["package-upgraded info openssl-libs"])
    }

    // MARK: pending updates

    func testUpdatesClearedByThePatchAreInfo() {
        let v = diff {
            self.setVersion("openssl", "3.0.13-1~deb12u1", &$0)
            self.setVersion("libssl3", "3.0.13-1~deb12u1", &$0)
            $0.pendingUpdates = []
        }
        XCTAssertEqual(v.summary, ["package-upgraded info libssl3", "package-upgraded info openssl",
                                   "update-cleared info libssl3", "update-cleared info openssl"])
        XCTAssertEqual(v.findings.last?.message, "openssl update to 3.0.13-1~deb12u1 (security) no longer pending")
        XCTAssertTrue(v.items.contains { $0.subject == "pending updates (0)" })
    }

    func testNewPendingUpdateIsInfo() {
        let v = diff {
            $0.pendingUpdates.append(PendingUpdate(name: "tzdata", arch: "all", currentVersion: "2023c-5+deb12u1",
                                                   candidateVersion: "2024a-0+deb12u1", security: false))
        }
        XCTAssertEqual(v.summary, ["update-new info tzdata"])
        XCTAssertEqual(v.findings.first?.message, "tzdata update now pending: 2023c-5+deb12u1 → 2024a-0+deb12u1")
    }

    func testNewPendingUpdateNamesItsSeverityAndWorstAdvisory() {
        let advisories = [Advisory(id: "RHSA-2026:0102", type: .security, severity: .important, issued: "2026-10-20"),
                          Advisory(id: "RHSA-2026:0101", type: .security, severity: .critical, issued: "2026-11-03",
                                   cves: ["CVE-2026-10001"])]
        let v = diff {
            $0.pendingUpdates.append(PendingUpdate(name: "ppssl", arch: "noarch", currentVersion: "1.0-1", candidateVersion: "1.1-1",
                                                   security: true, advisories: [advisories[1], advisories[0]]))
            $0.pendingUpdates.append(PendingUpdate(name: "pptool", arch: "noarch", currentVersion: "1.0-1", candidateVersion: "1.1-1",
                                                   security: false, advisories: [Advisory(id: "RHBA-2026:0103", type: .bugfix)]))
            $0.pendingUpdates.append(PendingUpdate(name: "ppdoc", arch: "noarch", currentVersion: "1.0-1", candidateVersion: "1.1-1",
                                                   security: false, advisories: [Advisory(id: "RHEA-2026:0104", type: .enhancement, severity: .low)]))
        }
        XCTAssertEqual(v.findings.map(\.message).sorted(), [
            "ppdoc update now pending: 1.0-1 → 1.1-1 (low: RHEA-2026:0104)",
            "ppssl update now pending: 1.0-1 → 1.1-1 (security, critical: RHSA-2026:0101)",
            "pptool update now pending: 1.0-1 → 1.1-1",
        ])
    }

    func testNewCandidateForPendingUpdateIsInfo() {
        let v = diff { $0.pendingUpdates = replacing($0.pendingUpdates, where: { $0.name == "openssl" }, with: { $0.candidateVersion = "3.0.14-1~deb12u1" }) }
        XCTAssertEqual(v.summary, ["update-new info openssl"])
    }
}

final class PackageMatchTests: XCTestCase {
    func rpm(_ name: String, _ version: String, _ arch: String = "x86_64") -> InstalledPackage {
        InstalledPackage(name: name, arch: arch, version: version, manager: .rpm)
    }

    func describe(_ changes: [PackageDiff.Change]) -> [String] {
        changes.map { "\($0.before?.version ?? "-") > \($0.after?.version ?? "-") \($0.name)" }.sorted()
    }

    func testInstallOnlyKernelsKeepEachVersion() {
        // CentOS keeps several kernels installed: the oldest rotates out when a new one comes in.
        let base = [rpm("bash", "4.2.46-33.el7"), rpm("kernel", "3.10.0-957.el7"), rpm("kernel", "3.10.0-1062.el7"), rpm("zlib", "1.2.7-18.el7")]
        let cur = [rpm("bash", "4.2.46-34.el7"), rpm("kernel", "3.10.0-1062.el7"), rpm("kernel", "3.10.0-1160.el7"), rpm("zlib", "1.2.7-18.el7")]
        XCTAssertEqual(describe(PackageMatch.changes(baseline: base, current: cur)),
                       ["3.10.0-957.el7 > 3.10.0-1160.el7 kernel", "4.2.46-33.el7 > 4.2.46-34.el7 bash"])
        let v = Differ.compare(baseline: Snapshot(host: "c7", packages: base), current: Snapshot(host: "c7", packages: cur), rules: CompareRules())
        XCTAssertEqual(v.summary, ["package-upgraded info bash", "package-upgraded info kernel"])
    }

    func testSecondKernelInstalledNextToTheFirst() {
        let base = [rpm("kernel", "3.10.0-1062.el7")]
        let cur = [rpm("kernel", "3.10.0-1062.el7"), rpm("kernel", "3.10.0-1160.el7")]
        XCTAssertEqual(describe(PackageMatch.changes(baseline: base, current: cur)), ["- > 3.10.0-1160.el7 kernel"])
    }

    func testAnyOrderGivesTheSameChanges() {
        let base = TestSnapshots.packages
        var cur = base.filter { $0.name != "curl" }
        cur.insert(TestSnapshots.pkg("linux-image-6.1.0-18-amd64", "6.1.76-1"), at: 7)
        cur = replacing(cur, where: { $0.name == "openssl" || $0.name == "bash" }, with: { $0.version += "+b1" })
        let want = describe(PackageMatch.changes(baseline: base, current: cur))
        XCTAssertEqual(want, ["- > 6.1.76-1 linux-image-6.1.0-18-amd64", "3.0.11-1~deb12u1 > 3.0.11-1~deb12u1+b1 openssl",
                              "5.2.15-2+b2 > 5.2.15-2+b2+b1 bash", "7.88.1-10+deb12u4 > - curl"])
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            XCTAssertEqual(describe(PackageMatch.changes(baseline: base.shuffled(using: &rng), current: cur.shuffled(using: &rng))), want)
        }
    }

    func testLongRunOfNewPackagesBeyondTheLookahead() {
        let base = (0..<100).map { TestSnapshots.pkg("pkg\($0)", "1.0-1") }
        var cur = base
        cur.insert(contentsOf: (0..<40).map { TestSnapshots.pkg("new\($0)", "2.0-1") }, at: 50)
        cur.removeSubrange(10..<35)
        let changes = PackageMatch.changes(baseline: base, current: cur)
        XCTAssertEqual(changes.filter { $0.before == nil }.count, 40)
        XCTAssertEqual(changes.filter { $0.after == nil }.count, 25)
        XCTAssertEqual(changes.count, 65)
    }
}
