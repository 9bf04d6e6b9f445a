import Foundation
import Model
@testable import Report
import XCTest

final class SnapshotSummaryTests: XCTestCase {
    func testUpdatesLineCountsSecurityUpdatesBySeverityWhereKnown() {
        var s = SampleSnapshot.web
        func line() -> String? {
            SnapshotSummary.render(s, color: false).split(separator: "\n").first { $0.hasPrefix("Updates") }.map(String.init)
        }
        XCTAssertEqual(line(), "Updates      3 pending, 2 security", "apt names no severity")
        s.pendingUpdates[0].advisories = [Advisory(id: "A-1", type: .security, severity: .critical),
                                          Advisory(id: "A-2", type: .security, severity: .low)]
        XCTAssertEqual(line(), "Updates      3 pending (2 security: 1 critical, 1 unrated)")
        s.pendingUpdates[1].advisories = [Advisory(id: "A-3", type: .security, severity: .important)]
        s.pendingUpdates[2].advisories = [Advisory(id: "B-1", type: .bugfix, severity: .moderate)]
        XCTAssertEqual(line(), "Updates      3 pending (2 security: 1 critical, 1 important)")
    }

    /// The rollback preflight's count: updates whose undo the package manager cannot do.
    func testUpdatesLineCountsWhatCannotBeRolledBack() {
        var s = SampleSnapshot.web
        s.pendingUpdates[0].rollback = .notObtainable
        s.pendingUpdates[1].rollback = .sideBySide
        s.pendingUpdates[2].rollback = .ok
        let line = SnapshotSummary.render(s, color: false).split(separator: "\n").first { $0.hasPrefix("Updates") }
        XCTAssertEqual(line, "Updates      3 pending, 2 security, 1 cannot be rolled back")
    }

    func testOneScreenSummary() {
        let out = SnapshotSummary.render(SampleSnapshot.web, color: false)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(Array(lines.prefix(21)), [
            "Host         web1.example.com (hostname web1)",
            "Captured     2025-11-21T12:28:13Z in 2.3 s",
            "OS           Debian GNU/Linux 12 (bookworm), x86_64",
            "Kernel       6.1.0-28-amd64",
            "Boot id      0b7d3e11-64c2-4f1b-8e2a-9d5f3c1a7b60",
            "Uptime       6 min 52 s",
            "Reboot       required (linux-image-6.1.0-28-amd64)",
            "Services     11: 8 active, 1 inactive, 2 failed",
            "Outdated     none",
            "Sockets      4 listening sockets",
            "Endpoints    3 probed: 22 ssh OpenSSH, 5432 postgres",
            "Mounts       2: fullest /boot 93 %",
            "Network      2 interfaces (2 up), 2 addresses; 2 routes, default via 192.0.2.1 dev eth0",
            "Modules      2 loaded",
            "Firewall     nftables: 4 rules in 2 chains",
            "Containers   2: 1 running, 1 exited",
            "Packages     612 (dpkg 612)",
            "Updates      3 pending, 2 security",
            "Logs         1 unit with errors this boot (nginx.service); 0 core dumps",
            "HTTP checks  2 (1 failed: site: no answer: connect: connection refused)",
            "Commands     2 (all passed)",
        ], out)
        XCTAssertTrue(out.contains("Failed services\n  logrotate.service\n  nginx.service\n"), out)
        XCTAssertTrue(out.contains("""
          PROTO  ADDRESS    PORT  PROCESS
          tcp    0.0.0.0    22    sshd (612)
          tcp6   ::         22    sshd (612)
          udp    127.0.0.1  323   chronyd (540)
          tcp    127.0.0.1  5432  –
        """), out)
        XCTAssertTrue(out.contains("""
        Endpoints
          PORT  ADDRESS    ANSWER       DETAIL
          22    0.0.0.0    ssh OpenSSH  SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3
          22    ::         ssh OpenSSH  SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3
          5432  127.0.0.1  postgres

        """), out)
        XCTAssertTrue(out.contains("""
        Probes and checks
          connect   db1.example.com:5432              reachable    nc, 0.8 ms
          connect   ping 10.0.0.9                     unreachable  100% packet loss
          dns       example.com                       resolved     93.184.215.14 2606:2800:21f:cb07:6820:80da:af6b:8b2c
          database  main (postgres 127.0.0.1:5432)    up           15.8, authentication required (scram-sha-256), 2.1 ms
          http      health (http://127.0.0.1/health)  passed       status 200, 3.2 ms
          http      site (https://web1.example.com/)  failed       no answer: connect: connection refused
          command   app-smoke                         passed       exit 0, 3 bytes
          command   backup-age                        passed       exit 0, 0 bytes

        """), out)
        XCTAssertFalse(lines.contains { $0.hasSuffix(" ") }, "trailing spaces")
        XCTAssertTrue(out.hasSuffix("Notes\n  sockets: ss -p needs root for other users' processes; process names partly missing\n"))
        XCTAssertFalse(out.contains("\u{1B}"))
        XCTAssertLessThan(lines.count, 60, "one screen")
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
        XCTAssertTrue(out.split(separator: "\n").contains { $0.hasPrefix("Reboot ") && $0.hasSuffix(" unknown") }, out)
        XCTAssertTrue(out.contains("x\\u{1B}]0;pwned\\u{07}.service"))
    }
}

