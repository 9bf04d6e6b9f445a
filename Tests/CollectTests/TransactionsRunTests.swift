import Foundation
import TestSupport
import XCTest
import Model
@testable import Collect

/// The transactions step run on this machine, whose dpkg.log and apt history.log are real (the
/// test set-up installs its packages with apt), under dash and busybox ash.
final class TransactionsRunTests: XCTestCase {
    func testReadsThisMachinesPackageLogSinceAWindowStart() throws {
        guard FileManager.default.isReadableFile(atPath: "/var/log/dpkg.log") else {
            throw LabSkip.missing("/var/log/dpkg.log", fix: "run on a Debian machine that installed a package")
        }
        let log = try String(contentsOfFile: "/var/log/dpkg.log", encoding: .utf8)
        let upgrades = log.split(separator: "\n").filter { $0.split(separator: " ").dropFirst(2).first.map { ["install", "upgrade"].contains($0) } ?? false }
        guard let first = upgrades.first else { throw LabSkip.missing("an install line in /var/log/dpkg.log", fix: "install a package with apt") }
        // From a year ago: every change of the log; from tomorrow: none.
        for argv in try ShellRunner.shells() {
            let label = argv.joined(separator: " ")
            let all = try run(argv, since: Date().addingTimeInterval(-20 * 365 * 86400))
            XCTAssertNotNil(all, label)
            XCTAssertEqual(all?.changes.count, min(upgrades.count + removals(log), TransactionsSection.changeLimit), label)
            let names = Set(all?.changes.map(\.name) ?? [])
            XCTAssertEqual(all?.truncated == true, names.count > TransactionsSection.packageLimit || upgrades.count + removals(log) > TransactionsSection.changeLimit, label)
            let firstName = first.split(separator: " ")[3].split(separator: ":")[0]
            XCTAssertTrue(all?.changes.contains { $0.name == firstName } == true, "\(label): \(firstName)")
            // Programs and units of installed packages are listed: dpkg ships /usr/bin/dpkg.
            if all?.changedNames.contains("dpkg") == true {
                XCTAssertTrue(all?.files.first { $0.package == "dpkg" }?.files.contains("/usr/bin/dpkg") == true, label)
            }
            XCTAssertTrue(all?.files.allSatisfy { $0.files.count <= TransactionsSection.filesPerPackage } == true, label)
            XCTAssertNotNil(all?.utcOffset, label)
            let none = try run(argv, since: Date().addingTimeInterval(86400))
            XCTAssertEqual(none?.changes.count, 0, label)
            XCTAssertEqual(none?.files.count, 0, label)
            print("measure \(label): \(all?.changes.count ?? 0) changes, \(all?.runs.count ?? 0) runs, \(all?.files.count ?? 0) packages' files, "
                  + "\(all?.files.reduce(0) { $0 + $1.files.count } ?? 0) files")
        }
    }

    private func removals(_ log: String) -> Int {
        log.split(separator: "\n").filter { $0.split(separator: " ").dropFirst(2).first.map { ["remove", "purge"].contains($0) } ?? false }.count
    }

    private func run(_ argv: [String], since: Date) throws -> PackageTransactions? {
        var options = ScriptOptions(pendingUpdates: false)
        options.transactionsSince = since
        let nonce = "tx1N0nce"
        let script = CollectorScript.render(checks: CheckSet(), options: options, nonce: nonce)
        let run = try ShellRunner.run(argv, stdin: script)
        XCTAssertEqual(run.status, 0, run.stderr)
        // POSTPATCH_DUMP_STEP=file keeps the raw output (for fixtures under Tests/Fixtures/collect/).
        if let dump = ProcessInfo.processInfo.environment["POSTPATCH_DUMP_STEP"], !FileManager.default.fileExists(atPath: dump) {
            let output = ScriptOutput.parse(run.stdout, nonce: nonce)
            try output[step: TransactionsSection.dpkgStep]?.stdout.write(toFile: dump, atomically: true, encoding: .utf8)
        }
        let snapshot = SnapshotParser.parse(stdout: run.stdout, host: "local", nonce: nonce, checks: CheckSet(), options: options)
        XCTAssertFalse(snapshot.notes.contains { $0.hasPrefix("transactions") && !$0.contains("cut at their bounds") && !$0.contains("within their bounds") }, "\(snapshot.notes)")
        return snapshot.transactions
    }
}

/// The parser on a real capture of the step (this build machine's dpkg.log and history.log,
/// the window from before its first entry).
final class TransactionsParserTests: XCTestCase {
    func testRealCaptureOfABuildMachine() throws {
        let text = try Fixtures.local("transactions-dpkg_debian-12-build-machine.txt")
        let (value, notes) = TransactionsParser.parse(text)
        let t = try XCTUnwrap(value)
        XCTAssertEqual(t.utcOffset, "+0000")
        XCTAssertEqual(t.changes.count, 783)
        XCTAssertEqual(t.changes.first?.action, "upgrade")
        XCTAssertEqual(t.changes.first?.name, "libsystemd0")
        XCTAssertEqual(t.changes.first?.arch, "amd64")
        XCTAssertEqual(t.changes.first?.old, "252.36-1~deb12u1")
        XCTAssertEqual(t.changes.first?.new, "252.38-1~deb12u1")
        // An install has no old version (dpkg writes <none>).
        XCTAssertTrue(t.changes.contains { $0.action == "install" && $0.old == nil && $0.new != nil })
        XCTAssertEqual(t.runs.first?.command, "apt-get upgrade")
        XCTAssertTrue(t.runs.allSatisfy { $0.error == nil })
        XCTAssertEqual(t.truncated, true, "more packages than the bound")
        XCTAssertTrue(notes.contains { $0.contains("cut at their bounds") })
        XCTAssertFalse(notes.contains { $0.contains("unreadable") }, "\(notes)")
        let libc = try XCTUnwrap(t.files.first { $0.package == "libc6" })
        XCTAssertTrue(libc.files.contains("/lib/x86_64-linux-gnu/libc.so.6"), "dpkg lists libc under /lib (usrmerge: processes map it as /usr/lib)"); XCTAssertTrue(true, "\(libc.files.prefix(5))")
        XCTAssertFalse(libc.files.contains { $0.contains("/gconv/") })
    }

    func testApkOrGarbageLinesAreCountedNotFatal() {
        let (value, notes) = TransactionsParser.parse("P 2026-12-07 10:00:00|+0100\nC short\nX what\nR ||||\n")
        XCTAssertEqual(value?.since, "2026-12-07 10:00:00")
        XCTAssertEqual(value?.changes, [])
        XCTAssertEqual(notes, ["transactions: 3 unreadable line(s) skipped"])
        XCTAssertNil(TransactionsParser.parse("").value)
    }
}
