import TestSupport
import Model
import XCTest
@testable import Probe

/// Probes against servers that misbehave on purpose: refused, silent, speaking junk.
final class ScriptedProbeTests: XCTestCase {
    func testRefusedPortIsDownWithClearError() async throws {
        let port = try LabProcess.freePort()
        for kind in DatabaseKind.allCases {
            let result = await probe(DatabaseCheck(name: "x", kind: kind, address: "127.0.0.1", port: port, timeout: 2))
            XCTAssertFalse(result.up)
            XCTAssertEqual(result.error, "connect to 127.0.0.1:\(port): connection refused")
            XCTAssertNil(result.latencyMs)
        }
    }

    func testSilentServerTimesOutWithinTheCheckTimeout() async throws {
        let server = try ScriptedServer(.silent)
        defer { server.stop() }
        for kind in [DatabaseKind.postgres, .mysql, .redis, .mssql] {
            let started = ContinuousClock.now
            let result = await probe(DatabaseCheck(name: "x", kind: kind, address: "127.0.0.1", port: server.port, timeout: 0.5))
            let elapsed = ContinuousClock.now - started
            XCTAssertFalse(result.up)
            XCTAssertEqual(result.error, "no \(DatabaseProbe.protocolName(kind)) answer from 127.0.0.1:\(server.port) within 0.5 s")
            XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(450))
            XCTAssertLessThan(elapsed, .milliseconds(2000), "\(kind) overran its timeout (a loaded CI machine gets 1.5 s of slack)")
        }
    }

    func testGarbageServerGivesACleanError() async throws {
        let junk: [UInt8] = Array("+PONG\r\n".utf8)
        let server = try ScriptedServer(.answer(junk))
        defer { server.stop() }
        let result = await probe(DatabaseCheck(name: "x", kind: .postgres, address: "127.0.0.1", port: server.port, timeout: 2))
        XCTAssertFalse(result.up)
        XCTAssertEqual(result.error, "port \(server.port) did not answer like PostgreSQL: got '+PONG..'")
        XCTAssertNotNil(result.latencyMs)

        let binary = try ScriptedServer(.greet([0x00, 0x1B, 0x5B, 0x33, 0x31, 0x6D, 0xFF, 0xFE, 0x07, 0x0A]))
        defer { binary.stop() }
        for kind in [DatabaseKind.mysql, .redis, .mssql] {
            let result = await probe(DatabaseCheck(name: "x", kind: kind, address: "127.0.0.1", port: binary.port, timeout: 2))
            XCTAssertFalse(result.up)
            let error = result.error ?? ""
            XCTAssertTrue(error.hasPrefix("port \(binary.port) did not answer like \(DatabaseProbe.protocolName(kind))"), error)
            XCTAssertFalse(error.contains("\u{1B}"), "escape sequences are sanitized")
        }
    }

    func testTDSAgainstAScriptedSQLServer() async throws {
        let server = try ScriptedServer(.answer(TDSWireTests.response2019))
        defer { server.stop() }
        let result = await probe(DatabaseCheck(name: "mssql", kind: .mssql, address: "127.0.0.1", port: server.port, timeout: 2))
        XCTAssertTrue(result.up, result.error ?? "")
        XCTAssertEqual(result.version, "15.0.2000")
        XCTAssertEqual(result.detail, "encryption required")
    }

    func testBannerMatchAndMismatch() async throws {
        let server = try ScriptedServer(.greet(Array("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n".utf8)))
        defer { server.stop() }
        let match = await probe(DatabaseCheck(name: "ssh", kind: .tcp, address: "127.0.0.1", port: server.port,
                                              expectBanner: "SSH-2.0-", timeout: 2))
        XCTAssertTrue(match.up)
        XCTAssertEqual(match.detail, "SSH-2.0-OpenSSH_9.2p1 Debian-2")
        XCTAssertNotNil(match.latencyMs)

        let mismatch = await probe(DatabaseCheck(name: "smtp", kind: .tcp, address: "127.0.0.1", port: server.port,
                                                 expectBanner: "220 ", timeout: 2))
        XCTAssertFalse(mismatch.up)
        XCTAssertEqual(mismatch.error, "banner does not start with '220 ': got 'SSH-2.0-OpenSSH_9.2p1 Debian-2'")
    }

    func testSilentPortWithExpectedBannerIsDown() async throws {
        let server = try ScriptedServer(.silent)
        defer { server.stop() }
        let plain = await probe(DatabaseCheck(name: "tcp", kind: .tcp, address: "127.0.0.1", port: server.port, timeout: 3))
        XCTAssertTrue(plain.up)
        XCTAssertNil(plain.detail)
        let started = ContinuousClock.now
        let expecting = await probe(DatabaseCheck(name: "tcp", kind: .tcp, address: "127.0.0.1", port: server.port,
                                                  expectBanner: "SSH-", timeout: 0.5))
        XCTAssertFalse(expecting.up)
        XCTAssertEqual(expecting.error, "no banner within 0.5 s (expected one starting with 'SSH-')")
        XCTAssertLessThan(ContinuousClock.now - started, .milliseconds(2000))
    }

    func testDeadlineGuardReturnsWhenTheStreamIgnoresDeadlines() async {
        let check = DatabaseCheck(name: "stuck", kind: .postgres, address: "127.0.0.1", port: 9, timeout: 0.3)
        let started = ContinuousClock.now
        let result = await DatabaseProbe.run(check, environment: [:]) {
            // A transport that ignores the deadline (it would only stop when cancelled): this
            // sleep is the stuck transport under test, not a wait for anything.
            try await Task.sleep(for: .seconds(3))
            throw ProbeError(.io, "unreachable")
        }
        XCTAssertFalse(result.up)
        XCTAssertEqual(result.error, "no answer from 127.0.0.1:9 within 0.3 s")
        XCTAssertLessThan(ContinuousClock.now - started, .milliseconds(2000))
    }

    func testAbsurdTimeoutsDoNotTrap() async throws {
        let port = try LabProcess.freePort()
        for timeout in [Double.nan, -1, 0, 1e300, .infinity] {
            let check = DatabaseCheck(name: "x", kind: .redis, address: "127.0.0.1", port: port, timeout: timeout)
            let result = await DatabaseProbe.run(check, environment: [:]) {
                try await SocketStream.connect(host: "127.0.0.1", port: port, deadline: .now + .seconds(1))
            }
            XCTAssertFalse(result.up)
            XCTAssertEqual(result.error, "connect to 127.0.0.1:\(port): connection refused")
        }
    }
}
