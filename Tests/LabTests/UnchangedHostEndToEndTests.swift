import Engine
import Foundation
import LabKit
import Model
import XCTest

/// An unchanged host must give identical snapshots outside the volatile fields, and zero
/// findings verify after verify (issue 4, point 8: twenty times in a row).
final class UnchangedHostEndToEndTests: E2ETestCase {
    func testUnchangedHostCapturesEqualAndVerifiesCleanTwentyTimesInARow() async throws {
        async let dnsStart = startDNS(["app.e2e.test": ["192.0.2.10", "192.0.2.11"]])
        async let pgStart = startPostgres()
        async let redisStart = startRedis()
        let (dns, pg, redis) = try await (dnsStart, pgStart, redisStart)
        let echo = try EchoServer()
        cleanup { echo.close() }
        let servicePort = try lowPort()
        _ = try await startLabService(port: servicePort)
        // A port that accepts and never speaks (a hung daemon): probed every round within its bound.
        // It accepts, so twenty rounds of probes never fill its backlog (a listener that never
        // accepted did after about 16, and every later probe waited out its 5 s).
        let held = try LabBannerServer(banner: "", port: try lowPort())
        held.mute = true
        cleanup { held.stop() }

        let checks = CheckSet(
            dns: [DNSCheck(name: "app.e2e.test", server: dns.server)],
            connectivity: [ConnectivityCheck(target: "127.0.0.1", port: echo.port, timeout: 3)],
            databases: [DatabaseCheck(name: "pg", kind: .postgres, address: pg.host, port: pg.port),
                        DatabaseCheck(name: "redis", kind: .redis, address: redis.host, port: redis.port)])
        let targets = [sshTarget(checks: checks), localTarget(checks: checks)]
        let ours = Set([sshd.port, dns.port, pg.port, redis.port, echo.port, servicePort, held.port])

        // Two captures, back to back: equal once the volatile fields are cleared.
        for target in targets {
            let (_, second) = try await assertTwoCapturesEqual(target, keepingPorts: ours)
            for port in [sshd.port, servicePort, held.port] {
                XCTAssertTrue(second.sockets.contains { $0.endpoint == "tcp 127.0.0.1:\(port)" }, "\(target.name): port \(port)")
            }
        }

        _ = try await baseline(targets)
        var times: [Double] = []
        for round in 1...20 {
            let run = try await verify(targets)
            times.append(run.durationSeconds)
            for target in targets {
                assertFindings(verdict(run, target.name), [], "round \(round)")
            }
            XCTAssertEqual(VerifyJob.exitStatus(run), .ok, "round \(round)")
            XCTAssertEqual(run.unchecked, 0, "round \(round)")
        }
        print("E2E: 20 verifies of 2 hosts: \(times.map { String(format: "%.2f", $0) }.joined(separator: " ")) s")
    }
}
