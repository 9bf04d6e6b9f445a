import XCTest
@testable import Probe

final class PostgresWireTests: XCTestCase {
    func testStartupMessageLayout() {
        let bytes = PostgresWire.startupMessage(user: "app", database: "db1")
        var cursor = ByteCursor(bytes)
        XCTAssertEqual(cursor.u32be().map(Int.init), bytes.count)
        XCTAssertEqual(cursor.u32be(), 196_608)
        var pairs: [String] = []
        while let text = cursor.cString(), !text.isEmpty { pairs.append(String(decoding: text, as: UTF8.self)) }
        XCTAssertEqual(pairs, ["user", "app", "database", "db1", "application_name", "postpatch"])
        XCTAssertTrue(cursor.isAtEnd)
    }

    func testTrustStartupCaptureReadsVersionUntilReady() throws {
        var bytes = try fixture("postgres-15-trust-startup.bin")
        var messages: [PostgresWire.Message] = []
        while case .done(let message, let consumed) = PostgresWire.decode(bytes) {
            messages.append(message)
            bytes.removeFirst(consumed)
        }
        XCTAssertTrue(bytes.isEmpty)
        XCTAssertEqual(messages.first, .authentication(code: 0, mechanisms: []))
        XCTAssertEqual(messages.last, .readyForQuery)
        XCTAssertTrue(messages.contains(.parameterStatus(name: "server_version", value: "15.18 (Debian 15.18-0+deb12u1)")))
    }

    func testScramCaptureListsMechanism() throws {
        let outcome = PostgresWire.decode(try fixture("postgres-15-scram-auth-request.bin"))
        guard case .done(.authentication(let code, let mechanisms), _) = outcome else {
            return XCTFail("not an authentication request: \(outcome)")
        }
        XCTAssertEqual(code, 10)
        XCTAssertEqual(mechanisms, ["SCRAM-SHA-256"])
        XCTAssertEqual(PostgresWire.authenticationName(code: code, mechanisms: mechanisms), "scram-sha-256")
        XCTAssertEqual(PostgresWire.authenticationName(code: 5, mechanisms: []), "md5")
        XCTAssertEqual(PostgresWire.authenticationName(code: 3, mechanisms: []), "password")
    }

    func testErrorCaptureIsUpWithMessage() throws {
        var bytes = try fixture("postgres-15-error-no-database.bin")
        guard case .done(_, let consumed) = PostgresWire.decode(bytes) else { return XCTFail("no auth ok") }
        bytes.removeFirst(consumed)
        guard case .error(let fields)? = decoded(PostgresWire.decode(bytes)) else { return XCTFail("no error") }
        XCTAssertEqual(fields["C"], "3D000")
        let outcome = PostgresProbe.outcome(forError: fields, version: nil)
        XCTAssertTrue(outcome.up)
        XCTAssertEqual(outcome.detail, "FATAL: database \"nope\" does not exist")
    }

    func testStartingUpServerIsDown() {
        let outcome = PostgresProbe.outcome(forError: ["S": "FATAL", "C": "57P03", "M": "the database system is starting up"],
                                            version: nil)
        XCTAssertFalse(outcome.up)
        XCTAssertEqual(outcome.error, "server is not accepting connections: the database system is starting up (SQLSTATE 57P03)")
    }

    func testPartialAndForeignBytes() throws {
        let scram = try fixture("postgres-15-scram-auth-request.bin")
        XCTAssertTrue(needsMore(PostgresWire.decode(Array(scram.prefix(7)))))
        XCTAssertTrue(isInvalid(PostgresWire.decode(Array("+PONG\r\n".utf8))))
        XCTAssertTrue(isInvalid(PostgresWire.decode([0x52, 0xFF, 0xFF, 0xFF, 0xFF])), "absurd length")
        XCTAssertTrue(isInvalid(PostgresWire.decode([0x52, 0, 0, 0, 5, 0x01])), "auth body too short")
    }
}
