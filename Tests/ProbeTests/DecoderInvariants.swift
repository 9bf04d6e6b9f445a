import Model
import XCTest
@testable import Probe

/// What every decoder must do with any bytes, beyond not crashing: a decoded value consumed at
/// least one byte and no more than it was given, and text made of server bytes is one printable,
/// bounded line (Sanitize's promise, which banners and versions rely on). FuzzTests and
/// ProbeFuzzRegressionTests feed it random, mutated and kept inputs.
enum DecoderInvariants {
    /// Every decoder and text maker over `bytes`, each answer checked.
    static func decodeWithAll(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        consumed(PostgresWire.decode(bytes), of: bytes, "PostgresWire.decode", file: file, line: line)
        consumed(MySQLWire.decodeGreeting(bytes), of: bytes, "MySQLWire.decodeGreeting", file: file, line: line)
        let redis = RedisWire.decode(bytes)
        consumed(redis, of: bytes, "RedisWire.decode", file: file, line: line)
        if case .done(.bulk(let text?), _) = redis, let version = RedisWire.version(fromInfo: text) {
            oneLine(version, "RedisWire.version", file: file, line: line)
        }
        consumed(TDSWire.decodeResponse(bytes), of: bytes, "TDSWire.decodeResponse", file: file, line: line)
        _ = TDSWire.parsePrelogin(bytes)
        oneLine(Sanitize.text(bytes), "Sanitize.text", file: file, line: line)
        oneLine(Sanitize.firstLine(bytes), "Sanitize.firstLine", file: file, line: line)
    }

    /// A `.done` answer consumed 1...bytes.count bytes: nothing is decoded from nothing, and no
    /// decoder claims bytes it was not given.
    static func consumed<Value>(_ decoded: Decoded<Value>, of bytes: [UInt8], _ what: String,
                                file: StaticString = #filePath, line: UInt = #line) {
        guard case .done(_, let consumed) = decoded else { return }
        XCTAssertTrue(consumed >= 1 && consumed <= bytes.count, "\(what) consumed \(consumed) of \(bytes.count) bytes",
                      file: file, line: line)
    }

    /// `text` is printable (no control character: no terminal escape, no forged report line) and
    /// at most Sanitize's limit long (plus its "…").
    static func oneLine(_ text: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let scalars = text.unicodeScalars
        XCTAssertLessThanOrEqual(scalars.count, Sanitize.defaultLimit + 1, "\(what): \(scalars.count) characters", file: file, line: line)
        XCTAssertFalse(scalars.contains { $0.properties.generalCategory == .control }, "\(what): \(text.debugDescription)",
                       file: file, line: line)
    }

    /// A banner's line is one printable, bounded line and it names a protocol.
    static func banner(_ banner: BannerInfo?, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let banner else { return }
        oneLine(banner.line, what, file: file, line: line)
        XCTAssertFalse(banner.proto.isEmpty, "\(what): a banner without a protocol", file: file, line: line)
    }
}
