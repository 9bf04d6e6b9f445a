import Foundation
import XCTest
import LabKit
import TestSupport
@testable import Probe

/// Replays the inputs scripts/fuzz kept under Tests/Fixtures/fuzz/<Target>/ for the database
/// wire decoders and the banner parser, through the same calls as the Fuzz/<Target>.swift entries: none may crash.
final class ProbeFuzzRegressionTests: XCTestCase {
    static let targets: [String: ([UInt8]) -> Void] = [
        "MySQL": { _ = MySQLWire.decodeGreeting($0) },
        "Postgres": { _ = PostgresWire.decode($0) },
        "Redis": { bytes in
            if case .done(let reply, _) = RedisWire.decode(bytes) { _ = RedisWire.describe(reply) }
            _ = RedisWire.version(fromInfo: bytes)
        },
        "Banner": { bytes in
            _ = BannerParser.parse(bytes)
            _ = BannerParser.parse(bytes, port: 21)
            _ = BannerParser.parse(bytes, after: .redis)
            _ = BannerParser.parse(bytes, after: .postgres)
            _ = BannerParser.isComplete(bytes, limit: 16384)
        },
        "TDS": { bytes in
            _ = TDSWire.decodeResponse(bytes)
            _ = TDSWire.parsePrelogin(bytes)
        },
    ]

    func testKeptInputsDoNotCrash() {
        FuzzCorpus.replay(Self.targets)
    }

    func testDegenerateInputsDoNotCrash() {
        let odd: [[UInt8]] = [[], [0], [0xFF], Array(repeating: 0xFF, count: 64), [0x0A, 0x00, 0x00, 0x00, 0x0A],
                              [0x52, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00], Array("*2\r\n$-1\r\n:9\r\n".utf8),
                              [0x04, 0x01, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00]]
        for (_, run) in Self.targets {
            for input in odd { run(input) }
        }
    }
}
