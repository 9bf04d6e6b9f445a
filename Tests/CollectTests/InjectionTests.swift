import Foundation
import TestSupport
import XCTest
import Model
@testable import Collect

/// Hostile names from the checks stay data: the rendered script is run and nothing they spell runs.
final class InjectionTests: XCTestCase {
    func testHostileNamesStayInert() throws {
        let dash = try LabSkip.tool("dash", package: "dash")
        // The names are not real hosts: resolving them would query the machine's DNS server.
        // A fresh network namespace (only a down loopback) keeps every lookup and probe local.
        let unshare = try LabSkip.tool("unshare", package: "util-linux")
        try LabSkip.unless((try? ShellRunner.run([unshare, "-n", dash, "-s"], stdin: "exit 0\n").status) == 0,
                           "unshare -n is not available, and hostile names would reach the real DNS", fix: "run the tests as root")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pp-inject-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let marker = dir.appendingPathComponent("pwned").path
        let hostile = [
            "$(touch \(marker))", "`touch \(marker)`", ";touch \(marker)", ";reboot", "a;reboot",
            "'; touch \(marker); '", "x\ntouch \(marker)", "|touch \(marker)", "&& touch \(marker)",
            "$(reboot)", "-oProxyCommand=touch \(marker)",
        ]
        let checks = CheckSet(
            dns: hostile.map { DNSCheck(name: $0) } + hostile.map { DNSCheck(name: "localhost", type: "A", server: $0) }
                + [DNSCheck(name: "localhost", type: "A;touch \(marker)")],
            connectivity: hostile.map { ConnectivityCheck(target: $0, port: 9, timeout: 1) }
                + hostile.map { ConnectivityCheck(target: $0, ping: true, timeout: 1) })
        let nonce = "inj3ct"
        let script = CollectorScript.render(checks: checks, options: ScriptOptions(stepTimeout: 5), nonce: nonce)
        // A shell function named reboot shadows the real command (functions win over PATH), so
        // a name that escaped its quotes would leave a marker instead of rebooting this machine.
        let guarded = "reboot() { touch \(ShellQuote.quote(marker)); }\n" + script
        let run = try ShellRunner.run([unshare, "-n", dash, "-s"], stdin: guarded)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "a hostile name ran as a command")

        let snapshot = SnapshotParser.parse(stdout: run.stdout, host: "local", nonce: nonce, checks: checks)
        // Nothing dropped: every check has a result, none resolved or reached, each says why.
        XCTAssertEqual(snapshot.dns.count, checks.dns.count)
        XCTAssertEqual(snapshot.connectivity.count, checks.connectivity.count)
        XCTAssertTrue(snapshot.dns.allSatisfy { $0.error != nil && !$0.resolved }, "\(snapshot.dns)")
        XCTAssertTrue(snapshot.connectivity.allSatisfy { !$0.reachable && $0.error != nil }, "\(snapshot.connectivity)")
        XCTAssertEqual(snapshot.connectivity.filter { $0.error?.hasPrefix("not run: ") == true }.count, 4) // the newline and "-o..." targets, TCP and ping
        XCTAssertEqual(snapshot.dns.first { $0.name == "$(touch \(marker))" }?.error, "not found (getent ahosts)")
        XCTAssertTrue(snapshot.dns.contains { $0.error == "not run: record type 'A;touch \(marker)' is not a DNS type name like A, AAAA, MX or TXT" })
        XCTAssertTrue(snapshot.notes.allSatisfy { !$0.hasPrefix("script:") }, "\(snapshot.notes)")
    }
}
