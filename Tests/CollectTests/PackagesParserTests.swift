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