/// The lines of the sections of issues 13 and 14: endpoints, declared HTTP checks and commands,
/// the "not captured" and "partial" states every section line gets, and hostile strings in them.
final class SnapshotSectionLinesTests: XCTestCase {
    func testEverySectionHasALine() {
        // System facts head the table; connectivity, DNS and databases are under "Probes and checks".
        let elsewhere: Set<SnapshotSection> = [.system, .connectivity, .dns, .databases]
        for section in SnapshotSection.allCases {
            XCTAssertEqual(SnapshotSectionLines.line(section) == nil, elsewhere.contains(section), "\(section)")
        }
        let labels = SnapshotSection.allCases.compactMap { SnapshotSectionLines.line($0)?.label }
        XCTAssertEqual(labels.count, Set(labels).count)
    }

    func testGapsAndPartialSectionsAreSaidForEveryLine() {
        var s = SampleSnapshot.web
        s.notCaptured[.endpoints] = CaptureGap(step: "", problem: "learning is off (learn: { endpoints: false })", fix: "", skipped: true)
        s.notCaptured[.services] = CaptureGap(step: "services.systemd", problem: "timed out after 20 s", fix: "raise --step-timeout")
        s.partial[.sockets] = "not root: process names partly missing"
        let out = SnapshotSummary.render(s, color: false)
        XCTAssertTrue(out.contains("\nServices     not captured\n"), out)
        XCTAssertTrue(out.contains("\nSockets      4 listening sockets (partial)\n"), out)
        XCTAssertTrue(out.contains("\nEndpoints    not captured\n"), out)
        XCTAssertTrue(out.contains("  endpoints not captured: learning is off (learn: { endpoints: false })\n"), out)
        XCTAssertTrue(out.contains("  services not captured: timed out after 20 s (step services.systemd): raise --step-timeout\n"), out)
        // Nothing declared: no line at all, rather than "0".
        s.httpChecks = []
        s.commands = []
        let bare = SnapshotSummary.render(s, color: false)
        XCTAssertFalse(bare.contains("HTTP checks") || bare.contains("Commands"), bare)
    }

