import Foundation
import TestSupport
import XCTest
import Model
@testable import Collect

/// dnf and zypper advisories on real captures: Tests/Fixtures/collect/rpm-advisories/build-repo.sh
/// builds a real RPM repository (rpmbuild, createrepo_c, modifyrepo_c with an updateinfo.xml of
/// four advisories) and asks dnf 4.14 and zypper 1.14 about a scratch root holding version 1.
final class AdvisoriesParserTests: XCTestCase {
    func capture(_ name: String) throws -> String { try Fixtures.local("rpm-advisories/\(name)") }

    func testDnfUpdateinfoListRows() throws {
        let rows = DnfAdvisoriesParser.list(try capture("dnf4-updateinfo-list.out")).rows
        XCTAssertEqual(rows, [
            .init(id: "PPEA-2026:0104", type: .enhancement, severity: nil, nameArch: "ppcurl.noarch"),
            .init(id: "PPSA-2026:0102", type: .security, severity: .important, nameArch: "ppcurl.noarch"),
            .init(id: "PPSA-2026:0102", type: .security, severity: .important, nameArch: "ppssl.noarch"),
            .init(id: "PPSA-2026:0101", type: .security, severity: .critical, nameArch: "ppssl.noarch"),
            .init(id: "PPBA-2026:0103", type: .bugfix, severity: nil, nameArch: "pptool.noarch"),
        ])
        // The --security list the section ran before names the same security rows.
        let security = DnfAdvisoriesParser.list(try capture("dnf4-updateinfo-list-security.out")).rows
        XCTAssertEqual(Set(security.map(\.nameArch)), DnfUpdatesParser.securityNames(try capture("dnf4-updateinfo-list-security.out")))
        // dnf's error without a cache is no row.
        XCTAssertEqual(DnfAdvisoriesParser.list(try capture("dnf4-updateinfo-list-nocache.out")).rows, [])
    }

    func testDnfUpdateinfoInfo() throws {
        let info = DnfAdvisoriesParser.info(try capture("dnf4-updateinfo-info.out"))
        XCTAssertEqual(info.count, 4)
        // dnf prints the later of issued and updated; the description's "CVE-2026-0001:" is no reference.
        XCTAssertEqual(info["PPSA-2026:0101"], Advisory(id: "PPSA-2026:0101", type: .security, severity: .critical,
                                                        issued: "2026-11-03", cves: ["CVE-2026-10001", "CVE-2026-10002"]))
        XCTAssertEqual(info["PPSA-2026:0102"], Advisory(id: "PPSA-2026:0102", type: .security, severity: .important,
                                                        issued: "2026-10-20", cves: ["CVE-2026-20001"]))
        // Severity "None" is none; a date-only <issued> reads as 1970-01-01 in dnf: no date.
        XCTAssertEqual(info["PPBA-2026:0103"], Advisory(id: "PPBA-2026:0103", type: .bugfix, issued: "2026-09-15"))
        XCTAssertEqual(info["PPEA-2026:0104"], Advisory(id: "PPEA-2026:0104", type: .enhancement, severity: .low))
    }

    func testDnfAdvisoriesAttachedToCheckUpdate() throws {
        let items = DnfUpdatesParser.checkUpdate(try capture("dnf4-check-update.out"), security: []).items
        XCTAssertEqual(items.map(\.name), ["ppcurl", "ppdoc", "ppssl", "pptool"])
        let attached = DnfAdvisoriesParser.attach(items, rows: DnfAdvisoriesParser.list(try capture("dnf4-updateinfo-list.out")).rows,
                                                  info: DnfAdvisoriesParser.info(try capture("dnf4-updateinfo-info.out")))
        let byName = Dictionary(uniqueKeysWithValues: attached.map { ($0.name, $0) })
        XCTAssertEqual(byName["ppssl"]?.advisories?.map(\.id), ["PPSA-2026:0101", "PPSA-2026:0102"], "worst first")
        XCTAssertEqual(byName["ppssl"]?.severity, .critical)
        XCTAssertEqual(byName["ppssl"]?.security, true)
        XCTAssertEqual(byName["ppcurl"]?.advisories?.map(\.id), ["PPSA-2026:0102", "PPEA-2026:0104"])
        XCTAssertEqual(byName["ppcurl"]?.severity, .important)
        XCTAssertEqual(byName["pptool"]?.security, false)
        XCTAssertNil(byName["pptool"]?.severity)
        XCTAssertNil(byName["ppdoc"]?.advisories, "no advisory names it: unknown, not empty")
    }

