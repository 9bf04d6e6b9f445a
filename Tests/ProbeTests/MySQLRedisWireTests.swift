import XCTest
@testable import Probe

final class MySQLRedisWireTests: XCTestCase {
    func testMariaDBHandshakeCapture() throws {
        let bytes = try fixture("mariadb-10.11-handshake.bin")
        guard case .done(let greeting, let consumed) = MySQLWire.decodeGreeting(bytes) else { return XCTFail("undecoded") }
        XCTAssertEqual(consumed, bytes.count)
        XCTAssertEqual(greeting, .handshake(protocolVersion: 10, serverVersion: "10.11.19-MariaDB-0+deb12u1",
                                            authPlugin: "mysql_native_password"))
        XCTAssertTrue(needsMore(MySQLWire.decodeGreeting(Array(bytes.prefix(30)))))
    }

    func testMariaDBHostNotAllowedCapture() throws {
        let greeting = decoded(MySQLWire.decodeGreeting(try fixture("mariadb-10.11-err-host-not-allowed.bin")))
        XCTAssertEqual(greeting, .error(code: 1130, message: "Host '127.0.0.1' is not allowed to connect to this MariaDB server"))
    }

    func testMySQLVersionsKeepTheirText() {
        XCTAssertEqual(MySQLWire.displayVersion("8.0.36-0ubuntu0.22.04.1"), "8.0.36-0ubuntu0.22.04.1")
        XCTAssertEqual(MySQLWire.displayVersion("5.5.5-10.6.16-MariaDB"), "10.6.16-MariaDB")
    }

    func testForeignBytesAreNotMySQL() {
        XCTAssertTrue(isInvalid(MySQLWire.decodeGreeting(Array("-NOAUTH Authentication required.\r\n".utf8))))
        XCTAssertTrue(isInvalid(MySQLWire.decodeGreeting(Array("SSH-2.0-OpenSSH_9.2p1\r\n".utf8))))
        XCTAssertTrue(isInvalid(MySQLWire.decodeGreeting([5, 0, 0, 0, 0x0A, 0x41, 0x42, 0x43, 0x44])), "version without NUL")
    }

    func testRedisCaptures() throws {
        XCTAssertEqual(decoded(RedisWire.decode(try fixture("redis-7.0-pong.bin"))), .simple("PONG"))
        XCTAssertEqual(decoded(RedisWire.decode(try fixture("redis-7.0-noauth.bin"))), .error("NOAUTH Authentication required."))
        XCTAssertEqual(decoded(RedisWire.decode(try fixture("redis-7.0-wrongpass.bin"))),
                       .error("WRONGPASS invalid username-password pair or user is disabled."))
        let info = try fixture("redis-7.0-info-server.bin")
        guard case .done(.bulk(let text?), let consumed) = RedisWire.decode(info) else { return XCTFail("no bulk") }
        XCTAssertEqual(consumed, info.count)
        XCTAssertEqual(RedisWire.version(fromInfo: text), "7.0.15")
        XCTAssertTrue(needsMore(RedisWire.decode(Array(info.prefix(100)))))
    }

    func testRedisCommandEncoding() {
        XCTAssertEqual(String(decoding: RedisWire.command(["INFO", "server"]), as: UTF8.self), "*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n")
    }

    func testRedisForeignBytes() {
        XCTAssertTrue(isInvalid(RedisWire.decode([0x52, 0, 0, 0, 8, 0, 0, 0, 0])), "a PostgreSQL AuthenticationOk")
        XCTAssertTrue(isInvalid(RedisWire.decode(Array("$99999999999\r\n".utf8))))
        XCTAssertTrue(isInvalid(RedisWire.decode(Array("$3\r\nabcde".utf8))), "bulk not ended by CRLF")
        XCTAssertEqual(decoded(RedisWire.decode(Array("$-1\r\n".utf8))), .bulk(nil))
    }

    func testSanitizeKeepsTextPrintableAndShort() {
        XCTAssertEqual(Sanitize.text(Array("ok\u{1B}[31mred\r\nnext".utf8)), "ok.[31mred..next")
        XCTAssertEqual(Sanitize.text(String(repeating: "a", count: 500)).count, 201)
        XCTAssertEqual(Sanitize.text([0xFF, 0x41]), ".A")
        XCTAssertEqual(Sanitize.firstLine(Array("SSH-2.0-x\r\nmore".utf8)), "SSH-2.0-x")
        XCTAssertEqual(Sanitize.redact("AUTH s3cret failed for s3cret", secrets: ["s3cret"]), "AUTH *** failed for ***")
    }
}