    func testTLSEndpointsAndFailures() {
        let day: TimeInterval = 86_400
        var s = Snapshot(host: "shop1", capturedAt: SampleRuns.started)
        let cert = CertificateInfo(subject: "CN=shop1.example.com", issuer: "CN=Lab CA", san: ["shop1.example.com"],
                                   notAfter: ISO8601.date("2027-01-10T00:00:00Z"), sha256: String(repeating: "ab", count: 32))
        let expired = CertificateInfo(subject: "CN=old", issuer: "CN=Lab CA", notAfter: SampleRuns.started - 3 * day, sha256: "00")
        s.endpoints = [
            EndpointAnswer(address: "0.0.0.0", port: 80, process: "nginx", method: .http, answered: true,
                           http: HTTPAnswer(status: 301, location: "https://shop1.example.com/")),
            EndpointAnswer(address: "0.0.0.0", port: 443, process: "nginx", method: .tls, answered: true,
                           tls: TLSInfo(version: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384", certificate: cert),
                           http: HTTPAnswer(status: 200)),
            EndpointAnswer(address: "0.0.0.0", port: 8443, method: .tls, answered: false,
                           tls: TLSInfo(error: "tlsv1 alert protocol version")),
            EndpointAnswer(address: "127.0.0.1", port: 9000, method: .banner, answered: false, error: "no answer within 1 s"),
            EndpointAnswer(address: "127.0.0.1", port: 9443, method: .tls, answered: true,
                           tls: TLSInfo(version: "TLSv1.2", cipher: "ECDHE-RSA-AES128-GCM-SHA256", certificate: expired)),
        ]
        s.commands = [CommandResult(name: "app-smoke", exit: 1, outputBytes: 12, excerpt: "flag missing\nmore",
                                    failed: ["exit 1, expected 0"]),
                      CommandResult(name: "slow", timedOut: true, failed: ["timed out after 30 s"]),
                      CommandResult(name: "queue", exit: 0)]
        let out = SnapshotSummary.render(s, color: false)
        XCTAssertTrue(out.contains("\nEndpoints   5 probed, 2 failing: 80 http 301, 443 tls TLSv1.3 http 200 (cert expires 2027-01-10), "
            + "8443 tls failed, 9000 no answer, 9443 tls TLSv1.2 (cert expired 2025-11-18)\n"), out)
        XCTAssertTrue(out.contains("\nCommands    3 (2 failed: app-smoke, slow)\n"), out)
        XCTAssertTrue(out.contains("""
        Endpoints
          PORT  ADDRESS    ANSWER                DETAIL
          80    0.0.0.0    http 301              → https://shop1.example.com/
          443   0.0.0.0    tls TLSv1.3 http 200  TLS_AES_256_GCM_SHA384, CN=shop1.example.com, cert expires 2027-01-10
          8443  0.0.0.0    tls failed            tlsv1 alert protocol version
          9000  127.0.0.1  no answer             no answer within 1 s
          9443  127.0.0.1  tls TLSv1.2           ECDHE-RSA-AES128-GCM-SHA256, CN=old, cert expired 2025-11-18
        """), out)
        XCTAssertTrue(out.contains("  command  app-smoke  failed  exit 1, expected 0, “flag missing”\n"), out)
        XCTAssertTrue(out.contains("  command  slow       failed  timed out after 30 s\n"), out)
        XCTAssertTrue(out.contains("  command  queue      passed  exit 0, 0 bytes\n"), out)
        s.commands = [CommandResult(name: "app-smoke", exit: 1, failed: ["exit 1, expected 0"])]
        XCTAssertTrue(SnapshotSummary.render(s, color: false).contains("\nCommands    1 (1 failed: app-smoke: exit 1, expected 0)\n"))
        let colored = SnapshotSummary.render(s, color: true)
        XCTAssertTrue(colored.contains("\u{1B}[31m5 probed, 2 failing"), colored)
    }

    /// Banners, certificate names, URLs, command names and output are the host's (or its
    /// services') text: 10 KB of it, with terminal escapes and every invisible character, leaves
    /// `show` one screen of short lines with nothing raw in them.
    func testHostileNewSectionsStayBoundedAndInert() {
        let long = String(repeating: "A\u{1B}[2J\u{7}\u{85}\u{202E}\r\n\t", count: 1_000) + String(repeating: "x", count: 4_000)
        XCTAssertGreaterThan(long.utf8.count, 10_000)
        var s = Snapshot(host: "evil", capturedAt: SampleRuns.started)
        let cert = CertificateInfo(subject: long, issuer: long, san: [long], notAfter: SampleRuns.started, sha256: long)
        s.endpoints = (1...30).map { i in
            EndpointAnswer(address: long, port: 1000 + i, process: long, method: .tls, answered: i % 2 == 0,
                           banner: BannerInfo(proto: long, product: long, version: long, line: long),
                           tls: TLSInfo(version: long, cipher: long, certificate: cert, error: i % 3 == 0 ? long : nil),
                           http: HTTPAnswer(status: i % 5 == 0 ? nil : 200, location: long, error: long), error: long)
        }
        s.httpChecks = (1...4).map { _ in HTTPCheckResult(name: long, url: long, status: 500, location: long, error: long, failed: [long, long]) }
        s.commands = (1...4).map { _ in CommandResult(name: long, exit: 3, outputBytes: 10_000_000, excerpt: long, failed: [long]) }
        for color in [false, true] {
            let out = SnapshotSummary.render(s, color: color)
            for raw in ["\u{1B}[2J", "\u{7}", "\u{85}", "\u{202E}", "\r", "\t"] {
                XCTAssertFalse(out.contains(raw), "raw \(raw.debugDescription)")
            }
            let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertLessThan(lines.count, 70, "one screen and a bit")
            let plain = color ? lines.map { $0.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression) }
                              : lines.map(String.init)
            XCTAssertLessThanOrEqual(plain.map(\.count).max() ?? 0, 400, plain.max { $0.count < $1.count } ?? "")
            XCTAssertTrue(out.contains("  … 5 more\n"), "endpoints cut at 25")
        }
        let out = SnapshotSummary.render(s, color: false)
        XCTAssertTrue(out.contains("A\\u{1B}[2J\\u{07}\\u{85}\\u{202E} ⏎  A"), String(out.prefix(2000)))
        XCTAssertTrue(out.contains("\nHTTP checks  4 (4 failed: "), out)
    }
}