    func testAdvisoryBounds() {
        let cves = (0..<80).map { "CVE-2026-\(10000 + $0)" }
        XCTAssertEqual(Advisory(id: "A", type: .security, cves: cves).cves.count, Advisory.maxCVEs)
        let rows = (0..<15).map { DnfAdvisoriesParser.Row(id: "ID-\($0)", type: .security, severity: $0 == 12 ? .critical : .low, nameArch: "k.x86_64") }
        let out = DnfAdvisoriesParser.attach([PendingUpdate(name: "k", arch: "x86_64", candidateVersion: "2-1", security: false)], rows: rows, info: [:])
        XCTAssertEqual(out[0].advisories?.count, Advisory.maxPerUpdate)
        XCTAssertEqual(out[0].advisories?.first?.id, "ID-12", "the worst is kept first")
    }

    func testDnf5ListShape() {
        // dnf5's columns (its documentation; no dnf5 on Debian to capture): the date is in the list.
        let text = "Name                  Type     Severity Package                        Issued\n"
            + "FEDORA-2024-e8ba7b9ec4 security Moderate curl-0:8.6.0-7.fc40.x86_64 2024-04-17 01:33:41\n"
        XCTAssertEqual(DnfAdvisoriesParser.list(text).rows, [
            .init(id: "FEDORA-2024-e8ba7b9ec4", type: .security, severity: .moderate, nameArch: "curl.x86_64", issued: "2024-04-17"),
        ])
    }

    func testYumInfoShape() {
        // yum 3 spaces the colon and says "Issued" (the shape of RHEL 7's `yum updateinfo info`).
        let text = """
        ===============================================================================
          Important: kernel security update
        ===============================================================================
          Update ID : RHSA-2020:5023
            Release : 0
               Type : security
             Status : final
             Issued : 2020-11-10 08:56:26
               CVEs : CVE-2020-14331
                    : CVE-2020-14385
           Severity : Important
        """
        XCTAssertEqual(DnfAdvisoriesParser.info(text)["RHSA-2020:5023"],
                       Advisory(id: "RHSA-2020:5023", type: .security, severity: .important, issued: "2020-11-10",
                                cves: ["CVE-2020-14331", "CVE-2020-14385"]))
    }

    func testZypperListUpdatesAndPatches() throws {
        let items = ZypperParser.listUpdates(try capture("zypper-list-updates.out")).items
        XCTAssertEqual(items.map { "\($0.name) \($0.currentVersion ?? "-") \($0.candidateVersion) \($0.arch ?? "-")" },
                       ["ppcurl 1.0-1 1.1-1 noarch", "ppdoc 1.0-1 1.1-1 noarch", "ppssl 1.0-1 1.1-1 noarch", "pptool 1.0-1 1.1-1 noarch"])
        let patches = ZypperParser.listPatches(try capture("zypper-list-patches.out"))
        XCTAssertEqual(patches, [
            .init(id: "PPBA-2026:0103", type: .bugfix, severity: nil, status: "needed"),
            .init(id: "PPEA-2026:0104", type: .enhancement, severity: .low, status: "optional"),
            .init(id: "PPSA-2026:0101", type: .security, severity: .critical, status: "needed"),
            .init(id: "PPSA-2026:0102", type: .security, severity: .important, status: "needed"),
        ])
        XCTAssertEqual(ZypperParser.listPatches(try capture("zypper-list-patches-uncached-remote.out")), [])
        let info = ZypperParser.patchInfo(try capture("zypper-info-t-patch.out"))
        XCTAssertEqual(info["PPSA-2026:0102"], .init(issued: "2026-10-20", packages: ["ppssl", "ppcurl"]))
        XCTAssertEqual(info["PPSA-2026:0101"], .init(issued: "2026-11-03", packages: ["ppssl"]))
        XCTAssertEqual(info["PPEA-2026:0104"]?.issued, nil, "a date-only <issued>: zypper has none either")
        let attached = ZypperParser.attach(items, patches: patches, info: info)
        let byName = Dictionary(uniqueKeysWithValues: attached.map { ($0.name, $0) })
        XCTAssertEqual(byName["ppssl"]?.advisories?.map(\.id), ["PPSA-2026:0101", "PPSA-2026:0102"])
        XCTAssertEqual(byName["ppssl"]?.severity, .critical)
        XCTAssertEqual(byName["ppssl"]?.security, true)
        XCTAssertEqual(byName["ppcurl"]?.advisories?.map(\.id), ["PPSA-2026:0102", "PPEA-2026:0104"])
        XCTAssertEqual(byName["pptool"]?.advisories?.map(\.type), [.bugfix])
        XCTAssertNil(byName["ppdoc"]?.advisories)
    }

    func framed(_ steps: [(String, String, String, Int)]) -> ScriptOutput {
        ScriptOutput.parse(steps.map { name, out, err, status in
            "\n@@PP-n BEGIN updates.\(name)\n\(out)\n@@PP-n STDERR updates.\(name)\n\(err)\n@@PP-n END updates.\(name) \(status)\n"
        }.joined() + "\n@@PP-n DONE\n", nonce: "n")
    }

