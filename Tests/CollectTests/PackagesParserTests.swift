import XCTest
import Model
@testable import Collect

final class PackagesParserTests: XCTestCase {
    func testDpkgListTableFromUbuntu() throws {
        let (items, notes) = DpkgParser.parse(try Fixtures.real("ubuntu-18.04_dpkg-l.out"))
        // 671 rows: 614 "ii" kept, 57 "rc" (removed, config files left) dropped.
        XCTAssertEqual(items.count, 614)
        XCTAssertEqual(items.first { $0.name == "acpid" },
                       InstalledPackage(name: "acpid", arch: "amd64", version: "1:2.0.28-1ubuntu1", manager: .dpkg))
        // "zlib1g:amd64" loses its ":amd64"; its version is cut at the 20-column width.
        XCTAssertEqual(items.first { $0.name == "zlib1g" }?.version, "1:1.2.11.dfsg-0ubunt")
        XCTAssertNil(items.first { $0.name.contains(":") })
        XCTAssertEqual(items.filter { $0.arch == "all" }.count, items.count - items.filter { $0.arch == "amd64" }.count)
        XCTAssertEqual(notes, ["packages: 134 versions fill the dpkg -l column and may be truncated"])
    }

    func testDpkgQueryFormatFromThisMachine() throws {
        let (items, notes) = DpkgParser.parse(try Fixtures.local("debian-12_dpkg-query.out"))
        XCTAssertEqual(notes, [])
        XCTAssertEqual(items.count, 805)
        XCTAssertEqual(items.first { $0.name == "dpkg" },
                       InstalledPackage(name: "dpkg", arch: "amd64", version: "1.21.22", manager: .dpkg))
        XCTAssertEqual(items.filter { $0.version.contains(":") }.count, 124)
    }

    func testDpkgStatesKeptAndDropped() {
        let text = "install ok installed\ta\tamd64\t1\ndeinstall ok config-files\tb\tamd64\t2\n"
            + "hold ok installed\tc\tall\t3\ninstall ok half-configured\td\tamd64\t4\nunknown ok not-installed\te\tamd64\t\n"
        let (items, notes) = DpkgParser.parse(text)
        XCTAssertEqual(items.map(\.name), ["a", "c", "d"])
        XCTAssertEqual(notes, ["packages: not fully installed: d (half-configured)"])
    }

    func testRpmQueryInfoFromCentOS() throws {
        let (items, notes) = RpmParser.parse(try Fixtures.real("centos-7.7_rpm-qai.out"))
        XCTAssertEqual(notes, [])
        // 435 lines start with "Name", but two are Description text ("Names (IDN) working group",
        // "Name System) name servers"): 433 packages.
        XCTAssertEqual(items.count, 433)
        XCTAssertEqual(items.first { $0.name == "make" },
                       InstalledPackage(name: "make", arch: "x86_64", version: "1:3.82-24.el7", manager: .rpm))
        XCTAssertEqual(items.filter { $0.name == "kernel" }.map(\.version).sorted(),
                       ["3.10.0-1062.1.2.el7", "3.10.0-957.27.2.el7", "3.10.0-957.el7"])
        XCTAssertEqual(items.filter { $0.name == "gpg-pubkey" }.map(\.arch), ["(none)", "(none)", "(none)"])
        XCTAssertEqual(items.filter { $0.version.contains(":") }.count, 70)
        XCTAssertEqual(items.filter { $0.arch == "noarch" }.count, 82)
    }

    func testRpmQueryFormatAndApkDatabase() {
        let rpm = RpmParser.parse("bash\tx86_64\t4.2.46-33.el7\nmake\tx86_64\t1:3.82-24.el7\ngpg-pubkey\t(none)\tf4a80eb5-53a7ff4b\n")
        XCTAssertEqual(rpm.items.map { "\($0.name) \($0.arch) \($0.version)" },
                       ["bash x86_64 4.2.46-33.el7", "make x86_64 1:3.82-24.el7", "gpg-pubkey (none) f4a80eb5-53a7ff4b"])
        let apk = ApkParser.parse("P:musl\nV:1.2.4-r2\nA:x86_64\nP:busybox\nV:1.36.1-r5\nA:x86_64\n")
        XCTAssertEqual(apk.items, [InstalledPackage(name: "musl", arch: "x86_64", version: "1.2.4-r2", manager: .apk),
                                   InstalledPackage(name: "busybox", arch: "x86_64", version: "1.36.1-r5", manager: .apk)])
    }
}

