import Foundation
import XCTest

/// The built `postpatch` binary, run as a user would run it, for end-to-end tests of exit codes
/// and report files. Spawned with posix_spawn (through `Shell`) on a thread of its own, never
/// with Foundation's Process.
public enum PostPatchCLI {
    /// The package root: Tests/LabKit/E2ECLI.swift is three levels down.
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `<root>/.build/debug/postpatch`, as `swift build` / `swift test` leave it.
    public static var binary: String { packageRoot.appendingPathComponent(".build/debug/postpatch").path }

    /// `<root>/../shared/schemas`: the JUnit XSDs CI tools validate against.
    public static var schemas: URL { packageRoot.deletingLastPathComponent().appendingPathComponent("shared/schemas") }

    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `postpatch arguments` in `directory` (so no checks/postpatch.yaml of the package is
    /// picked up), without colours and without an SSH agent, with `environment` added.
    public static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:],
                           timeout: Duration = .seconds(180)) async throws -> Result {
        let bin = binary
        guard FileManager.default.isExecutableFile(atPath: bin) else {
            let message = "\(bin) is not built: run `swift build` (scripts/test builds it)"
            if LabProcess.isCI { throw LabError(message + " (CI=true, so this fails instead of skipping)") }
            throw XCTSkip(message)
        }
        let r = try await LabProcess.onThread("postpatch \(arguments.first ?? "")") {
            try Shell.run("/usr/bin/timeout", ["-k", "5", String(timeout.components.seconds), "/usr/bin/env", "-C", directory, bin] + arguments,
                          env: environment.merging(["NO_COLOR": "1", "SSH_AUTH_SOCK": ""]) { a, _ in a })
        }
        return Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    /// `xmllint --noout --schema xsd file`: nil when valid, else xmllint's complaint.
    public static func validate(_ file: String, schema: String) async throws -> String? {
        try LabProcess.require("/usr/bin/xmllint", package: "libxml2-utils")
        guard FileManager.default.fileExists(atPath: schema) else {
            let message = "schema \(schema) is missing"
            if LabProcess.isCI { throw LabError(message) }
            throw XCTSkip(message)
        }
        let r = try await LabProcess.onThread("xmllint") { try Shell.run("/usr/bin/xmllint", ["--noout", "--schema", schema, file]) }
        return r.status == 0 ? nil : r.stderr + r.stdout
    }
}
