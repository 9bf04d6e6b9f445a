import Foundation
import TestSupport
import XCTest
import Model
@testable import Collect

/// The rendered collector script on a real RPM host's tools: dnf 4 and zypper (Debian's packages)
/// against the real repository build-repo.sh makes (version 1 installed in a scratch root, version 2
/// and an updateinfo.xml of four advisories in the updates repository), run in a private mount
/// namespace that hides apt-get (namespace-run.sh). Needs root for the namespace.
final class RpmAdvisoriesRunTests: XCTestCase {
    static let folder = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/collect/rpm-advisories")

    /// The scratch folder (build-repo.sh's `W`): nil, the scripts' default; a test of its own
    /// passes a private one so that runs of other test processes cannot clobber its root.
    var workDir: String?

    func prepare() throws {
        try LabSkip.requireRoot("a private mount namespace")
        for (tool, package) in [("unshare", "util-linux"), ("dnf", "dnf"), ("rpmbuild", "rpm"), ("createrepo_c", "createrepo-c"),
                                ("modifyrepo_c", "createrepo-c"), ("zypper", "zypper"), ("dash", "dash")] {
            _ = try LabSkip.tool(tool, package: package)
        }
        let out = NSTemporaryDirectory() + "pp-rpm-advisories-out-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: out) }
        let built = try LabProcess.runBlocking("/usr/bin/env", envArgs + ["/bin/sh", Self.folder.appendingPathComponent("build-repo.sh").path, out],
                                               timeout: .seconds(300))
        XCTAssertEqual(built.status, 0, "build-repo.sh: \(built.output)")
    }

    var envArgs: [String] { workDir.map { ["PP_RPM_ADVISORIES_DIR=\($0)"] } ?? [] }

    func run(_ mode: String, options: ScriptOptions = ScriptOptions(), edit: (String) -> String = { $0 }) throws -> (Snapshot, ShellRun) {
        let nonce = "rpmAdv1sories"
        let script = edit(CollectorScript.render(checks: CheckSet(), options: options, nonce: nonce))
        let driver = Self.folder.appendingPathComponent("namespace-run.sh").path
        let run = try ShellRunner.run(["/usr/bin/unshare", "-m", "--propagation", "private", "/usr/bin/env"] + envArgs + ["/bin/sh", driver, mode],
                                      stdin: script)
        return (SnapshotParser.parse(stdout: run.stdout, host: "rpm", nonce: nonce, checks: CheckSet()), run)
    }

    func testDnfAdvisoriesFromTheCache() throws {
        try prepare()
        let (snapshot, run) = try run("dnf")
        XCTAssertEqual(run.status, 0, run.stderr)
        let byName = Dictionary(uniqueKeysWithValues: snapshot.pendingUpdates.map { ($0.name, $0) })
        XCTAssertEqual(byName.keys.sorted(), ["ppcurl", "ppdoc", "ppssl", "pptool"], "\(snapshot.notes)")
        XCTAssertEqual(byName["ppssl"]?.advisories, [
            Advisory(id: "PPSA-2026:0101", type: .security, severity: .critical, issued: "2026-11-03", cves: ["CVE-2026-10001", "CVE-2026-10002"]),
            Advisory(id: "PPSA-2026:0102", type: .security, severity: .important, issued: "2026-10-20", cves: ["CVE-2026-20001"]),
        ])
        XCTAssertEqual(byName["ppssl"]?.currentVersion, nil, "dnf's own rpmdb is the scratch root's, not the packages section's")
        XCTAssertEqual(byName["ppcurl"]?.severity, .important)
        XCTAssertEqual(byName["pptool"]?.advisories?.map(\.type), [.bugfix])
        XCTAssertEqual(byName["pptool"]?.security, false)
        XCTAssertNil(byName["ppdoc"]?.advisories)
        XCTAssertEqual(snapshot.pendingUpdates.filter(\.security).count, 2)
        XCTAssertFalse(snapshot.notes.contains { $0.hasPrefix("updates:") }, "\(snapshot.notes)")
        var without = snapshot
        for i in without.pendingUpdates.indices { without.pendingUpdates[i].advisories = nil }
        let bytes = try SnapshotCoding.encode(snapshot).count, before = try SnapshotCoding.encode(without).count
        print("measure dnf: stdout \(run.stdout.count) B, wall \(String(format: "%.2f", run.wallSeconds)) s, "
              + "snapshot \(before) B without advisories, \(bytes) B with (\(bytes - before) B for \(snapshot.pendingUpdates.compactMap(\.advisories).joined().count) advisories)")
    }

