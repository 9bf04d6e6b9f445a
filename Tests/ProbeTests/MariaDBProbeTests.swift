import LabKit
import Model
import XCTest
@testable import Probe

/// The MySQL/MariaDB probe against real MariaDB servers started by LabKit.
final class MariaDBProbeTests: XCTestCase {
    func testHandshakeReportsTheVersion() async throws {
        let lab = try await MariaDBLab.start()
        let result = await probe(DatabaseCheck(name: "maria", kind: .mysql, address: lab.host, port: lab.port, timeout: 5))
        XCTAssertTrue(result.up, result.error ?? "")
        XCTAssertEqual(result.version, lab.version)
        XCTAssertEqual(result.detail, "auth plugin mysql_native_password")
        XCTAssertNotNil(result.latencyMs)

        // Plain TCP: MariaDB greets first, but in binary, so a text banner expectation fails.
        let banner = await probe(DatabaseCheck(name: "maria-port", kind: .tcp, address: lab.host, port: lab.port,
                                               expectBanner: "SSH-", timeout: 3))
        XCTAssertFalse(banner.up)
        XCTAssertTrue(banner.error?.hasPrefix("banner does not start with 'SSH-': got '") ?? false, banner.error ?? "")

        // A PostgreSQL probe on a MariaDB port: MariaDB speaks first, and not like PostgreSQL.
        let wrong = await probe(DatabaseCheck(name: "wrong", kind: .postgres, address: lab.host, port: lab.port, timeout: 3))
        XCTAssertFalse(wrong.up)
        XCTAssertTrue(wrong.error?.hasPrefix("port \(lab.port) did not answer like PostgreSQL: got '") ?? false, wrong.error ?? "")
        await lab.stop()
    }

    func testHostNotAllowedIsUpWithDetail() async throws {
        let lab = try await MariaDBLab.start(rejectTCPClients: true)
        let result = await probe(DatabaseCheck(name: "maria", kind: .mysql, address: lab.host, port: lab.port, timeout: 5))
        XCTAssertTrue(result.up, result.error ?? "")
        XCTAssertNil(result.version)
        XCTAssertEqual(result.detail, "error 1130: Host '127.0.0.1' is not allowed to connect to this MariaDB server")
        await lab.stop()
    }
}
