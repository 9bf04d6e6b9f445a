import Foundation
import Model
@testable import Report
import XCTest

final class SnapshotSummaryTests: XCTestCase {
    func testOneScreenSummary() {
        let out = SnapshotSummary.render(SampleSnapshot.web, color: false)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(Array(lines.prefix(12)), [
            "Host      web1.example.com (hostname web1)",
            "Captured  2025-11-21T12:28:13Z in 2.3 s",
            "OS        Debian GNU/Linux 12 (bookworm), x86_64",
            "Kernel    6.1.0-28-amd64",
            "Boot id   0b7d3e11-64c2-4f1b-8e2a-9d5f3c1a7b60",
            "Uptime    6 min 52 s",
            "Reboot    required (linux-image-6.1.0-28-amd64)",
            "Services  11: 8 active, 1 inactive, 2 failed",
            "Sockets   4 listening sockets",
            "Packages  612 (dpkg 612)",
            "Updates   3 pending, 2 security",
            "Outdated  none",
        ], out)
        XCTAssertTrue(out.contains("Failed services\n  logrotate.service\n  nginx.service\n"), out)
        XCTAssertTrue(out.contains("""
          PROTO  ADDRESS    PORT  PROCESS
          tcp    0.0.0.0    22    sshd (612)
          tcp6   ::         22    sshd (612)
          udp    127.0.0.1  323   chronyd (540)
          tcp    127.0.0.1  5432  –
        """), out)
        XCTAssertTrue(out.contains("  connect   ping 10.0.0.9                   unreachable  100% packet loss"), out)
        XCTAssertTrue(out.contains("  database  main (postgres 127.0.0.1:5432)  up           15.8, authentication required (scram-sha-256), 2.1 ms"), out)
        XCTAssertTrue(out.hasSuffix("Notes\n  sockets: ss -p needs root for other users' processes; process names partly missing\n"))
        XCTAssertFalse(out.contains("\u{1B}"))
        XCTAssertLessThan(lines.count, 50, "one screen")
    }

    func testLongListsAreCutAndColourIsOptIn() {
        var s = SampleSnapshot.web
        s.sockets = (1...40).map { ListeningSocket(protocol: .tcp, address: "0.0.0.0", port: 8000 + $0) }
        s.services += (1...20).map { Service(name: "broken\($0).service", load: "loaded", active: "failed", sub: "failed", source: .systemd) }
        let out = SnapshotSummary.render(s, color: true)
        XCTAssertTrue(out.contains("  … 15 more\n"), "sockets cut at 25")
        XCTAssertTrue(out.contains("  … 7 more\n"), "failed services cut at 15")
        XCTAssertTrue(out.contains("\u{1B}[31mbroken1.service\u{1B}[0m"))
        XCTAssertTrue(out.contains("\u{1B}[1;33mrequired (linux-image-6.1.0-28-amd64)\u{1B}[0m"))
    }

    func testEmptyAndHostileSnapshot() {
        var s = Snapshot(host: "h\u{1B}[2J", capturedAt: SampleRuns.started)
        s.services = [Service(name: "x\u{1B}]0;pwned\u{7}.service", load: "loaded", active: "failed", sub: "failed", source: .systemd)]
        let out = SnapshotSummary.render(s, color: false)
        XCTAssertFalse(out.contains("\u{1B}") || out.contains("\u{7}"))
        XCTAssertTrue(out.contains("Reboot    unknown"))
        XCTAssertTrue(out.contains("x\\u{1B}]0;pwned\\u{07}.service"))
    }
}
