import Foundation
import TestSupport
import XCTest
import Model
@testable import Collect

/// What the RPM upgrades fixed: the rpm-fixes step's awks on real dnf 4.14 and rpm 4.18 captures
/// (Tests/Fixtures/collect/rpm-advisories/, upgrade-and-capture.sh: ppssl, ppcurl and pptool
/// upgraded 1.0-1 → 1.1-1 in a scratch root) under every awk a host may have, and the parser.
final class TransactionsRpmFixesTests: XCTestCase {
    func awks() throws -> [[String]] {
        var list: [[String]] = [[try LabSkip.tool("busybox", package: "busybox"), "awk"]]
        for path in ["/usr/bin/mawk", "/usr/bin/gawk", "/usr/bin/original-awk"] where FileManager.default.isExecutableFile(atPath: path) {
            list.append([path])
        }
        return list
    }

    func capture(_ name: String) throws -> String { try Fixtures.local("rpm-advisories/" + name) }

    /// What the last ``awk(_:_:vars:files:stdin:)`` wrote to its `nofix` file.
    var nofix = ""

    /// Writes `files` to a temporary folder, runs `awk ARGS PROGRAM FILES...` under dash. A var
    /// `$NAME` is the path of file NAME; `nofix` is a file the program may write.
    func awk(_ awk: [String], _ program: String, vars: [String: String] = [:], files: [(String, String)], stdin: String? = nil) throws -> String {
        let dir = NSTemporaryDirectory() + "pp-rpmfixes-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var paths: [String: String] = ["nofix": dir + "/nofix"]
        for (name, text) in files {
            paths[name] = dir + "/" + name
            try text.write(toFile: paths[name]!, atomically: true, encoding: .utf8)
        }
        defer { nofix = (try? String(contentsOfFile: dir + "/nofix", encoding: .utf8)) ?? "" }
        var argv = awk
        for (k, v) in vars.sorted(by: { $0.key < $1.key }) { argv += ["-v", "\(k)=\(v.hasPrefix("$") ? paths[String(v.dropFirst())]! : v)"] }
        argv += [program] + files.map { paths[$0.0]! }
        var command = argv.map(ShellQuote.quote).joined(separator: " ")
        if let stdin {
            try stdin.write(toFile: dir + "/stdin", atomically: true, encoding: .utf8)
            command += " <" + ShellQuote.quote(dir + "/stdin")
        }
        let run = try ShellRunner.run(try ShellRunner.dash(), stdin: command + "\n")
        XCTAssertEqual(run.status, 0, run.stderr)
        return String(decoding: run.stdout, as: UTF8.self)
    }