    /// The transactions section on an RPM host (no dpkg log): the packages installed since the
    /// window start, by rpm's install time, each with its version.
    func testTransactionsOfAnRpmHostComeFromInstallTimes() throws {
        let start = Date()
        try prepare()
        var options = ScriptOptions(pendingUpdates: false)
        options.transactionsSince = start.addingTimeInterval(-60)
        let (snapshot, shell) = try run("rpm", options: options)
        XCTAssertEqual(shell.status, 0, shell.stderr)
        let t = try XCTUnwrap(snapshot.transactions, "\(snapshot.notes)")
        XCTAssertTrue(t.since.hasPrefix("@"), t.since)
        let installed = Dictionary(t.changes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for name in ["ppssl", "ppcurl", "ppdoc", "pptool"] {
            XCTAssertEqual(installed[name]?.action, "install", "\(name): \(t.changes)")
            XCTAssertEqual(installed[name]?.new, "1.0-1", name)
        }
        XCTAssertFalse(snapshot.notes.contains { $0.hasPrefix("transactions") }, "\(snapshot.notes)")
        // A window that starts after the install: nothing.
        options.transactionsSince = Date().addingTimeInterval(3600)
        let (later, _) = try run("rpm", options: options)
        XCTAssertEqual(later.transactions?.changes.count, 0)
    }

    /// A real patch: version 1.0 installed, the window opens, dnf upgrades ppssl, ppcurl and
    /// pptool to 1.1 from the updates repository. With dnf: the history's old versions make the
    /// changes upgrades, and updateinfo's advisories and CVE ids for the new versions are the
    /// fixes. Without dnf: rpm's changelog's newest entry, partial.
    func testWhatARealRpmUpgradeFixed() throws {
        workDir = NSTemporaryDirectory() + "pp-rpm-fixes-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: workDir!) }
        let beforeInstall = Date().addingTimeInterval(-1)
        try prepare()
        // rpm's install times are seconds: the window opens a second after version 1.0's.
        Thread.sleep(forTimeInterval: 1.2)
        var options = ScriptOptions(pendingUpdates: false)
        options.transactionsSince = Date()
        Thread.sleep(forTimeInterval: 0.2)
        let upgraded = try LabProcess.runBlocking("/usr/bin/env", envArgs + ["/bin/sh", Self.folder.appendingPathComponent("upgrade-and-capture.sh").path],
                                                  timeout: .seconds(120))
        XCTAssertEqual(upgraded.status, 0, "upgrade-and-capture.sh: \(upgraded.output)")

        let (snapshot, shell) = try run("rpm-dnf", options: options)
        XCTAssertEqual(shell.status, 0, shell.stderr)
        let t = try XCTUnwrap(snapshot.transactions, "\(snapshot.notes)")
        XCTAssertEqual(t.changes.map(\.name).sorted(), ["ppcurl", "ppdoc", "ppssl", "pptool"])
        for c in t.changes {
            XCTAssertEqual(c.action, "upgrade", c.name)
            XCTAssertEqual(c.old, "1.0-1", c.name)
            XCTAssertEqual(c.new, "1.1-1", c.name)
        }
        let fixes = try XCTUnwrap(t.fixes, "\(snapshot.notes)")
        XCTAssertEqual(fixes, [
            PackageFix(package: "ppcurl", version: "1.1-1", cves: ["CVE-2026-20001"], advisories: ["PPEA-2026:0104", "PPSA-2026:0102"]),
            // No advisory names ppdoc 1.1: its changelog's entry above 1.0-1 does.
            PackageFix(package: "ppdoc", version: "1.1-1", cves: ["CVE-2026-30001"]),
            PackageFix(package: "ppssl", version: "1.1-1", cves: ["CVE-2026-10001", "CVE-2026-10002", "CVE-2026-20001"],
                       advisories: ["PPSA-2026:0101", "PPSA-2026:0102"]),
            PackageFix(package: "pptool", version: "1.1-1", advisories: ["PPBA-2026:0103"]),
        ])
        XCTAssertFalse(snapshot.notes.contains { $0.hasPrefix("transactions") }, "\(snapshot.notes)")
        // PP_CAPTURE_FIXTURES=1: the section as CompareTests' FixDiffTests reads it (Fixtures/rpm-upgrade-transactions.json).
        if ProcessInfo.processInfo.environment["PP_CAPTURE_FIXTURES"] == "1" {
            try SnapshotCoding.encoder().encode(t).write(to: Fixtures.packageRoot.appendingPathComponent("Tests/CompareTests/Fixtures/rpm-upgrade-transactions.json"))
        }

        // The cost of the step: the same script with the step switched off, CPU of the children.
        let nonce = "rpmAdv1sories"
        let stepBytes = ScriptOutput.parse(shell.stdout, nonce: nonce)[step: TransactionsSection.rpmFixesStep]?.stdout.utf8.count ?? 0
        func cpu(_ edit: @escaping (String) -> String) throws -> Double {
            var before = rusage(), after = rusage()
            getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &before)
            _ = try run("rpm-dnf", options: options, edit: edit)
            getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &after)
            func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
            return s(after.ru_utime) + s(after.ru_stime) - s(before.ru_utime) - s(before.ru_stime)
        }
        let off: (String) -> String = { $0.replacingOccurrences(of: "if [ -s \"$PP_TMP/tx-rpm-versions\" ]; then", with: "if false; then") }
        let with = try cpu { $0 }, without = try cpu(off)
        var unfixed = snapshot
        unfixed.transactions?.fixes = nil
        let bytes = try SnapshotCoding.encode(snapshot).count, before = try SnapshotCoding.encode(unfixed).count
        print("measure rpm-fixes: step stdout \(stepBytes) B, host CPU \(String(format: "%.2f", with - without)) s "
              + "(script \(String(format: "%.2f", with)) s with the step, \(String(format: "%.2f", without)) s without), "
              + "snapshot \(before) B without fixes, \(bytes) B with (\(bytes - before) B for \(fixes.count) packages)")

