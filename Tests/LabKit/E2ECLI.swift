import Foundation
import TestSupport

/// The built `postpatch` binary, run as a user would run it, for end-to-end tests of exit codes
/// and report files. Spawned with posix_spawn (through `LabProcess`) on a thread of its own, never
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
        try requireBinary()
        let r = try await LabProcess.onThread("postpatch \(arguments.first ?? "")") {
            try LabProcess.runBlocking("/usr/bin/timeout", ["-k", "5", String(timeout.components.seconds), "/usr/bin/env", "-C", directory, bin] + arguments,
                          env: environment.merging(["NO_COLOR": "1", "SSH_AUTH_SOCK": ""]) { a, _ in a })
        }
        return Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    /// Skips locally (fails under CI=true) when the binary is not built.
    public static func requireBinary() throws {
        try LabSkip.unless(FileManager.default.isExecutableFile(atPath: binary), "\(binary) is not built",
                           fix: "run `swift build` (scripts/test builds it)")
    }

    /// `xmllint --noout --schema xsd file`: nil when valid, else xmllint's complaint.
    public static func validate(_ file: String, schema: String) async throws -> String? {
        try LabSkip.require("/usr/bin/xmllint", package: "libxml2-utils")
        try LabSkip.unless(FileManager.default.fileExists(atPath: schema), "schema \(schema) is missing",
                           fix: "it comes with the shared fixtures (../shared/schemas)")
        let r = try await LabProcess.onThread("xmllint") { try LabProcess.runBlocking("/usr/bin/xmllint", ["--noout", "--schema", schema, file]) }
        return r.status == 0 ? nil : r.stderr + r.stdout
    }
}
