import Foundation
import LabKit
import TestSupport
import XCTest
import Model
@testable import Collect

/// Connectivity and DNS steps run for real against loopback servers, under dash and busybox ash.
/// Only these fragments are rendered (with the real preamble), to keep the runs short.
/// Every name here resolves from /etc/hosts or through the loopback dnsmasq (LabDNSServer,
/// authoritative for pp2.test: only4.pp2.test has an A record and no AAAA, other pp2.test names
/// are NXDOMAIN, names elsewhere REFUSED): nothing reaches the machine's own DNS server.
final class ChecksRunTests: XCTestCase {
    static func script(_ checks: CheckSet, nonce: String, stepTimeout: Int = 10) -> String {
        ScriptFraming.preamble(nonce: nonce, stepTimeout: stepTimeout)
            + ConnectivitySection.fragment(checks.connectivity) + DNSSection.fragment(checks.dns) + ScriptFraming.epilogue
    }

    func testConnectivityAndDNSAgainstLoopbackServers() async throws {
        let listener = try LabListener.open(.tcp)
        defer { listener.close() }
        let closedPort = try LabProcess.freePort()
        let dns = try await LabDNSServer.start(records: ["only4.pp2.test": ["127.0.0.10"]], localDomains: ["pp2.test"])
        addTeardownBlock { await dns.stop() }
        let server = dns.server
        let checks = CheckSet(
            dns: [DNSCheck(name: "localhost"), DNSCheck(name: "only4.pp2.test", type: "A", server: server),
                  DNSCheck(name: "other.pp2.test", type: "A", server: server), DNSCheck(name: "only4.pp2.test", type: "AAAA", server: server),
                  DNSCheck(name: "example.org", type: "A", server: server),
                  DNSCheck(name: "only4.pp2.test", type: "A", server: "127.0.0.1#\(closedPort)")],
            connectivity: [ConnectivityCheck(target: "127.0.0.1", port: listener.port, timeout: 2),
                           ConnectivityCheck(target: "127.0.0.1", port: closedPort, timeout: 2),
                           ConnectivityCheck(target: "127.0.0.1", ping: true, timeout: 2)])
        for argv in try ShellRunner.shells() {
            let script = Self.script(checks, nonce: "chk")
            let run = try await LabProcess.onThread("checks under \(argv[0])") { try ShellRunner.run(argv, stdin: script) }
            let label = argv.joined(separator: " ")
            XCTAssertEqual(run.status, 0, "\(label): \(run.stderr)")
            let s = SnapshotParser.parse(stdout: run.stdout, host: "local", nonce: "chk", checks: checks)
            let c = s.connectivity.sorted { $0.sortKey < $1.sortKey }
            let open = try XCTUnwrap(c.first { $0.port == listener.port })
            XCTAssertTrue(open.reachable, "\(label): \(open)")
            XCTAssertEqual(open.method, "nc")
            // GNU date prints nanoseconds; busybox ash still runs /usr/bin/date here.
            XCTAssertNotNil(open.latencyMs, label)
            let closed = try XCTUnwrap(c.first { $0.port == closedPort })
            XCTAssertFalse(closed.reachable, label)
            XCTAssertEqual(closed.error, "connection failed (nc exit 1)", label)
            let ping = try XCTUnwrap(c.first { $0.kind == .ping }, label)
            _ = try LabSkip.tool("ping", package: "iputils-ping")
            XCTAssertTrue(ping.reachable, "\(label): \(ping)")
            XCTAssertEqual(ping.method, "ping")
            let d = Dictionary(uniqueKeysWithValues: s.dns.map { ($0.subject, $0) })
            XCTAssertTrue(d["localhost"]?.answers.contains("127.0.0.1") ?? false, label)
            XCTAssertEqual(d["localhost"]?.method, "getent")
            XCTAssertEqual(d["only4.pp2.test A @\(server)"]?.answers, ["127.0.0.10"], label)
            XCTAssertEqual(d["only4.pp2.test A @\(server)"]?.method, "dig")
            XCTAssertNil(d["only4.pp2.test A @\(server)"]?.error, label)
            XCTAssertEqual(d["other.pp2.test A @\(server)"]?.error, "NXDOMAIN", label)
            XCTAssertEqual(d["only4.pp2.test AAAA @\(server)"]?.error, "no AAAA record (NOERROR)", label)
            XCTAssertEqual(d["example.org A @\(server)"]?.error, "REFUSED", label)
            let dead = d["only4.pp2.test A @127.0.0.1#\(closedPort)"]
            XCTAssertEqual(dead?.error?.hasPrefix("no server answered: "), true, "\(label): \(String(describing: dead))")
        }
    }
}
