import LabKit
import Model
import XCTest
@testable import Probe

/// The PostgreSQL probe against a real PostgreSQL 15 started by LabKit.
final class PostgresProbeTests: XCTestCase {
    func testTrustServerReportsItsVersion() async throws {
        let lab = try await PostgresLab.start(auth: .trust)
        let check = DatabaseCheck(name: "pg", kind: .postgres, address: lab.host, port: lab.port, timeout: 5)
        let result = await probe(check)
        XCTAssertTrue(result.up, result.error ?? "")
        XCTAssertEqual(result.version?.split(separator: " ").first.map(String.init), lab.version)
        XCTAssertEqual(result.version?.split(separator: ".").first, lab.version.split(separator: ".").first, "major")
        XCTAssertEqual(result.detail, "no authentication required")
        XCTAssertNotNil(result.latencyMs)
        XCTAssertNil(result.error)

        var missingDatabase = check
        missingDatabase.database = "nope"
        let missing = await probe(missingDatabase)
        XCTAssertTrue(missing.up, "an ErrorResponse still proves the server answers")
        XCTAssertEqual(missing.detail, "FATAL: database \"nope\" does not exist")

        var missingRole = check
        missingRole.user = "nobody_here"
        let role = await probe(missingRole)
        XCTAssertTrue(role.up)
        XCTAssertEqual(role.detail, "FATAL: role \"nobody_here\" does not exist")
        await lab.stop()

        let stopped = await probe(check)
        XCTAssertFalse(stopped.up)
        XCTAssertEqual(stopped.error, "connect to 127.0.0.1:\(lab.port): connection refused")
    }

    func testScramServerAsksForAuthentication() async throws {
        let lab = try await PostgresLab.start(auth: .scram)
        let check = DatabaseCheck(name: "pg", kind: .postgres, address: lab.host, port: lab.port,
                                  passwordEnv: "PG_PASSWORD", timeout: 5)
        let result = await probe(check, environment: ["PG_PASSWORD": lab.password ?? ""])
        XCTAssertTrue(result.up, result.error ?? "")
        XCTAssertEqual(result.detail, "authentication required (scram-sha-256)")
        XCTAssertNil(result.version, "the version is only sent after authentication")
        XCTAssertFalse(allText(result).contains(lab.password ?? "<none>"))
        await lab.stop()
    }

    func testTCPProbeOnPostgresSeesNoBanner() async throws {
        let lab = try await PostgresLab.start(auth: .trust)
        let result = await probe(DatabaseCheck(name: "pg-port", kind: .tcp, address: lab.host, port: lab.port, timeout: 3))
        XCTAssertTrue(result.up)
        XCTAssertNil(result.detail, "PostgreSQL waits for the client to speak first")
        await lab.stop()
    }
}
