import Foundation

/// Where the report tests put what they validate with command-line tools (xmllint, chromium,
/// cmark-gfm: found with `LabSkip.tool`, run with `LabProcess.runBlocking`, both in TestSupport).
enum ExternalTool {
    /// A fresh directory under the system temporary directory.
    static func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("postpatch-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `<package root>/../shared`: the read-only schemas and fixtures.
    static var sharedDir: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")
    }
}