        // No dnf or yum: rpm's changelog, its newest entry only.
        let (bare, bareShell) = try run("rpm", options: options)
        XCTAssertEqual(bareShell.status, 0, bareShell.stderr)
        XCTAssertEqual(bare.transactions?.fixes, [PackageFix(package: "ppdoc", version: "1.1-1", cves: ["CVE-2026-30001"], partial: true),
                                                  PackageFix(package: "ppssl", version: "1.1-1", cves: ["CVE-2026-10001", "CVE-2026-10002"], partial: true)],
                       "\(bare.notes)")
        XCTAssertEqual(bare.transactions?.changes.map(\.action), ["install", "install", "install", "install"], "rpm alone knows no old version")
        XCTAssertTrue(bare.notes.contains { $0.contains("newest rpm changelog entry only") }, "\(bare.notes)")

        // A window from before version 1.0's install: dnf's merged history says Install for all,
        // so nothing was upgraded and nothing fixed (updateinfo is not asked).
        options.transactionsSince = beforeInstall
        let (fresh, freshShell) = try run("rpm-dnf", options: options)
        XCTAssertEqual(freshShell.status, 0, freshShell.stderr)
        XCTAssertEqual(fresh.transactions?.changes.map(\.action), ["install", "install", "install", "install"])
        XCTAssertEqual(fresh.transactions?.fixes, [], "\(fresh.notes)")
        let freshStep = ScriptOutput.parse(freshShell.stdout, nonce: nonce)[step: TransactionsSection.rpmFixesStep]?.stdout ?? ""
        XCTAssertTrue(freshStep.hasPrefix("M dnf\nH 1 2\n"), freshStep)
        XCTAssertFalse(freshStep.contains("\nL "), freshStep)
    }

    func testZypperPatchesFromCachedRepositoriesOnly() throws {
        try prepare()
        let (snapshot, run) = try run("zypper")
        XCTAssertEqual(run.status, 0, run.stderr)
        let byName = Dictionary(uniqueKeysWithValues: snapshot.pendingUpdates.map { ($0.name, $0) })
        XCTAssertEqual(byName.keys.sorted(), ["ppcurl", "ppdoc", "ppssl", "pptool"], "\(snapshot.notes)")
        XCTAssertEqual(byName["ppssl"]?.advisories, [
            Advisory(id: "PPSA-2026:0101", type: .security, severity: .critical, issued: "2026-11-03"),
            Advisory(id: "PPSA-2026:0102", type: .security, severity: .important, issued: "2026-10-20"),
        ])
        XCTAssertEqual(byName["ppssl"]?.currentVersion, "1.0-1")
        XCTAssertEqual(byName["ppcurl"]?.advisories?.map(\.id), ["PPSA-2026:0102", "PPEA-2026:0104"])
        XCTAssertEqual(byName["pptool"]?.security, false)
        // The remote repository never cached is left out, with a note, and nothing tried to reach it.
        XCTAssertTrue(snapshot.notes.contains {
            $0.hasPrefix("updates: zypper repositories without cached metadata left out") && $0.contains("pp-remote")
        }, "\(snapshot.notes)")
        XCTAssertFalse(String(decoding: run.stdout, as: UTF8.self).contains("127.0.0.1:9"), "zypper tried the uncached repository")
        print("measure zypper: stdout \(run.stdout.count) B, wall \(String(format: "%.2f", run.wallSeconds)) s")
    }

    func testZypperWithOnlyUncachedRepositoriesLeavesUpdatesUnknown() throws {
        try prepare()
        let (snapshot, run) = try run("zypper-uncached")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertFalse(snapshot.isCaptured(.updates), "unknown, not empty: \(snapshot.notCaptured)")
        XCTAssertTrue(snapshot.notes.contains { $0.contains("pp-remote") }, "\(snapshot.notes)")
        XCTAssertFalse(String(decoding: run.stdout, as: UTF8.self).contains("127.0.0.1:9"), "zypper tried the uncached repository")
    }
}
