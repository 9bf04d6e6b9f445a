import Foundation
import XCTest

/// The inputs kept under Tests/Fixtures/fuzz/<Target>/ (seeds from real captures, copied by
/// `scripts/fuzz --keep-seeds`, and every input a fuzz run found crashing), replayed by each test
/// target's FuzzRegressionTests through the same calls as Fuzz/<Target>.swift.
public enum FuzzCorpus {
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let folder = packageRoot.appendingPathComponent("Tests/Fixtures/fuzz")

    /// One name per Fuzz/<Target>.swift entry.
    public static var targets: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("Fuzz").path)) ?? []
        return names.filter { $0.hasSuffix(".swift") }.map { String($0.dropLast(6)) }.sorted()
    }

    /// The file names kept for `target`, sorted.
    public static func files(of target: String) -> [String] {
        let dir = folder.appendingPathComponent(target).path
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Runs every kept input of every target in `entries` through its entry and asserts that each
    /// target has inputs and that all of them were replayed: an empty or unread folder fails.
    public static func replay(_ entries: [String: ([UInt8]) -> Void], file: StaticString = #filePath, line: UInt = #line) {
        for (target, run) in entries.sorted(by: { $0.key < $1.key }) {
            let names = files(of: target)
            var replayed = 0
            for name in names {
                guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("\(target)/\(name)").path) else { continue }
                run([UInt8](data))
                replayed += 1
            }
            XCTAssertGreaterThan(replayed, 0, "no kept input for \(target): run `scripts/fuzz --keep-seeds \(target)`", file: file, line: line)
            XCTAssertEqual(replayed, names.count, "\(target): \(names.count - replayed) kept inputs could not be read", file: file, line: line)
        }
    }

    /// Adapts an entry that takes text (invalid UTF-8 becomes U+FFFD, as in Fuzz/Support/FuzzInput.swift).
    public static func text(_ entry: @escaping (String) -> Void) -> ([UInt8]) -> Void {
        { entry(String(decoding: $0, as: UTF8.self)) }
    }
}
