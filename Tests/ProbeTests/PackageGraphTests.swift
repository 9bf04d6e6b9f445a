import Foundation
import TestSupport
import XCTest

/// Package.swift says what the code imports: every module a target's files import is a declared
/// dependency of that target (SwiftPM on Linux lets a target import any module built before it,
/// which is how the CLI once imported Collect undeclared).
final class PackageGraphTests: XCTestCase {
    /// Modules that come with the toolchain, which no target declares.
    static let toolchain: Set<String> = ["Foundation", "FoundationXML", "FoundationNetworking", "XCTest", "Glibc",
                                         "Darwin", "Dispatch", "Synchronization"]

    /// Target name -> (folder, declared dependencies), read from Package.swift's target lines.
    static func targets(in manifest: String) throws -> [String: (folder: String, dependencies: Set<String>)] {
        let target = try Regex(#"\.(target|testTarget|executableTarget|systemLibrary)\(name: "([A-Za-z0-9]+)""#)
        var found: [String: (String, Set<String>)] = [:]
        for match in manifest.matches(of: target) {
            let kind = String(match.output[1].substring ?? ""), name = String(match.output[2].substring ?? "")
            // The declaration runs to the next target (or the end of the list).
            let rest = manifest[match.range.upperBound...]
            let end = rest.firstMatch(of: target)?.range.lowerBound ?? rest.endIndex
            let body = rest[..<end]
            let quoted = body.matches(of: #/"([A-Za-z0-9]+)"/#).map { String($0.output.1) }
            let path = body.firstMatch(of: #/path: "([^"]+)"/#).map { String($0.output.1) }
            let folder = path ?? (kind == "testTarget" ? "Tests/\(name)" : "Sources/\(name)")
            found[name] = (folder, Set(quoted))
        }
        return found
    }

    func testEveryImportIsADeclaredDependency() throws {
        let root = FuzzCorpus.packageRoot
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let targets = try Self.targets(in: manifest)
        XCTAssertGreaterThan(targets.count, 15, "Package.swift's targets were not read")
        let importLine = #/^(?:@testable )?import ([A-Za-z0-9_]+)$/#
        var undeclared: [String] = []
        for (name, target) in targets.sorted(by: { $0.key < $1.key }) {
            let folder = root.appendingPathComponent(target.folder)
            let files = (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".swift") }
            for file in files {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    guard let module = line.firstMatch(of: importLine)?.output.1 else { continue }
                    let imported = String(module)
                    if imported != name, !Self.toolchain.contains(imported), !target.dependencies.contains(imported) {
                        undeclared.append("\(target.folder)/\(file) imports \(imported), which \(name) does not declare")
                    }
                }
            }
        }
        XCTAssertEqual(undeclared, [], "declare them in Package.swift (and in its layer comment)")
    }
}
