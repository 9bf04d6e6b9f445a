import Foundation
import XCTest
@testable import Probe

/// Replays the inputs scripts/fuzz kept under Tests/Fixtures/fuzz/<Target>/ for the database
/// wire decoders, through the same calls as the Fuzz/<Target>.swift entries: none may crash.
final class ProbeFuzzRegressionTests: XCTestCase {
    static let targets: [String: ([UInt8]) -> Void] = [
        "MySQL": { _ = MySQLWire.decodeGreeting($0) },
        "Postgres": { _ = PostgresWire.decode($0) },
        "Redis": { bytes in
            if case .done(let reply, _) = RedisWire.decode(bytes) { _ = RedisWire.describe(reply) }
            _ = RedisWire.version(fromInfo: bytes)
        },
        "TDS": { bytes in
            _ = TDSWire.decodeResponse(bytes)
            _ = TDSWire.parsePrelogin(bytes)
        },
    ]

    static let fuzzFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz")

    func testKeptInputsAndDegenerateOnesDoNotCrash() {
        let odd: [[UInt8]] = [[], [0], [0xFF], Array(repeating: 0xFF, count: 64), [0x0A, 0x00, 0x00, 0x00, 0x0A],
                              [0x52, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00], Array("*2\r\n$-1\r\n:9\r\n".utf8),
                              [0x04, 0x01, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00]]
        for (target, run) in Self.targets {
            for input in odd + Self.inputs(of: target) { run(input) }
        }
    }

    static func inputs(of target: String) -> [[UInt8]] {
        let folder = fuzzFolder.appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { FileManager.default.contents(atPath: folder.appendingPathComponent($0).path) }.map { [UInt8]($0) }
    }
}