    func testNoCachedUpdateinfoIsANoteNotAnEmptyList() throws {
        let check = try capture("dnf4-check-update.out")
        let parsed = UpdatesSection.parse(framed([("dnf", check, "", 100), ("dnf-advisories", "", "", 0)]), installed: [])
        XCTAssertEqual(parsed.items.count, 4)
        XCTAssertTrue(parsed.items.allSatisfy { $0.advisories == nil && !$0.security })
        XCTAssertEqual(parsed.notes, ["updates: dnf has no cached updateinfo naming any of the 4 pending updates: severities unknown "
                                      + "(run with --refresh, or dnf makecache on the host; some repositories publish none)"])
        // dnf without any cache: the list fails (its error, captured), and says what it cost.
        let nocache = "Error: Cache-only enabled but no cache for 'pp-updates'"
        let failed = UpdatesSection.parse(framed([("dnf", check, "", 100), ("dnf-advisories", "", nocache, 1)]), installed: [])
        XCTAssertEqual(failed.notes, ["updates: updateinfo list exited 1: \(nocache) (advisories and security flags unknown)"])
        // Nothing pending, nothing to say.
        XCTAssertEqual(UpdatesSection.parse(framed([("dnf", "", "", 0), ("dnf-advisories", "", "", 0)]), installed: []).notes, [])
    }

    func testZypperSectionParse() throws {
        let parsed = UpdatesSection.parse(framed([
            ("zypper-repos", "cached pp-base\nuncached pp-remote\ncached pp-updates", "", 0),
            ("zypper", try capture("zypper-list-updates.out"), "", 0),
            ("zypper-patches", try capture("zypper-list-patches.out"), "", 0),
            ("zypper-patch-info", try capture("zypper-info-t-patch.out"), "", 0),
        ]), installed: [])
        XCTAssertEqual(parsed.items.filter(\.security).map(\.name), ["ppcurl", "ppssl"])
        XCTAssertEqual(parsed.notes, ["updates: zypper repositories without cached metadata left out (zypper would download it): "
                                      + "pp-remote (run with --refresh, or zypper refresh on the host)"])
    }

    func testZypperDates() {
        XCTAssertEqual(ZypperParser.day("Tue Nov  3 09:30:00 2026"), "2026-11-03")
        XCTAssertEqual(ZypperParser.day("Thu Jan 01 00:00:00 1970"), nil)
        XCTAssertEqual(ZypperParser.day("garbage"), nil)
    }

    /// apt-security-origin/build-apt-root.sh: local archives whose Release files say Debian-Security
    /// and Ubuntu's -security pocket, a scratch APT root, the collector's `apt-get -s dist-upgrade`.
    func testAptOriginFromSecurityArchives() throws {
        let items = AptSimulationParser.parse(try Fixtures.local("apt-security-origin/apt-get-s-dist-upgrade.out")).items
        XCTAssertEqual(items.map { "\($0.name) \($0.security) \($0.origin ?? "-")" }, [
            "ppcurl true Ubuntu:22.04/jammy-security, Ubuntu:22.04/jammy-updates",
            "ppssl true Debian-Security:12/oldstable-security, Debian:12.15/oldstable",
            "pptool false Debian:12.15/oldstable",
        ])
    }

    /// The same, built and asked again now (apt-ftparchive, dpkg-deb): the capture is what apt says.
    func testAptOriginFromAFreshScratchRoot() throws {
        _ = try LabSkip.tool("apt-ftparchive", package: "apt-utils")
        _ = try LabSkip.tool("dpkg-deb", package: "dpkg")
        let out = NSTemporaryDirectory() + "pp-apt-origin-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: out) }
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/collect/apt-security-origin/build-apt-root.sh").path
        let built = try LabProcess.runBlocking("/bin/sh", [script, out], timeout: .seconds(120))
        XCTAssertEqual(built.status, 0, built.output)
        let now = try String(contentsOfFile: out + "/apt-get-s-dist-upgrade.out", encoding: .utf8)
        XCTAssertEqual(AptSimulationParser.parse(now).items,
                       AptSimulationParser.parse(try Fixtures.local("apt-security-origin/apt-get-s-dist-upgrade.out")).items)
    }

    func testAptOriginKeptSecurityFirst() throws {
        let items = AptSimulationParser.parse(try Fixtures.local("debian-12_apt-get-s-dist-upgrade.out")).items
        XCTAssertEqual(items.first { $0.name == "libgcrypt20" }?.origin, "Debian-Security:12/oldstable-security, Debian:12.15/oldstable")
        XCTAssertEqual(items.first { $0.name == "base-files" }?.origin, "Debian:12.15/oldstable")
        XCTAssertTrue(items.allSatisfy { $0.origin != nil })
        XCTAssertEqual(items.filter { $0.origin?.hasPrefix("Debian-Security:") == true }.count, items.filter(\.security).count)
    }
}