/// Real captures from a copy of the lab's Debian 12 rootfs where dpkg was left, on purpose, in
/// each state short of installed: `dpkg --unpack` of pp-state-unpacked 1.1 over 1.0 (iU), a
/// failing postinst (iF), an old postrm killing dpkg during an upgrade (iHR), `--no-triggers`
/// unpack and configure of a package feeding pp-state-trig's trigger (it, iW).
final class DpkgStateCaptureTests: XCTestCase {
    static let expected: [String: (state: PackageState, version: String, reinst: Bool?)] = [
        "pp-state-unpacked": (.unpacked, "1.1", nil),
        "pp-state-failconf": (.halfConfigured, "1.0", nil),
        "pp-state-halfinst": (.halfInstalled, "1.0", true),
        "pp-state-trig": (.triggersPending, "1.0", nil),
        "pp-state-feeder": (.triggersAwaited, "1.0", nil),
    ]

    func check(_ file: String, note: String, line: UInt = #line) throws {
        let (items, notes) = DpkgParser.parse(try Fixtures.local(file))
        XCTAssertEqual(items.count, 163, line: line)
        let broken = items.filter(\.isBroken)
        XCTAssertEqual(broken.map(\.name).sorted(), Self.expected.keys.sorted(), line: line)
        for p in broken {
            let e = try XCTUnwrap(Self.expected[p.name])
            XCTAssertEqual(p.state, e.state, p.name, line: line)
            XCTAssertEqual(p.version, e.version, p.name, line: line)
            XCTAssertEqual(p.reinstRequired, e.reinst, p.name, line: line)
        }
        XCTAssertEqual(items.first { $0.name == "dpkg" }?.state, nil, line: line)
        // The dpkg -l table adds its usual note: the longest version fills its column.
        XCTAssertEqual(notes.filter { !$0.contains("dpkg -l column") }, ["packages: not fully installed: " + note], line: line)
    }

    static let words = "pp-state-failconf (half-configured), pp-state-feeder (triggers-awaited), "
        + "pp-state-halfinst (half-installed, reinst-required), pp-state-trig (triggers-pending), pp-state-unpacked (unpacked)"

    func testStatusFileAwkStep() throws { try check("debian-12-lab-states_dpkg-status-awk.out", note: Self.words) }
    func testDpkgQuery() throws { try check("debian-12-lab-states_dpkg-query.out", note: Self.words) }
    func testDpkgListTable() throws {
        try check("debian-12-lab-states_dpkg-l.out", note: "pp-state-failconf (iF), pp-state-feeder (iW), "
                  + "pp-state-halfinst (iHR), pp-state-trig (it), pp-state-unpacked (iU)")
    }

    func testFullyInstalledPackagesWriteNoState() throws {
        let (items, _) = DpkgParser.parse("hold ok installed\tc\tall\t3\n")
        let json = String(decoding: try JSONEncoder().encode(items[0]), as: UTF8.self)
        XCTAssertFalse(json.contains("state"), json)
        XCTAssertFalse(json.contains("reinst"), json)
    }
}

