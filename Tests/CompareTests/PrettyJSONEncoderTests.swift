import Foundation
import Model
import XCTest
import TestSupport

/// PrettyJSONEncoder writes exactly what JSONEncoder (pretty, sorted keys, slashes unescaped,
/// ISO 8601 dates) writes: snapshot and report files stay byte for byte what they were.
final class PrettyJSONEncoderTests: XCTestCase {
    struct Everything: Codable {
        var text: [String]
        var doubles: [Double]
        var floats: [Float]
        var ints: [Int64]
        var small: [UInt8]
        var flags: [Bool]
        var maybe: [String?]
        var absent: Int?
        var empty: [String: Int]
        var emptyList: [[Int]]
        var keys: [String: Int]
        var when: Date
        var nested: [String: [String: [Int]]]
    }

    func same<T: Encodable>(_ value: T, file: StaticString = #filePath, line: UInt = #line) throws {
        let theirs = String(decoding: try SnapshotCoding.encoder().encode(value), as: UTF8.self)
        let ours = String(decoding: try PrettyJSONEncoder().encode(value), as: UTF8.self)
        XCTAssertEqual(ours, theirs, file: file, line: line)
    }

    func testScalarsStringsKeysAndEmptyContainers() throws {
        var hostile = (0..<128).map { String(UnicodeScalar(UInt8($0))) }.joined()
        hostile += "é\u{2028}\u{2029}\u{85}\u{FEFF}/😀\\\"\u{1b}[31m"
        let value = Everything(
            text: [hostile, "", "plain", "a/b"],
            doubles: [1.0, 0.5, 4.92383201, 1e21, 1e-7, 123456789.123, -0.0, 100, 1e16, 0.1, 2.5e-5, 1e15, 3e300],
            floats: [1.5, 0.1], ints: [Int64.min, -1, 0, Int64.max], small: [0, 255], flags: [true, false],
            maybe: ["x", nil], absent: nil, empty: [:], emptyList: [[], [1]],
            keys: ["b": 1, "a": 2, "B": 3, "a_b": 4, "aB": 5, "a1": 6, "A": 7, "é": 8, "10": 14, "9": 15, "a b": 13],
            when: Date(timeIntervalSince1970: 1_764_000_000.6),
            nested: ["x": ["y": []], "": [:]])
        try same(value)
        try same([value, value])
        try same("top")
        try same([String: Int]())
    }

    /// Every snapshot kept as a fuzz input or fixture, read and written both ways.
    func testKeptSnapshotsEncodeTheSame() throws {
        let folders = ["Tests/Fixtures/schema/b4d43cb", "Tests/CompareTests/Fixtures", "Tests/Fixtures/fuzz/SnapshotJSON"]
        var compared = 0
        for folder in folders {
            let dir = FuzzCorpus.packageRoot.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".json") {
                guard let snapshot = try? SnapshotCoding.decode(Data(contentsOf: dir.appendingPathComponent(name))) else { continue }
                try same(snapshot)
                compared += 1
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 5)
    }
}
