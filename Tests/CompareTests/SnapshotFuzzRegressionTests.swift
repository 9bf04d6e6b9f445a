import Foundation
import TestSupport
import Model
import XCTest

/// Replays the inputs kept under Tests/Fixtures/fuzz/SnapshotJSON/ through SnapshotCoding.decode,
/// as the Fuzz/SnapshotJSON.swift entry does: errors, never a crash, and what decodes is a
/// snapshot that writes and reads back as itself.
final class SnapshotFuzzRegressionTests: XCTestCase {
    /// Decodes `bytes`; a snapshot that decoded must survive encode + decode unchanged.
    static func check(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> Snapshot? {
        guard let snapshot = try? SnapshotCoding.decode(Data(bytes)) else { return nil }
        do {
            let again = try SnapshotCoding.decode(SnapshotCoding.encode(snapshot))
            XCTAssertEqual(again, snapshot, "a decoded snapshot changed when written and read back", file: file, line: line)
        } catch {
            XCTFail("a decoded snapshot could not be written and read back: \(error)", file: file, line: line)
        }
        return snapshot
    }

    static let entry: ([UInt8]) -> Void = { _ = check($0) }

    func testKeptInputsDecodeToSnapshotsThatRoundTrip() {
        FuzzCorpus.replay(["SnapshotJSON": Self.entry])
    }

    /// None of these is a snapshot: each is an error, not a half-filled value.
    func testDegenerateInputsAreErrors() {
        let odd = ["", "{", "[]", "{\"schemaVersion\":1e999}", "{\"schemaVersion\":-1,\"host\":7}",
                   "{\"schemaVersion\":1,\"host\":\"h\",\"capturedAt\":\"not a date\"}", "\u{0}"]
        for input in odd {
            XCTAssertNil(Self.check(Array(input.utf8)), input.debugDescription)
        }
        // A bare schema version may read as an old, empty snapshot; if it does, it round-trips.
        _ = Self.check(Array("{\"schemaVersion\":1}".utf8))
    }
}
