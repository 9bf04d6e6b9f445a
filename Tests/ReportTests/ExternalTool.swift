import Foundation
import XCTest

/// Runs a command-line tool the tests validate against (xmllint, chromium), from a synchronous
/// test: blocking in waitUntilExit is fine here, no Swift concurrency pool is involved.
enum ExternalTool {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static func path(_ name: String) -> String? {
        for dir in ["/usr/bin", "/usr/local/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        return nil
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// The tool's path, or a skip naming the Debian package. Under CI=true a missing tool is a
    /// failure when `requiredInCI`: CI must not go green by skipping the validation.
    static func require(_ name: String, package: String, requiredInCI: Bool = true) throws -> String {
        if let p = path(name) { return p }
        let message = "\(name) not installed: apt-get install -y \(package)"
        if requiredInCI, ProcessInfo.processInfo.environment["CI"] == "true" {
            throw Missing(description: message + " (required under CI=true)")
        }
        throw XCTSkip(message)
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Drain stderr on its own thread: a tool filling one pipe while we read the other would hang.
        let errBox = DataBox()
        let errReader = Thread { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); errBox.done.signal() }
        errReader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errBox.done.wait()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errBox.data, as: UTF8.self))
    }

    private final class DataBox: @unchecked Sendable {
        var data = Data()
        let done = DispatchSemaphore(value: 0)
    }

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
