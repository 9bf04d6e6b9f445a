import Foundation
import TestSupport
import XCTest
import Model
@testable import Collect

/// The rollback preflight on real captures: Tests/Fixtures/collect/rollback-preflight/ builds a
/// scratch APT root (apt-ftparchive, dpkg-deb) and a scratch dnf installroot (rpmbuild,
/// createrepo_c) where ppd's installed version is still in a repository, ppgone's is in none,
/// and ppcached's is in none but its package file is in the manager's cache.
final class RollbackPreflightParserTests: XCTestCase {
    func capture(_ name: String) throws -> String { try Fixtures.local("rollback-preflight/\(name)") }

    func testAptCachePolicy() throws {
        let parsed = RollbackPreflightParser.apt(try capture("apt-preflight.out"))
        XCTAssertEqual(parsed.notes, [])
        XCTAssertEqual(parsed.items, [
            .init(name: "ppcached", installed: "1:2.0-1", inRepository: false, inCache: true),
            .init(name: "ppd", installed: "1.0-1", inRepository: true, inCache: false),
            .init(name: "ppgone", installed: "1.0-1", inRepository: false, inCache: false),
        ])
    }

    func testAptVerdictsOnTheSimulatedUpgrade() throws {
        let updates = AptSimulationParser.parse(try capture("apt-get-s-dist-upgrade.out")).items
        let sources = RollbackPreflightParser.apt(try capture("apt-preflight.out")).items
        let checked = RollbackPreflightParser.attach(updates, sources: sources, manager: .dpkg)
        XCTAssertEqual(checked.map(\.name), ["ppcached", "ppd", "ppgone"])
        XCTAssertEqual(checked.map(\.rollback), [.ok, .ok, .notObtainable])
    }

    /// A real Debian 12 machine (this build machine) 123 updates behind: the archive keeps only
    /// the newest point release, so most installed versions are gone (89, dpkg's status file
    /// their only source); 34 are still in bookworm main (their update comes from bookworm-security
    /// or -updates). No .deb is cached.
    func testARealDebianHostBehindItsPointRelease() throws {
        let updates = AptSimulationParser.parse(try capture("debian-12-apt-get-s-dist-upgrade.out")).items
        let parsed = RollbackPreflightParser.apt(try capture("debian-12-apt-preflight.out"))
        XCTAssertEqual(parsed.notes, [])
        XCTAssertEqual(parsed.items.count, 123)
        let checked = RollbackPreflightParser.attach(updates, sources: parsed.items, manager: .dpkg)
        XCTAssertEqual(checked.filter { $0.rollback == .notObtainable }.count, 89)
        XCTAssertEqual(checked.filter { $0.rollback == .ok }.count, 34)
        XCTAssertEqual(checked.first { $0.name == "base-files" }?.rollback, .notObtainable)
        XCTAssertEqual(checked.first { $0.name == "zlib1g" }?.rollback, .ok)
        XCTAssertEqual(parsed.items.filter(\.inCache), [])
    }

    /// The collector's step on a lab host (RollbackPreflightLabTests' setup: pp-lab-daemon's
    /// old version removed from the local file: repository, ppkeep's kept).
    func testALabHostsLocalRepository() throws {
        XCTAssertEqual(RollbackPreflightParser.apt(try capture("lab-host-apt-preflight.out")).items, [
            .init(name: "pp-lab-daemon", installed: "1.0-1", inRepository: false, inCache: false),
            .init(name: "ppkeep", installed: "1.0-1", inRepository: true, inCache: false),
        ])
    }

    func testDnfShowduplicatesList() throws {
        let parsed = RollbackPreflightParser.dnf(try capture("dnf4-preflight.out"))
        XCTAssertEqual(parsed.notes, [])
        XCTAssertEqual(parsed.items, [
            .init(name: "ppcached.noarch", installed: "1.0-1", inRepository: false, inCache: true),
            .init(name: "ppd.noarch", installed: "1.0-1", inRepository: true, inCache: false),
            .init(name: "ppgone.noarch", installed: "1.0-1", inRepository: false, inCache: false),
        ])
    }

