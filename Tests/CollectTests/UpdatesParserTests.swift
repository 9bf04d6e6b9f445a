import XCTest
import Model
@testable import Collect

final class UpdatesParserTests: XCTestCase {
    func testAptSimulationFromThisMachine() throws {
        // `apt-get -s -o Debug::NoLocking=1 dist-upgrade` here, with 128 upgrades pending.
        let (items, notes) = AptSimulationParser.parse(try Fixtures.local("debian-12_apt-get-s-dist-upgrade.out"))
        XCTAssertEqual(notes, [])
        XCTAssertEqual(items.count, 128)
        XCTAssertEqual(items.filter(\.security).count, 76)
        XCTAssertEqual(items.first { $0.name == "libgcrypt20" },
                       PendingUpdate(name: "libgcrypt20", arch: "amd64", currentVersion: "1.10.1-3",
                                     candidateVersion: "1.10.1-3+deb12u1", security: true,
                                     origin: "Debian-Security:12/oldstable-security, Debian:12.15/oldstable"))
        XCTAssertEqual(items.first { $0.name == "base-files" },
                       PendingUpdate(name: "base-files", arch: "amd64", currentVersion: "12.4+deb12u11",
                                     candidateVersion: "12.4+deb12u15", security: false, origin: "Debian:12.15/oldstable"))
        // "Inst liblzma-dev [...] (...) []": the trailing "[]" is not the architecture.
        XCTAssertEqual(items.first { $0.name == "liblzma-dev" }?.arch, "amd64")
    }

    func testAptInstLineForms() {
        // The documented form for a new package (no current version) and an Ubuntu security pocket.
        let text = "Inst linux-image-6.1.0-30-amd64 (6.1.124-1 Debian-Security:12/stable-security [amd64])\n"
            + "Inst openssl [1.1.1-1ubuntu2.1~18.04.5] (1.1.1-1ubuntu2.1~18.04.6 Ubuntu:18.04/bionic-updates, Ubuntu:18.04/bionic-security [amd64])\n"
            + "Conf openssl (1.1.1-1ubuntu2.1~18.04.6 Ubuntu:18.04/bionic-updates [amd64])\n"
        let items = AptSimulationParser.parse(text).items
        XCTAssertEqual(items.map { "\($0.name) \($0.currentVersion ?? "-") \($0.candidateVersion) \($0.security)" },
                       ["linux-image-6.1.0-30-amd64 - 6.1.124-1 true",
                        "openssl 1.1.1-1ubuntu2.1~18.04.5 1.1.1-1ubuntu2.1~18.04.6 true"])
    }

    func testDnfCheckUpdateWithSecurityAndWrappedNames() {
        // Shapes of `yum -q check-update` (long names wrap) and `yum updateinfo list security`.
        let check = """

        bash.x86_64                             4.2.46-34.el7                   base
        python-perf-debuginfo-common-long.x86_64
                                                3.10.0-1160.el7                 updates
        kernel.x86_64                           3.10.0-1160.el7                 updates
        Obsoleting Packages
        grub2.x86_64                            1:2.02-0.86.el7.centos          updates
        """
        let security = DnfUpdatesParser.securityNames("RHSA-2020:5023 Important/Sec. kernel-3.10.0-1160.6.1.el7.x86_64\n")
        XCTAssertEqual(security, ["kernel.x86_64"])
        let items = DnfUpdatesParser.checkUpdate(check, security: security).items
        XCTAssertEqual(items.map { "\($0.name).\($0.arch ?? "") \($0.candidateVersion) \($0.security)" },
                       ["bash.x86_64 4.2.46-34.el7 false", "python-perf-debuginfo-common-long.x86_64 3.10.0-1160.el7 false",
                        "kernel.x86_64 3.10.0-1160.el7 true"])
    }

    func testApkVersionList() {
        let text = "Installed:                                Available:\nbusybox-1.36.1-r5                       < 1.36.1-r6 \npy3-foo-bar-2.0-r0 < 2.1-r0\n"
        XCTAssertEqual(ApkUpgradesParser.parse(text).items.map { "\($0.name) \($0.currentVersion ?? "") \($0.candidateVersion)" },
                       ["busybox 1.36.1-r5 1.36.1-r6", "py3-foo-bar 2.0-r0 2.1-r0"])
    }
}
