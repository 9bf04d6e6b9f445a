import TestSupport
import XCTest
@testable import Probe

/// Every decoder fed seeded random bytes and mutated real captures returns, never claims bytes it
/// was not given, and makes only printable, bounded text (DecoderInvariants).
final class FuzzTests: XCTestCase {

    /// Every decoder over `bytes`, its answers checked (DecoderInvariants).
    static func decodeWithAll(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        DecoderInvariants.decodeWithAll(bytes, file: file, line: line)
    }

    func testRandomBytes() {
        var random = Seeded(state: 20_240_601)
        for round in 0..<3000 {
            let length = Int.random(in: 0...(round % 10 == 0 ? 600 : 64), using: &random)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            // Give the decoders a plausible first byte often, so they get past the type check.
            if !bytes.isEmpty && round % 2 == 0 {
                bytes[0] = [0x52, 0x45, 0x53, 0x5A, 0x0A, 0xFF, 0x2B, 0x2D, 0x24, 0x2A, 0x04][round % 11]
            }
            Self.decodeWithAll(bytes)
        }
    }

    func testMutatedCaptures() throws {
        let captures = try ["mariadb-10.11-handshake.bin", "mariadb-10.11-err-host-not-allowed.bin",
                            "postgres-15-trust-startup.bin", "postgres-15-scram-auth-request.bin",
                            "postgres-15-error-no-database.bin", "redis-7.0-info-server.bin",
                            "redis-7.0-noauth.bin"].map { try fixture($0) }
            + [TDSWireTests.response2019, [TDSWire.responseType] + TDSWireTests.sstdsRequest.dropFirst()]
        var random = Seeded(state: 7)
        for capture in captures {
            for _ in 0..<400 {
                var bytes = capture
                for _ in 0..<Int.random(in: 1...4, using: &random) where !bytes.isEmpty {
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    bytes[index] = UInt8.random(in: 0...255, using: &random)
                }
                Self.decodeWithAll(bytes)
                Self.decodeWithAll(Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random))))
            }
        }
    }
}