final class PackagesLineTests: XCTestCase {
    func testBrokenPackagesAndAFailedTransactionAreNamed() {
        var s = SampleSnapshot.web
        s.packages[0].state = .unpacked
        s.lastPackageTransaction = LastPackageTransaction(tool: "dnf", id: 2, returnCode: "Failure: 1")
        let out = SnapshotSummary.render(s, color: false)
        XCTAssertTrue(out.contains("Packages     612 (dpkg 612), 1 not fully installed, last dnf transaction 2 failed (Failure: 1)\n"), out)
        s.packages[0].state = nil
        s.lastPackageTransaction?.returnCode = "Success"
        XCTAssertTrue(SnapshotSummary.render(s, color: false).contains("Packages     612 (dpkg 612)\n"))
    }
}

/// The Transactions line counts the CVEs the upgrades fixed, each once.
final class TransactionsLineTests: XCTestCase {
    func testTheLineCountsTheFixedCVEsOnce() {
        var t = PackageTransactions(since: "2026-12-07 10:00:00", runs: [PackageRun(start: "2026-12-07 10:05:00", command: "apt-get upgrade", packages: 2)],
                                    changes: [PackageChangeRecord(at: "2026-12-07 10:05:01", action: "upgrade", name: "libssl3", arch: "amd64", old: "1", new: "2")])
        XCTAssertEqual(SnapshotPlumbingLines.transactions(t)?.text, "since 2026-12-07 10:00:00: 1 run, 1 package change")
        t.fixes = [PackageFix(package: "libssl3", version: "2", cves: ["CVE-2024-0727", "CVE-2024-2511"]),
                   PackageFix(package: "openssl", version: "2", cves: ["CVE-2024-0727"], advisories: ["DSA-5678-1"])]
        XCTAssertEqual(SnapshotPlumbingLines.transactions(t)?.text, "since 2026-12-07 10:00:00: 1 run, 1 package change, 2 CVEs fixed")
    }
}
