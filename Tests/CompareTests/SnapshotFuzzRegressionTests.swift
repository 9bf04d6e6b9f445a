import Foundation
import Model
import XCTest

/// Replays the inputs scripts/fuzz kept under Tests/Fixtures/fuzz/SnapshotJSON/ through
/// SnapshotCoding.decode, as the Fuzz/SnapshotJSON.swift entry does: errors, never a crash.
final class SnapshotFuzzRegressionTests: XCTestCase {
    func testKeptInputsAndDegenerateOnesDoNotCrash() {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/fuzz/SnapshotJSON")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let kept = names.sorted().compactMap { FileManager.default.contents(atPath: folder.appendingPathComponent($0).path) }
        let odd = ["", "{", "[]", "{\"schemaVersion\":1}", "{\"schemaVersion\":1e999}", "{\"schemaVersion\":-1,\"host\":7}",
                   "{\"schemaVersion\":1,\"host\":\"h\",\"capturedAt\":\"not a date\"}", "\u{0}"].map { Data($0.utf8) }
        for input in odd + kept {
            _ = try? SnapshotCoding.decode(input)
        }
    }
}
