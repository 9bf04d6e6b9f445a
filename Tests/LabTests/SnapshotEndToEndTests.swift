import Collect
import Engine
import Foundation
import LabKit
import TestSupport
import Model
import XCTest

/// Snapshots of THIS machine, over SSH as `pplab` and as `local`, filled from real data: the
/// kernel and boot id the kernel reports, SysV services, the lab sshd's socket, dpkg's packages,
/// and probes run from the host to servers the test starts (an echo server, dnsmasq, PostgreSQL,
/// Redis, MariaDB), the databases reached through the SSH session itself.
final class SnapshotEndToEndTests: E2ETestCase {
    func testSnapshotOverSSHAndLocalIsFilledFromRealData() async throws {
        async let dnsStart = startDNS(["app.e2e.test": ["192.0.2.10"]])
        async let pgStart = startPostgres()
        async let redisStart = startRedis()
        async let mariaStart = startMariaDB()
        let (dns, pg, redis, maria) = try await (dnsStart, pgStart, redisStart, mariaStart)
        let echo = try EchoServer()
        cleanup { echo.close() }
        let closed = try lowPort()

        let checks = CheckSet(
            dns: [DNSCheck(name: "app.e2e.test", server: dns.server)],
            connectivity: [ConnectivityCheck(target: "127.0.0.1", port: echo.port, timeout: 3),
                           ConnectivityCheck(target: "127.0.0.1", port: closed, timeout: 2)],
            databases: [DatabaseCheck(name: "pg", kind: .postgres, address: pg.host, port: pg.port, database: "postgres", user: "postgres"),
                        DatabaseCheck(name: "redis", kind: .redis, address: redis.host, port: redis.port),
                        DatabaseCheck(name: "maria", kind: .mysql, address: maria.host, port: maria.port)])
        async let overSSH = capture(sshTarget(checks: checks))
        async let onLocal = capture(localTarget(checks: checks))
        let snapshots = try await [overSSH, onLocal]

        let kernel = try trimmed("/proc/sys/kernel/osrelease")
        let bootID = try trimmed("/proc/sys/kernel/random/boot_id")
        let range = try trimmed("/proc/sys/net/ipv4/ip_local_port_range").split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        let dpkgVersion = try await LabProcess.run("/usr/bin/dpkg-query", ["--show", "--showformat=${Version}", "dpkg"]).output
        for s in snapshots {
            let who = s.host
            XCTAssertEqual(s.schemaVersion, Snapshot.currentSchemaVersion)
            // What the collector could not do here, said as notes: this container has systemctl
            // but no systemd as PID 1, and pplab's `ss` names no other user's processes.
            // Lab containers elsewhere on this machine may add the "in containers" note, and
            // a machine built from a container image (/.dockerenv) says its kernel is the host's.
            var notes = ["services: systemctl is installed but systemd is not PID 1 (no /run/systemd/system)"]
            if who == "lab-ssh" { notes.append("sockets: not run as root: ss names only the user's own processes") }
            // Not root: the conffiles only root may read (sudoers, ssh host keys' folder) are said, not guessed.
            let unreadable = s.notes.filter { $0.hasPrefix("configs: ") && $0.hasSuffix(" not readable (run as root or with --sudo)") }
            XCTAssertEqual(unreadable.count, who == "lab-ssh" ? 1 : 0, "\(who): \(s.notes)")
            XCTAssertEqual(s.notes.filter { !($0.hasPrefix("outdated: ") && $0.hasSuffix("in containers (root differs from PID 1's) not checked"))
                                                && !$0.hasPrefix("system: in a container") && !unreadable.contains($0) },
                           notes.sorted(), who)
            XCTAssertEqual(s.gap(.updates)?.skipped, true, who)
            XCTAssertEqual(s.partialReason(.outdated) != nil, who == "lab-ssh", who)
            // system
            XCTAssertEqual(s.system.kernel, kernel, who)
            XCTAssertEqual(s.system.bootID, bootID, who)
            XCTAssertEqual(s.system.hostname, try trimmed("/proc/sys/kernel/hostname"), who)
            XCTAssertEqual(s.system.os.id, "debian", who)
            XCTAssertEqual(s.system.os.versionID, "12", who)
            XCTAssertGreaterThan(s.system.uptimeSeconds, 0, who)
            XCTAssertEqual(s.ephemeralPortRange, PortRange(low: range[0], high: range[1]), who)
            // services: no systemd as PID 1 here, so SysV scripts.
            XCTAssertFalse(s.services.isEmpty, who)
            XCTAssertTrue(s.services.allSatisfy { $0.source == .sysv }, "\(who): \(s.services.map(\.source))")
            XCTAssertNotNil(s.services.first { $0.name == "ssh" }, "\(who): \(s.services.map(\.name))")
            // sockets: the lab sshd this very capture came through.
            let ours = s.sockets.first { $0.endpoint == "tcp 127.0.0.1:\(sshd.port)" }
            XCTAssertNotNil(ours, "\(who): \(s.sockets.map(\.endpoint))")
            // Root's ss names every socket's process; pplab's only its own (sshd runs as root).
            XCTAssertEqual(ours?.process, who == "local" ? "sshd" : nil, who)
            // packages
            let dpkg = s.packages.first { $0.name == "dpkg" }
            XCTAssertEqual(dpkg?.version, dpkgVersion, who)
            XCTAssertEqual(dpkg?.manager, .dpkg, who)
            XCTAssertGreaterThan(s.packages.count, 100, who)
            XCTAssertEqual(s.pendingUpdates, [], who)
            // connectivity from the host
            XCTAssertEqual(s.connectivity.count, 2, who)
            XCTAssertEqual(Set(s.connectivity.map(\.subject)), ["127.0.0.1:\(echo.port)", "127.0.0.1:\(closed)"], who)
            let open = s.connectivity.first { $0.port == echo.port }, shut = s.connectivity.first { $0.port == closed }
            XCTAssertEqual(open?.reachable, true, "\(who): \(String(describing: open))")
            XCTAssertEqual(open?.method, "nc", who)
            XCTAssertNotNil(open?.latencyMs, who)
            XCTAssertEqual(shut?.reachable, false, "\(who): \(String(describing: shut))")
            // DNS through the lab dnsmasq
            XCTAssertEqual(s.dns.count, 1, who)
            XCTAssertEqual(s.dns.first?.answers, ["192.0.2.10"], "\(who): \(String(describing: s.dns.first))")
            XCTAssertEqual(s.dns.first?.method, "dig", who)
            XCTAssertNil(s.dns.first?.error, who)
            // databases, through the session (direct-tcpip over SSH; a socket for local)
            let db = Dictionary(uniqueKeysWithValues: s.databases.map { ($0.name, $0) })
            XCTAssertEqual(db.keys.sorted(), ["maria", "pg", "redis"], who)
            for (name, r) in db {
                XCTAssertTrue(r.up, "\(who) \(name): \(r)")
                XCTAssertNil(r.error, "\(who) \(name): \(r)")
                XCTAssertNotNil(r.latencyMs, "\(who) \(name)")
            }
            XCTAssertTrue(db["pg"]?.version?.hasPrefix(pg.version) == true, "\(who): \(String(describing: db["pg"]))")
            XCTAssertEqual(db["redis"]?.version, redis.version, who)
            XCTAssertTrue(db["maria"]?.version?.contains(maria.version) == true, "\(who): \(String(describing: db["maria"]))")
        }
        // Seen by pplab and by root: the same machine, so the same facts.
        XCTAssertEqual(snapshots[0].withoutVolatileFields().system, snapshots[1].withoutVolatileFields().system)
        XCTAssertEqual(snapshots[0].packages, snapshots[1].packages)
    }

    /// The one test with pending updates on: apt's simulated dist-upgrade runs as `pplab` over
    /// SSH; baseline then verify of the unchanged host gives zero findings.
    func testPendingUpdatesCollectedAndAnUnchangedHostVerifiesClean() async throws {
        let full = Capture.Settings(script: ScriptOptions(pendingUpdates: true))
        let target = sshTarget()
        let base = try await baseline([target], settings: full)
        XCTAssertFalse(base[0].notes.contains { $0.hasPrefix("updates:") }, "\(base[0].notes)")
        let installed = Dictionary(base[0].packages.map { ($0.name, $0.version) }, uniquingKeysWith: { a, _ in a })
        for u in base[0].pendingUpdates {
            XCTAssertEqual(u.currentVersion, installed[u.name], "\(u)")
            XCTAssertNotEqual(u.candidateVersion, u.currentVersion, "\(u)")
        }
        let run = try await verify([target], settings: full)
        assertFindings(verdict(run, target.name), [], "with pending updates")
        XCTAssertEqual(VerifyJob.exitStatus(run), .ok)
    }

    private func trimmed(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
