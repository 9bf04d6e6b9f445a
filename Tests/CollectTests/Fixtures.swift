import Foundation
import TestSupport

/// Paths to the captures the parser tests read: the shared real fixtures
/// (`<root>/../shared/fixtures/real/`) and this machine's own (`Tests/Fixtures/collect/`).
enum Fixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func real(_ name: String) throws -> String {
        try read(packageRoot.appendingPathComponent("../shared/fixtures/real/\(name)"))
    }

    static func local(_ name: String) throws -> String {
        try read(packageRoot.appendingPathComponent("Tests/Fixtures/collect/\(name)"))
    }

    static func read(_ url: URL) throws -> String {
        guard let data = FileManager.default.contents(atPath: url.standardizedFileURL.path) else {
            throw LabSkip.missing("fixture \(url.standardizedFileURL.path) is missing",
                                  fix: "the real captures live in ../shared/fixtures/real, next to the checkout")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