    /// rpm 4.18's verdicts on 600+ version pairs (CentOS 7's packages, tilde and caret cases).
    func testTheAwkVersionOrderIsRpms() throws {
        let table = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("Tests/CompareTests/Fixtures/rpm-vercmp.txt"), encoding: .utf8)
        let pairs = table.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: " ") }.filter { $0.count == 3 }
        XCTAssertGreaterThan(pairs.count, 600)
        let expected = pairs.map { ["<": "-1", "=": "0", ">": "1"][String($0[1])]! }
        let input = pairs.map { "\($0[0]) \($0[2])" }.joined(separator: "\n") + "\n"
        for a in try awks() {
            let out = try awk(a, TransactionsSection.rpmVersionAwk + "\n{ print evrcmp(norm($1), norm($2)) }", files: [], stdin: input)
            let got = out.split(separator: "\n").map(String.init)
            XCTAssertEqual(got.count, expected.count, "\(a)")
            for (i, pair) in pairs.enumerated() where i < got.count && got[i] != expected[i] {
                XCTFail("\(a): \(pair.joined(separator: " ")) gave \(got[i])")
            }
        }
    }

    func testTheHistoryListAwkSplitsTheWindowsMinuteFromLaterOnes() throws {
        let list = try capture("dnf4-history-list.out")
        for a in try awks() {
            XCTAssertEqual(try awk(a, TransactionsSection.rpmHistoryListAwk, vars: ["f": "2026-12-08 00:51"], files: [], stdin: list), "2 edge\n1 edge\n", "\(a)")
            XCTAssertEqual(try awk(a, TransactionsSection.rpmHistoryListAwk, vars: ["f": "2026-12-08 00:50"], files: [], stdin: list), "2 in\n1 in\n", "\(a)")
            XCTAssertEqual(try awk(a, TransactionsSection.rpmHistoryListAwk, vars: ["f": "2026-12-08 00:52"], files: [], stdin: list), "", "\(a)")
        }
    }

    /// The rows awk on the captured history and updateinfo lists: `history` the merged
    /// history's lines (nil: none read), `versions` the rpm step's `name evr` lines.
    func rows(_ a: [String], history: String?, versions: String = "ppcurl 1.1-1\nppssl 1.1-1\npptool 1.1-1\n", before: String = "ppdoc 1.0-1\n",
              advisories: String? = nil, cves: String? = nil) throws -> String {
        let hist = try history.map { try awk(a, TransactionsSection.rpmHistoryInfoAwk, vars: ["limit": "4000"], files: [], stdin: $0) } ?? ""
        return try awk(a, TransactionsSection.rpmRowsAwk,
                       vars: ["limit": "2000", "vers": "$vers", "bef": "$bef", "hist": "$hist", "adv": "$adv", "nofix": "$nofix"],
                       files: [("vers", versions), ("bef", before), ("hist", hist),
                               ("adv", try advisories ?? capture("dnf4-updateinfo-list-installed.out")),
                               ("cves", try cves ?? capture("dnf4-updateinfo-list-installed-with-cve.out"))])
    }

    /// A kernel's new version is installed beside the old (dnf's history says Install): the
    /// newest version installed before the window is the old one. Rows in dnf 4's shape; the
    /// versions are RHEL 9's (kernel 5.14.0-284.11.1.el9_2 → 5.14.0-362.8.1.el9_3).
    func testAKernelInstalledBesideTheOldOneIsAnUpgrade() throws {
        let advisories = """
            RHSA-2023:2458 Important/Sec. kernel-5.14.0-284.11.1.el9_2.x86_64
            RHSA-2023:5069 Important/Sec. kernel-5.14.0-284.30.1.el9_2.x86_64
            RHSA-2023:6583 Important/Sec. kernel-5.14.0-362.8.1.el9_3.x86_64
            RHSA-2024:0461 Important/Sec. kernel-5.14.0-362.18.1.el9_3.x86_64

            """
        for a in try awks() {
            let out = try rows(a, history: "    Install kernel-5.14.0-362.8.1.el9_3.x86_64 @rhel-9-baseos\n",
                               versions: "kernel 5.14.0-362.8.1.el9_3\n", before: "kernel 5.14.0-70.13.1.el9_0\nkernel 5.14.0-284.11.1.el9_2\nbash 5.1.8-6.el9_1\n",
                               advisories: advisories, cves: "")
            XCTAssertEqual(out, "O kernel 5.14.0-284.11.1.el9_2\nL RHSA-2023:5069 Important/Sec. kernel-5.14.0-284.30.1.el9_2.x86_64\n"
                                + "L RHSA-2023:6583 Important/Sec. kernel-5.14.0-362.8.1.el9_3.x86_64\n", "\(a)")
            // Without dnf: the changelog list names the same old version.
            let list = try awk(a, TransactionsSection.rpmChangelogListAwk, vars: ["vers": "$vers", "bef": "$bef"],
                               files: [("vers", "kernel 5.14.0-362.8.1.el9_3\nppssl 1.1-1\n"),
                                       ("bef", "kernel 5.14.0-284.11.1.el9_2\nkernel 5.14.0-70.13.1.el9_0\nppdoc 1.0-1\n")])
            XCTAssertEqual(Set(list.split(separator: "\n")), ["kernel 5.14.0-284.11.1.el9_2 5.14.0-362.8.1.el9_3", "ppssl - 1.1-1"], "\(a)")
        }
    }

    let keptRows = """
        L PPEA-2026:0104 enhancement    ppcurl-1.1-1.noarch
        L PPSA-2026:0102 Important/Sec. ppcurl-1.1-1.noarch
        L PPSA-2026:0102 Important/Sec. ppssl-1.1-1.noarch
        L PPSA-2026:0101 Critical/Sec.  ppssl-1.1-1.noarch
        L PPBA-2026:0103 bugfix         pptool-1.1-1.noarch
        X CVE-2026-20001 Important/Sec. ppcurl-1.1-1.noarch
        X CVE-2026-20001 Important/Sec. ppssl-1.1-1.noarch
        X CVE-2026-10001 Critical/Sec.  ppssl-1.1-1.noarch
        X CVE-2026-10002 Critical/Sec.  ppssl-1.1-1.noarch

        """

    func testTheRowsNewerThanTheOldVersionAreKept() throws {
        let history = try capture("dnf4-history-info-range.out")
        for a in try awks() {
            XCTAssertEqual(try rows(a, history: history), "O ppcurl 1.0-1\nO ppssl 1.0-1\nO pptool 1.0-1\n" + keptRows, "\(a)")
            XCTAssertEqual(nofix, "", "\(a): every upgraded package has its advisories")
            // ppdoc, upgraded too, has none: its changelog is read, to the old version's entry.
            XCTAssertEqual(try rows(a, history: history, versions: "ppdoc 1.1-1\nppssl 1.1-1\n"),
                           "O ppdoc 1.0-1\nO ppssl 1.0-1\n" + keptRows.split(separator: "\n").filter { $0.hasSuffix("ppssl-1.1-1.noarch") }.map { $0 + "\n" }.joined(),
                           "\(a)")
            XCTAssertEqual(nofix, "ppdoc 1.0-1 1.1-1\n", "\(a)")
            // No history: the rows of the installed version itself.
            XCTAssertEqual(try rows(a, history: nil), keptRows, "\(a)")
            // Another installed version and no history: none is the installed one's.
            XCTAssertEqual(try rows(a, history: nil, versions: "ppssl 1.2-1\n"), "", "\(a)")
            // An old version as new as the advisories': none fixed by this change.
            XCTAssertEqual(try rows(a, history: "    Upgraded ppssl-1.1-1.noarch @@System\n", versions: "ppssl 1.1-1\n"), "O ppssl 1.1-1\n", "\(a)")
            XCTAssertEqual(nofix, "ppssl 1.1-1 1.1-1\n", "\(a)")
            // Epochs: 1:0.9 is newer than 1.1 (epoch 0).
            XCTAssertEqual(try rows(a, history: "    Upgraded ppssl-1:0.9-1.noarch @@System\n", versions: "ppssl 1.1-1\n"), "O ppssl 1:0.9-1\n", "\(a)")
            // Installed new in the window (the merged history says Install): it fixed nothing.
            XCTAssertEqual(try rows(a, history: "    Install ppssl-1.1-1.noarch @pp-updates\n", versions: "ppssl 1.1-1\n"), "", "\(a)")
            // The bound: the rest cut, said.
            let cut = try awk(a, TransactionsSection.rpmRowsAwk, vars: ["limit": "1", "vers": "$vers", "bef": "$bef", "hist": "$hist", "adv": "$adv", "nofix": "$nofix"],
                              files: [("vers", "ppcurl 1.1-1\n"), ("bef", ""), ("hist", ""), ("adv", try capture("dnf4-updateinfo-list-installed.out"))])
            XCTAssertEqual(cut, "L PPEA-2026:0104 enhancement    ppcurl-1.1-1.noarch\nT fixes\n", "\(a)")
        }
    }

    func testTheRowsAreTheCapturedListsShape() {
        let rows = DnfAdvisoriesParser.list((try? capture("dnf4-updateinfo-list-installed.out")) ?? "").rows
        XCTAssertEqual(rows.map(\.id), ["PPEA-2026:0104", "PPSA-2026:0102", "PPSA-2026:0102", "PPSA-2026:0101", "PPBA-2026:0103"])
        XCTAssertEqual(rows.map(\.nameArch), ["ppcurl.noarch", "ppcurl.noarch", "ppssl.noarch", "ppssl.noarch", "pptool.noarch"])
        let cves = DnfAdvisoriesParser.list((try? capture("dnf4-updateinfo-list-installed-with-cve.out")) ?? "").rows
        XCTAssertEqual(cves.map(\.id), ["CVE-2026-20001", "CVE-2026-20001", "CVE-2026-10001", "CVE-2026-10002"])
        XCTAssertEqual(cves.first?.severity, .important)
    }

    let changes = ["ppcurl", "ppssl", "pptool"].map {
        PackageChangeRecord(at: "@1796690447", action: "install", name: $0, arch: "noarch", old: nil, new: "1.1-1")
    }

    func testTheParserJoinsAdvisoriesAndCVEsPerPackage() throws {
        let text = "M dnf\nH 2 2\nO ppcurl 1.0-1\nO ppssl 1.0-1\nO pptool 1.0-1\n" + keptRows + "K 3\n"
        let read = TransactionsParser.parseRpmFixes(text, changes: changes)
        XCTAssertEqual(read.fixes, [
            PackageFix(package: "ppcurl", version: "1.1-1", cves: ["CVE-2026-20001"], advisories: ["PPEA-2026:0104", "PPSA-2026:0102"]),
            PackageFix(package: "ppssl", version: "1.1-1", cves: ["CVE-2026-10001", "CVE-2026-10002", "CVE-2026-20001"],
                       advisories: ["PPSA-2026:0101", "PPSA-2026:0102"]),
            PackageFix(package: "pptool", version: "1.1-1", advisories: ["PPBA-2026:0103"]),
        ])
        XCTAssertEqual(read.old, ["ppcurl": "1.0-1", "ppssl": "1.0-1", "pptool": "1.0-1"])
        XCTAssertEqual(read.notes, [])
        XCTAssertFalse(read.truncated)
    }

    func testNotesForACutListAFailedCVEListingAndGarbage() {
        let read = TransactionsParser.parseRpmFixes("M yum\nW cves 1\nL PPSA-2026:0101 Critical/Sec.  ppssl-1.1-1.noarch\nT fixes\nZ what\nnonsense\nK 1\n",
                                                    changes: changes)
        XCTAssertEqual(read.fixes, [PackageFix(package: "ppssl", version: "1.1-1", advisories: ["PPSA-2026:0101"])])
        XCTAssertTrue(read.truncated)
        XCTAssertEqual(read.notes.count, 3, "\(read.notes)")
        XCTAssertTrue(read.notes.contains { $0.contains("--with-cve failed (exit 1)") }, "\(read.notes)")
        XCTAssertTrue(read.notes.contains { $0.contains("more than 2000 yum updateinfo rows") }, "\(read.notes)")
        XCTAssertTrue(read.notes.contains { $0.contains("2 unreadable") }, "\(read.notes)")
        // No K line: the step did not end, unknown; K alone: read, nothing fixed.
        XCTAssertNil(TransactionsParser.parseRpmFixes("M dnf\nL PPSA-2026:0101 Critical/Sec.  ppssl-1.1-1.noarch\n", changes: changes).fixes)
        XCTAssertEqual(TransactionsParser.parseRpmFixes("K 0\n", changes: []).fixes, [])
        // A row of a package the window did not change is no fix of it.
        XCTAssertEqual(TransactionsParser.parseRpmFixes("L PPSA-2026:0101 Critical/Sec.  other-1.1-1.noarch\nK 1\n", changes: changes).fixes, [])
    }

    /// The entries above the old version's; without one (no dnf or yum) the newest entry's CVE
    /// ids (not the older entries'), marked cut.
    func testTheChangelogToTheOldVersionOrItsNewestEntry() throws {
        let ssl = try capture("rpm-q-changelog-ppssl.out"), doc = try capture("rpm-q-changelog-ppdoc.out")
        for a in try awks() {
            func line(_ text: String, _ p: String, old: String) throws -> String {
                try awk(a, TransactionsSection.rpmChangelogAwk, vars: ["p": p, "old": old, "new": "1.1-1"], files: [], stdin: text)
            }
            XCTAssertEqual(try line(ssl, "ppssl", old: ""), "V ppssl 1.1-1 cut CVE-2026-10001 CVE-2026-10002\n", "\(a)")
            XCTAssertEqual(try line(doc, "ppdoc", old: ""), "V ppdoc 1.1-1 cut CVE-2026-30001\n", "\(a)")
            XCTAssertEqual(try line(doc, "ppdoc", old: "1.0-1"), "V ppdoc 1.1-1 ok CVE-2026-30001\n", "\(a)")
            // The dist tag the entry does not say, an epoch it does not say either.
            XCTAssertEqual(try line(doc, "ppdoc", old: "1:1.0-1.el9"), "V ppdoc 1.1-1 ok CVE-2026-30001\n", "\(a)")
            XCTAssertEqual(try line(doc, "ppdoc", old: "1.0-10"), "V ppdoc 1.1-1 cut CVE-2026-30001 CVE-2025-0010 CVE-2025-0009\n",
                           "\(a): 1.0-1 is not 1.0-10: read to the end")
            XCTAssertEqual(try line(doc, "ppdoc", old: "1.1-1"), "", "\(a): the installed version is the newest entry")
        }
        let read = TransactionsParser.parseRpmFixes("V ppssl 1.1-1 cut CVE-2026-10001 CVE-2026-10002\nK 3\n", changes: changes)
        XCTAssertEqual(read.fixes, [PackageFix(package: "ppssl", version: "1.1-1", cves: ["CVE-2026-10001", "CVE-2026-10002"], partial: true)])
        XCTAssertEqual(read.notes.count, 1, "\(read.notes)")
        XCTAssertTrue(read.notes[0].contains("newest rpm changelog entry only"), read.notes[0])
        // With dnf: a changelog that did not reach the old version, a failed advisory listing, the changelog bound.
        let dnf = TransactionsParser.parseRpmFixes("M dnf\nW advisories 1\nO ppdoc 1.0-1\nV ppdoc 1.1-1 cut CVE-2026-30001\nT changelogs\nK 4\n",
                                                   changes: changes + [PackageChangeRecord(at: "@1796690447", action: "install", name: "ppdoc", arch: "noarch", old: nil, new: "1.1-1")])
        XCTAssertEqual(dnf.fixes, [PackageFix(package: "ppdoc", version: "1.1-1", cves: ["CVE-2026-30001"], partial: true)])
        XCTAssertTrue(dnf.truncated)
        XCTAssertEqual(dnf.notes.count, 3, "\(dnf.notes)")
        XCTAssertTrue(dnf.notes.contains { $0.contains("updateinfo list --installed failed (exit 1)") }, "\(dnf.notes)")
        XCTAssertTrue(dnf.notes.contains { $0.contains("more than 100 packages to read rpm changelogs of") }, "\(dnf.notes)")
        XCTAssertTrue(dnf.notes.contains { $0.contains("rpm changelogs of ppdoc did not reach the old version") }, "\(dnf.notes)")
    }
}