/// A real rpm 4.18 database in a scratch root (`rpm --root --initdb`, packages built with rpmbuild,
/// recorded with `-i --justdb`): pp-state-dup 1.1-1 went in and 1.0-1 was never erased, as an
/// interrupted `dnf upgrade` leaves it; kernel-core in two versions, as install-only kernels are.
final class RpmDuplicateTests: XCTestCase {
    func testDuplicateNameAndArchMarkedInstallOnlyNot() throws {
        let (items, notes) = RpmParser.parse(try Fixtures.local("rpm-4.18-scratch-db-duplicates_rpm-qa.out"))
        XCTAssertEqual(items.count, 5)
        XCTAssertEqual(items.filter { $0.state == .duplicate }.map { "\($0.name) \($0.version)" }.sorted(),
                       ["pp-state-dup 1.0-1", "pp-state-dup 1.1-1"])
        XCTAssertEqual(items.filter { $0.name == "kernel-core" }.map(\.state), [nil, nil])
        XCTAssertEqual(notes, ["packages: installed in several versions: pp-state-dup (1.0-1, 1.1-1)"])
    }
}

/// Real `dnf -C -q history info last | sed '/^Return-Code/q'` output (dnf 4.14, Debian's package)
/// in scratch install roots: a local rpm installed (Success), then one whose %pre failed.
final class DnfHistoryParserTests: XCTestCase {
    func testSuccessAndFailure() throws {
        let ok = DnfHistoryParser.parse(try Fixtures.local("dnf-4.14-scratch-root_history-info-last-success.out"), tool: "dnf")
        XCTAssertEqual(ok.item, LastPackageTransaction(tool: "dnf", id: 1, returnCode: "Success", begin: "Mon Dec  7 21:40:08 2026"))
        XCTAssertEqual(ok.notes, [])
        let failed = DnfHistoryParser.parse(try Fixtures.local("dnf-4.14-scratch-root_history-info-last-failure.out"), tool: "dnf")
        XCTAssertEqual(failed.item, LastPackageTransaction(tool: "dnf", id: 2, returnCode: "Failure: 1", begin: "Mon Dec  7 21:39:33 2026"))
        XCTAssertEqual(failed.item?.succeeded, false)
    }

    func testNoHistoryIsNilAndGarbageIsANote() {
        // dnf 4.14 with no transaction prints nothing on stdout (a traceback on stderr).
        XCTAssertNil(DnfHistoryParser.parse("", tool: "dnf").item)
        XCTAssertEqual(DnfHistoryParser.parse("", tool: "dnf").notes, [])
        XCTAssertEqual(DnfHistoryParser.parse("Error: oops\n", tool: "yum").notes, ["packages: yum history info last not understood"])
    }
}

final class PackagesSectionTransactionTests: XCTestCase {
    /// The glue: rpm's list and dnf's last transaction, each from its step, into one snapshot.
    func testRpmAndDnfHistoryStepsFillTheSnapshot() throws {
        var out = ScriptOutput()
        out.steps["packages.rpm"] = StepOutput(name: "packages.rpm",
                                               stdout: try Fixtures.local("rpm-4.18-scratch-db-duplicates_rpm-qa.out"), status: 0)
        out.steps["packages.dnf-history"] = StepOutput(
            name: "packages.dnf-history", stdout: try Fixtures.local("dnf-4.14-scratch-root_history-info-last-failure.out"), status: 0)
        var snapshot = Snapshot(host: "rpm1")
        let result = PackagesSection.collector.parse(out, .init(checks: CheckSet(), options: ScriptOptions()), &snapshot)
        XCTAssertEqual(snapshot.packages.count, 5)
        XCTAssertEqual(snapshot.lastPackageTransaction?.returnCode, "Failure: 1")
        XCTAssertEqual(result.notes, ["packages: installed in several versions: pp-state-dup (1.0-1, 1.1-1)"])
        // A yum host whose history tool failed: a note, no transaction.
        out.steps["packages.dnf-history"] = nil
        out.steps["packages.yum-history"] = StepOutput(name: "packages.yum-history", stderr: "boom\n", status: 1)
        var other = Snapshot(host: "rpm2")
        let failed = PackagesSection.collector.parse(out, .init(checks: CheckSet(), options: ScriptOptions()), &other)
        XCTAssertNil(other.lastPackageTransaction)
        XCTAssertTrue(failed.notes.contains("packages: yum history exited 1: boom"), "\(failed.notes)")
    }
}