    func testDnfVerdictsOnCheckUpdate() throws {
        var updates = DnfUpdatesParser.checkUpdate(try capture("dnf4-check-update.out"), security: []).items
        for i in updates.indices { updates[i].currentVersion = "1.0-1" }
        let sources = RollbackPreflightParser.dnf(try capture("dnf4-preflight.out")).items
        let checked = RollbackPreflightParser.attach(updates, sources: sources, manager: .rpm)
        XCTAssertEqual(checked.map(\.name), ["ppcached", "ppd", "ppgone"])
        XCTAssertEqual(checked.map(\.rollback), [.ok, .ok, .notObtainable])
    }

    /// Kernels stay installed beside the new one; glibc on RPM is not downgraded safely; a new
    /// install (no current version: its undo is a removal) and a package the step did not list stay unknown.
    func testNatureAndUnknowns() {
        let gone = RollbackPreflightParser.Source(name: "x", installed: "1", inRepository: false, inCache: false)
        func one(_ name: String, arch: String = "x86_64", current: String? = "1", _ manager: PackageManager) -> RollbackCheck? {
            let u = PendingUpdate(name: name, arch: arch, currentVersion: current, candidateVersion: "2", security: false)
            var s = gone
            s.name = manager == .rpm ? "\(name).\(arch)" : name
            return RollbackPreflightParser.attach([u], sources: [s], manager: manager).first?.rollback
        }
        XCTAssertEqual(one("kernel-core", .rpm), .sideBySide)
        XCTAssertEqual(one("kernel", .rpm), .sideBySide)
        XCTAssertEqual(one("kernel-headers", .rpm), .notObtainable)
        XCTAssertEqual(one("glibc", .rpm), .unsafe)
        XCTAssertEqual(one("glibc-common", .rpm), .unsafe)
        XCTAssertEqual(one("libc6", .dpkg), .notObtainable)
        XCTAssertEqual(one("linux-image-amd64", .dpkg), .sideBySide)
        XCTAssertNil(one("ppnew", current: nil, .dpkg))
        let u = PendingUpdate(name: "unlisted", currentVersion: "1", candidateVersion: "2", security: false)
        XCTAssertNil(RollbackPreflightParser.attach([u], sources: [gone], manager: .dpkg).first?.rollback)
    }

    /// A foreign-architecture package: apt-get -s names it "libfoo:i386", apt-cache its block
    /// "libfoo:i386:", and its cached .deb bears the bare name.
    func testAptMultiarchNamesAndArchiveNames() {
        XCTAssertEqual(RollbackPreflightParser.aptArchive("ppcached_1%3a2.0-1_all.deb"), "ppcached_1:2.0-1")
        XCTAssertNil(RollbackPreflightParser.aptArchive("not-a-deb.txt"))
        XCTAssertEqual(RollbackPreflightParser.rpmArchive("ppcached-1.0-1.noarch.rpm"), "ppcached.noarch 1.0-1")
        XCTAssertEqual(RollbackPreflightParser.rpmArchive("kernel-core-6.1.0-1.el9.x86_64.rpm"), "kernel-core.x86_64 6.1.0-1.el9")
        let text = "libfoo:i386:\n  Installed: 1.0-1\n  Candidate: 1.1-1\n  Version table:\n     1.1-1 500\n        500 http://x y/main i386 Packages\n *** 1.0-1 100\n        100 /var/lib/dpkg/status\narchive libfoo_1.0-1_i386.deb\n"
        XCTAssertEqual(RollbackPreflightParser.apt(text).items,
                       [.init(name: "libfoo:i386", installed: "1.0-1", inRepository: false, inCache: true)])
    }
}
