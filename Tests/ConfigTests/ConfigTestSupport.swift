import XCTest
@testable import Config

/// The package root, found from this file: Tests/ConfigTests/<file>.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

let configPath = "checks/postpatch.yaml"

/// Asserts that `yaml` fails to load with exactly `expected` (the whole `file:line:col: message`).
func assertConfigError(_ yaml: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try ConfigFile.parse(yaml: yaml, path: configPath), file: file, line: line) { error in
        XCTAssertTrue(error is ConfigError, "\(type(of: error))", file: file, line: line)
        XCTAssertEqual("\(error)", expected, file: file, line: line)
    }
}

func parse(_ yaml: String) throws -> ConfigFile {
    try ConfigFile.parse(yaml: yaml, path: configPath)
}
