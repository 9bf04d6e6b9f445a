import Foundation
import LabKit
import TestSupport
import XCTest
import Model
@testable import Collect

/// The rendered script run on this machine, under dash and busybox ash, read back into a Snapshot.
final class LocalRunTests: XCTestCase {
    func run(_ argv: [String], checks: CheckSet = CheckSet(), nonce: String = "t3stN0nce",
             options: ScriptOptions = ScriptOptions()) throws -> (Snapshot, ShellRun) {
        let script = CollectorScript.render(checks: checks, options: options, nonce: nonce)
        if let dump = ProcessInfo.processInfo.environment["POSTPATCH_DUMP_SCRIPT"] {
            try script.write(toFile: dump, atomically: true, encoding: .utf8)
        }
        let run = try ShellRunner.run(argv, stdin: script)
        return (SnapshotParser.parse(stdout: run.stdout, host: "local", nonce: nonce, checks: checks), run)
    }

    func uname(_ flag: String) throws -> String {
        let run = try ShellRunner.run(["/bin/sh", "-s"], stdin: "uname \(flag)\n")
        return String(decoding: run.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testDashAndBusyboxSnapshotsOfThisMachine() throws {
        let listener = try LabListener.open(.tcp)
        defer { listener.close() }
        for argv in try ShellRunner.shells() {
            let (snapshot, run) = try run(argv)
            let label = argv.joined(separator: " ")
            XCTAssertEqual(run.status, 0, "\(label): \(run.stderr)")
            XCTAssertEqual(run.stderr, "", label)
            XCTAssertEqual(snapshot.system.kernel, try uname("-r"), label)
            XCTAssertEqual(snapshot.system.arch, try uname("-m"), label)
            XCTAssertEqual(snapshot.system.hostname, try uname("-n"), label)
            XCTAssertEqual(snapshot.system.os.id, "debian", label)
            XCTAssertEqual(snapshot.system.bootID.count, 36, label)
            XCTAssertGreaterThan(snapshot.system.uptimeSeconds, 0, label)
            XCTAssertNotNil(snapshot.ephemeralPortRange, label)
            let mine = snapshot.sockets.first { $0.protocol == .tcp && $0.address == "127.0.0.1" && $0.port == listener.port }
            XCTAssertNotNil(mine, "\(label): listener on 127.0.0.1:\(listener.port) missing from \(snapshot.sockets.map(\.endpoint))")
            XCTAssertEqual(mine?.pid.map(Int32.init), ProcessInfo.processInfo.processIdentifier, label)
            XCTAssertNotNil(snapshot.packages.first { $0.name == "dpkg" && $0.manager == .dpkg }, label)
            XCTAssertGreaterThan(snapshot.packages.count, 300, label)
            XCTAssertFalse(snapshot.services.isEmpty, label)
            let root = snapshot.mounts.first { $0.mountPoint == "/" }
            XCTAssertNotNil(root?.sizeKB, "\(label): \(snapshot.mounts)")
            XCTAssertFalse(snapshot.mounts.contains { $0.mountPoint.hasPrefix("/proc") || $0.mountPoint.hasPrefix("/sys") }, label)
            XCTAssertEqual(snapshot.gap(.modules)?.skipped, true, "\(label): this kernel has no /proc/modules (and /.dockerenv)")
            // This machine's verdict depends on what was installed since it booted: only its
            // consistency with the reasons is a fact the test can hold.
            XCTAssertEqual(snapshot.system.rebootRequired, !snapshot.system.rebootReasons.isEmpty, label)
            XCTAssertFalse(snapshot.notes.contains { $0.hasPrefix("script:") }, "\(label): \(snapshot.notes)")
            // Figures for the record (the lead reports them): sizes on the wire and on disk.
            let json = try SnapshotCoding.encode(snapshot)
            print("measure \(label): stdout \(run.stdout.count) B, snapshot JSON \(json.count) B, wall \(String(format: "%.2f", run.wallSeconds)) s, "
                  + "\(snapshot.packages.count) packages, \(snapshot.pendingUpdates.count) updates, \(snapshot.sockets.count) sockets, notes \(snapshot.notes)")
        }
    }

    func testWithoutRootWhatNeedsRootBecomesANote() throws {
        try LabSkip.requireRoot("running the script as another user")
        let runuser = try LabSkip.tool("runuser", package: "util-linux")
        let dash = try ShellRunner.dash()
        let listener = try LabListener.open(.tcp)
        defer { listener.close() }
        let (snapshot, run) = try run([runuser, "-u", "nobody", "--"] + dash, options: ScriptOptions(pendingUpdates: false))
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(snapshot.system.kernel, try uname("-r"))
        XCTAssertNotNil(snapshot.packages.first { $0.name == "dpkg" })
        // The socket is listed (from /proc/net) but its owner is another user's process.
        let mine = snapshot.sockets.first { $0.address == "127.0.0.1" && $0.port == listener.port }
        XCTAssertNotNil(mine)
        XCTAssertNil(mine?.process)
        XCTAssertTrue(snapshot.notes.contains("sockets: not run as root: ss names only the user's own processes"), "\(snapshot.notes)")
        XCTAssertEqual(snapshot.gap(.updates)?.skipped, true, "\(snapshot.notCaptured)")
        XCTAssertNotNil(snapshot.partialReason(.outdated), "not root: outdated code is partial")
    }

    func testTwoRunsGiveEqualSnapshotsOutsideVolatileFields() throws {
        let argv = try ShellRunner.dash()
        let checks = CheckSet(dns: [DNSCheck(name: "localhost")],
                              connectivity: [ConnectivityCheck(target: "127.0.0.1", port: 1, timeout: 1)])
        // Other test suites on this machine open and close loopback servers (and may install
        // packages); a pair of runs that straddles such a change is retried, up to three pairs.
        var differences: [String] = []
        for attempt in 1...3 {
            let (first, _) = try run(argv, checks: checks, nonce: "first\(attempt)")
            let (second, _) = try run(argv, checks: checks, nonce: "second\(attempt)")
            let a = try SnapshotCoding.encode(first.withoutVolatileFields())
            let b = try SnapshotCoding.encode(second.withoutVolatileFields())
            if a == b {
                XCTAssertEqual(first.withoutVolatileFields(), second.withoutVolatileFields())
                XCTAssertFalse(first.connectivity[0].reachable)
                XCTAssertTrue(first.dns[0].answers.contains("127.0.0.1"), "\(first.dns)")
                return
            }
            differences.append(Self.firstDifference(a, b))
        }
        XCTFail("three pairs of runs differed: \(differences)")
    }

    static func firstDifference(_ a: Data, _ b: Data) -> String {
        let la = String(decoding: a, as: UTF8.self).split(separator: "\n")
        let lb = String(decoding: b, as: UTF8.self).split(separator: "\n")
        for (x, y) in zip(la, lb) where x != y { return "\(x) <> \(y)" }
        return "lengths \(la.count) <> \(lb.count)"
    }
}
