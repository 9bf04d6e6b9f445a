import XCTest
import Foundation
import Model
@testable import Compare
import TestSupport

/// How long the differ takes for a fleet: 1,000 snapshot pairs of ~1,500 packages, ~150 units,
/// ~40 sockets and a few probes, ~20 changes each. Skipped unless POSTPATCH_BENCH=1; prints
/// the time and asserts nothing about it (machines differ). Run it in release:
///   POSTPATCH_BENCH=1 swift test -c release --filter CompareTests.BenchmarkTests
final class BenchmarkTests: XCTestCase {
    func testThousandHostPairs() throws {
        _ = try LabSkip.optIn("POSTPATCH_BENCH", "(to 1) to run the benchmark")
        let clock = ContinuousClock()
        var total = Duration.zero
        var findings = 0, items = 0
        for host in 0..<1000 {
            // Each side built separately, as a decoded baseline and a parsed capture would be:
            // no string storage shared between them. Building is not timed.
            let base = Self.host(host, patched: false)
            let cur = Self.host(host, patched: true)
            let start = clock.now
            let v = Differ.compare(baseline: base, current: cur, rules: CompareRules())
            total += clock.now - start
            findings += v.findings.count
            items += v.items.count
        }
        print("BENCH Differ.compare: 1000 pairs in \(total) (\(findings) findings, \(items) checked items)")
        XCTAssertEqual(findings, 1000 * 21)
    }

    static func host(_ n: Int, patched: Bool) -> Snapshot {
        var s = Snapshot(host: "host\(n)", capturedAt: Date(timeIntervalSince1970: patched ? 1_763_723_600 : 1_763_720_000))
        s.system = SystemFacts(hostname: "host\(n)", os: OSRelease(id: "debian", versionID: "12", prettyName: "Debian GNU/Linux 12 (bookworm)"),
                               kernel: patched ? "6.1.0-18-amd64" : "6.1.0-17-amd64", arch: "x86_64",
                               bootID: patched ? "9c1d7e20-0b6f-4e51-a2c3-\(n)" : "3f2a9c1e-58d4-4b7a-9f0e-\(n)",
                               uptimeSeconds: patched ? 80 : 1_209_600, rebootRequired: false)
        s.ephemeralPortRange = PortRange(low: 32768, high: 60999)
        s.packages = (0..<1500).map { i in
            var version = "\(i % 7).\(i % 13).\(i % 5)-\(i % 3 + 1)+deb12u\(i % 4 + 1)"
            if patched && i % 200 == 7 { version = "\(i % 7).\(i % 13).\(i % 5)-\(i % 3 + 1)+deb12u\(i % 4 + 2)" } // 8 upgrades
            return InstalledPackage(name: "lib\(["ssl", "xml", "gnutls", "curl", "sql"][i % 5])\(i)-\(i % 9)", arch: i % 11 == 0 ? "all" : "amd64",
                                    version: version, manager: .dpkg)
        }
        if patched {
            // In the middle of the list, as in a sorted capture: the rest no longer lines up.
            s.packages.removeAll { $0.name == "libsql304-7" }                                              // 1 removal
            s.packages.insert(InstalledPackage(name: "linux-image-6.1.0-18-amd64", arch: "amd64", version: "6.1.76-1", manager: .dpkg),
                              at: 700)                                                                    // 1 install
        }
        s.services = (0..<150).map { i in
            var svc = Service(name: "unit\(i)-\(["daemon", "worker", "agent"][i % 3]).service", load: "loaded",
                              active: i % 4 == 0 ? "inactive" : "active", sub: i % 4 == 0 ? "dead" : i % 4 == 1 ? "exited" : "running",
                              enabled: i % 4 == 0 ? "static" : "enabled", source: .systemd, description: "Unit number \(i)")
            if patched && i == 2 { svc.active = "failed"; svc.sub = "failed" }                          // 1 failed
            if patched && i == 5 { svc.enabled = "disabled" }                                            // 1 disabled
            return svc
        }
        if patched { s.services.append(Service(name: "fail2ban.service", load: "loaded", active: "active", sub: "running", source: .systemd)) } // 1 added
        s.sockets = (0..<40).map { i in
            ListeningSocket(protocol: i % 2 == 0 ? .tcp : .tcp6, address: i % 2 == 0 ? "0.0.0.0" : "::", port: 1000 + i * 7,
                            process: "daemon\(i)", pid: (patched ? 20_000 : 1_000) + i)
        }
        s.sockets.append(ListeningSocket(protocol: .udp, address: "0.0.0.0", port: patched ? 51_234 : 41_873, process: "systemd-resolve", pid: 398))
        if patched {
            s.sockets.removeAll { $0.port == 1000 }                                                      // 1 closed (tcp 0.0.0.0, no twin)
            s.sockets.append(ListeningSocket(protocol: .tcp, address: "0.0.0.0", port: 8080, process: "java", pid: 4242)) // 1 opened
        }
        s.pendingUpdates = patched ? [] : [                                                             // 2 cleared
            PendingUpdate(name: "libssl0-0", arch: "amd64", candidateVersion: "3.0.13-1~deb12u1", security: true),
            PendingUpdate(name: "libxml1-1", arch: "amd64", candidateVersion: "2.9.14+dfsg-1.3~deb12u1", security: true),
        ]
        s.connectivity = [
            ConnectivityResult(target: "db1.internal", port: 5432, kind: .tcp, reachable: !patched, latencyMs: 0.4), // 1 lost
            ConnectivityResult(target: "10.0.0.1", kind: .ping, reachable: true, latencyMs: patched ? 0.9 : 0.2),
        ]
        s.dns = [DNSResult(name: "db1.internal", answers: [patched ? "10.0.2.16" : "10.0.2.15"]),                     // 1 changed
                 DNSResult(name: "deb.debian.org", answers: ["151.101.2.132"])]
        s.databases = [DatabaseResult(name: "orders", kind: .postgres, address: "127.0.0.1", port: 5432, up: true, version: "15.5",
                                      latencyMs: patched ? 3 : 2)]
        return s
    }
}
