import Foundation
import TestSupport
import Model
import XCTest

/// Replays the inputs kept under Tests/Fixtures/fuzz/SnapshotJSON/ through SnapshotCoding.decode,
/// as the Fuzz/SnapshotJSON.swift entry does: errors, never a crash.
final class SnapshotFuzzRegressionTests: XCTestCase {
    static let entry: ([UInt8]) -> Void = { _ = try? SnapshotCoding.decode(Data($0)) }

    func testKeptInputsDoNotCrash() {
        FuzzCorpus.replay(["SnapshotJSON": Self.entry])
    }

    func testDegenerateInputsDoNotCrash() {
        let odd = ["", "{", "[]", "{\"schemaVersion\":1}", "{\"schemaVersion\":1e999}", "{\"schemaVersion\":-1,\"host\":7}",
                   "{\"schemaVersion\":1,\"host\":\"h\",\"capturedAt\":\"not a date\"}", "\u{0}"]
        for input in odd { Self.entry(Array(input.utf8)) }
    }
}
