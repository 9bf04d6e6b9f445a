import LabKit
import Model
import XCTest
@testable import Probe

/// The Redis probe against real redis-server instances started by LabKit.
final class RedisProbeTests: XCTestCase {
    func testOpenRedisReportsItsVersion() async throws {
        let lab = try await RedisLab.start()
        let result = await probe(DatabaseCheck(name: "cache", kind: .redis, address: lab.host, port: lab.port, timeout: 5))
        XCTAssertTrue(result.up, result.error ?? "")
        XCTAssertEqual(result.version, lab.version)
        XCTAssertNil(result.detail)
        XCTAssertNotNil(result.latencyMs)

        let plain = await probe(DatabaseCheck(name: "cache-port", kind: .tcp, address: lab.host, port: lab.port, timeout: 3))
        XCTAssertTrue(plain.up)
        XCTAssertNil(plain.error)
        await lab.stop()
    }

    func testPasswordProtectedRedis() async throws {
        let lab = try await RedisLab.start(requirePassword: true)
        let password = try XCTUnwrap(lab.password)
        let check = DatabaseCheck(name: "cache", kind: .redis, address: lab.host, port: lab.port,
                                  passwordEnv: "REDIS_PASSWORD", timeout: 5)

        let good = await probe(check, environment: ["REDIS_PASSWORD": password])
        XCTAssertTrue(good.up, good.error ?? "")
        XCTAssertEqual(good.version, lab.version)
        XCTAssertEqual(good.detail, "authenticated")

        let wrong = await probe(check, environment: ["REDIS_PASSWORD": "not-" + password])
        XCTAssertTrue(wrong.up, "NOAUTH still proves Redis answers")
        XCTAssertNil(wrong.version)
        XCTAssertEqual(wrong.detail, "AUTH rejected: WRONGPASS invalid username-password pair or user is disabled.; "
                       + "NOAUTH Authentication required.")

        let none = await probe(check, environment: [:])
        XCTAssertTrue(none.up)
        XCTAssertEqual(none.detail, "password variable REDIS_PASSWORD is not set; probed without AUTH; "
                       + "NOAUTH Authentication required.")

        var noPasswordEnv = check
        noPasswordEnv.passwordEnv = nil
        let anonymous = await probe(noPasswordEnv)
        XCTAssertTrue(anonymous.up)
        XCTAssertEqual(anonymous.detail, "NOAUTH Authentication required.")

        for result in [good, wrong, none, anonymous] {
            XCTAssertFalse(allText(result).contains(password), "the password leaked into \(result)")
        }
        await lab.stop()
    }

    func testRedisProbeOnAPostgresPortSaysSo() async throws {
        let lab = try await PostgresLab.start(auth: .trust)
        let result = await probe(DatabaseCheck(name: "wrong", kind: .redis, address: lab.host, port: lab.port, timeout: 3))
        XCTAssertFalse(result.up)
        let error = result.error ?? ""
        XCTAssertTrue(error.hasPrefix("port \(lab.port) "), error)
        XCTAssertTrue(error.contains("like Redis"), error)
        await lab.stop()
    }
}
