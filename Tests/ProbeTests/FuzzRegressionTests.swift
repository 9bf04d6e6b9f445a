import XCTest
import TestSupport
@testable import Probe

/// Replays the inputs scripts/fuzz kept under Tests/Fixtures/fuzz/<Target>/ for the database
/// wire decoders and the banner parser, through the same calls as the Fuzz/<Target>.swift entries:
/// none may crash, claim bytes it was not given, or make text that is not one printable bounded line.
final class ProbeFuzzRegressionTests: XCTestCase {
    static let targets: [String: ([UInt8]) -> Void] = [
        "MySQL": { DecoderInvariants.consumed(MySQLWire.decodeGreeting($0), of: $0, "MySQL") },
        "Postgres": { DecoderInvariants.consumed(PostgresWire.decode($0), of: $0, "Postgres") },
        "Redis": { bytes in
            let decoded = RedisWire.decode(bytes)
            DecoderInvariants.consumed(decoded, of: bytes, "Redis")
            if case .done(let reply, _) = decoded { DecoderInvariants.oneLine(RedisWire.describe(reply), "Redis reply") }
            if let version = RedisWire.version(fromInfo: bytes) { DecoderInvariants.oneLine(version, "Redis version") }
        },
        "Banner": { bytes in
            DecoderInvariants.banner(BannerParser.parse(bytes), "Banner")
            DecoderInvariants.banner(BannerParser.parse(bytes, port: 21), "Banner on port 21")
            DecoderInvariants.banner(BannerParser.parse(bytes, after: .redis), "Banner after redis")
            DecoderInvariants.banner(BannerParser.parse(bytes, after: .postgres), "Banner after postgres")
            if bytes.count > 16384 { XCTAssertTrue(BannerParser.isComplete(bytes, limit: 16384), "over the limit is complete") }
        },
        "TDS": { bytes in
            DecoderInvariants.consumed(TDSWire.decodeResponse(bytes), of: bytes, "TDS")
            _ = TDSWire.parsePrelogin(bytes)
        },
    ]

    func testKeptInputsDecodeWithinTheirBytes() {
        FuzzCorpus.replay(Self.targets)
    }

    func testDegenerateInputsDecodeToNothingWrong() {
        let odd: [[UInt8]] = [[], [0], [0xFF], Array(repeating: 0xFF, count: 64), [0x0A, 0x00, 0x00, 0x00, 0x0A],
                              [0x52, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00], Array("*2\r\n$-1\r\n:9\r\n".utf8),
                              [0x04, 0x01, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00]]
        for (_, run) in Self.targets {
            for input in odd { run(input) }
        }
        // Nothing decodes from nothing.
        XCTAssertFalse(BannerParser.isComplete([], limit: 16384))
        for decoded in [PostgresWire.decode([]).isDone, MySQLWire.decodeGreeting([]).isDone, RedisWire.decode([]).isDone,
                        TDSWire.decodeResponse([]).isDone] {
            XCTAssertFalse(decoded)
        }
    }
}

private extension Decoded {
    var isDone: Bool { if case .done = self { return true } else { return false } }
}
