import XCTest
import Model
@testable import Engine

/// The manager commands of a rollback and a pinned patch set: exact text per manager, and
/// every name, architecture and version checked against its grammar before a shell sees it.
final class PackageTransactionCommandTests: XCTestCase {
    typealias C = PackageTransactionCommand

    func change(_ name: String, _ arch: String = "amd64", from: String? = "2.0-1", to: String? = "1.0-1") -> PackageChange {
        PackageChange(name: name, arch: arch, from: from, to: to)
    }

    func testAptOneTransactionDowngradesReinstallsAndRemoves() throws {
        let cmd = try C.command([change("openssl", to: "3.0.11-1~deb12u1"), change("tzdata", "all", from: nil, to: "2023c-5+deb12u1"),
                                 change("libnew1", from: "1.0-1", to: nil), change("openssh-server", to: "1:9.2p1-2+deb12u1")], manager: .dpkg)
        XCTAssertEqual(cmd, "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --allow-downgrades -o Dpkg::Options::=--force-confold "
                       + "-o Dpkg::Options::=--force-confdef 'openssl:amd64=3.0.11-1~deb12u1' 'tzdata=2023c-5+deb12u1' "
                       + "'openssh-server:amd64=1:9.2p1-2+deb12u1' 'libnew1:amd64-'")
    }

    func testDnfDowngradeInstallRemoveOrHistoryUndo() throws {
        let changes = [change("openssl", "x86_64", from: "1:3.0.7-27.el9", to: "1:3.0.7-25.el9"),
                       change("curl", "x86_64", from: nil, to: "7.76.1-29.el9"),
                       change("tzdata", "noarch", from: "2024a-1.el9", to: "2024b-2.el9"),
                       change("libnew", "x86_64", from: "1.0-1.el9", to: nil)]
        XCTAssertEqual(try C.command(changes, manager: .rpm),
                       "dnf -y downgrade 'openssl-1:3.0.7-25.el9.x86_64' && dnf -y install 'curl-7.76.1-29.el9.x86_64' "
                       + "'tzdata-2024b-2.el9.noarch' && dnf -y remove 'libnew.x86_64'")
        XCTAssertEqual(try C.command(changes, manager: .rpm, tool: "yum", undoTransaction: 42), "yum -y history undo 42")
    }

    func testApk() throws {
        XCTAssertEqual(try C.command([change("musl", "x86_64", from: "1.2.4-r3", to: "1.2.4-r2"), change("new", "x86_64", from: "1.0-r0", to: nil)], manager: .apk),
                       "apk add --no-interactive 'musl=1.2.4-r2' && apk del --no-interactive 'new'")
    }

    func testHostileOrMalformedValuesAreRefused() {
        let bad: [(PackageChange, PackageManager, String)] = [
            (change("openssl;reboot"), .dpkg, "package name"),
            (change("Openssl"), .dpkg, "package name"),
            (change("o"), .dpkg, "package name"),
            (change("-rf"), .dpkg, "package name"),
            (change("openssl", to: "1.0$(id)"), .dpkg, "version"),
            (change("openssl", to: "1.0 -1"), .dpkg, "version"),
            (change("openssl", to: "1:2:3"), .dpkg, "version"),
            (change("openssl", to: "a:1.0"), .dpkg, "version"),
            (change("openssl", to: ""), .dpkg, "version"),
            (change("openssl", from: "1.0'\n", to: "1.0"), .dpkg, "version"),
            (change("openssl", "amd64 i386"), .dpkg, "architecture"),
            (change("openssl", "x86_64", to: "1.0-1`x`"), .rpm, "version"),
            (change("open ssl", "x86_64"), .rpm, "package name"),
            (change("musl", "x86_64", to: "1.2;ls"), .apk, "version"),
            (change(String(repeating: "a", count: 201)), .dpkg, "package name"),
        ]
        for (c, manager, what) in bad {
            XCTAssertThrowsError(try C.command([c], manager: manager), "\(c)") { e in
                XCTAssertTrue("\(e)".contains("not a valid \(manager.rawValue) \(what)"), "\(e)")
                XCTAssertFalse("\(e)".contains("\n"), "one line: \(e)")
            }
        }
        XCTAssertThrowsError(try C.command([], manager: .dpkg))
    }

    func testRealVersionsPass() throws {
        for (name, version) in [("libc6", "2.36-9+deb12u3"), ("redis-server", "5:7.0.11-1+deb12u1"), ("php8.2-fpm", "8.2.12-1~deb12u1"),
                                ("g++-12", "12.2.0-14"), ("libstdc++6", "12.2.0-14"), ("ca-certificates", "20230311")] {
            XCTAssertNoThrow(try C.validate(change(name, to: version), manager: .dpkg), name)
        }
        for (name, version) in [("kernel-core", "5.14.0-362.8.1.el9_3"), ("python3-libs", "3.9.18-1.el9"), ("vim-enhanced", "2:8.2.2637-20.el9_1"),
                                ("libstdc++", "11.4.1-2.1.el9"), ("glibc", "2.34-83.el9_3.7^20231102")] {
            XCTAssertNoThrow(try C.validate(change(name, "x86_64", to: version), manager: .rpm), name)
        }
        XCTAssertNoThrow(try C.validate(change("py3-pip", "x86_64", to: "23.1.2_rc1-r0"), manager: .apk))
    }
}
