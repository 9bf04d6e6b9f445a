import Foundation

/// Runs a shell on this machine the way a host would: the script arrives on stdin (`sh -s`),
/// the way an SSH exec channel feeds it.
struct ShellRun {
    var stdout: [UInt8]
    var stderr: String
    var status: Int32
    var wallSeconds: Double
}

enum ShellRunner {
    /// `/usr/bin/env` resolves the shell on PATH; nil when it is not installed.
    static func path(of tool: String) -> String? {
        for dir in ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"] {
            let p = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    static func run(_ argv: [String], stdin script: String, environment: [String: String]? = nil) throws -> ShellRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0])
        process.arguments = Array(argv.dropFirst())
        if let environment { process.environment = environment }
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        let start = Date()
        try process.run()
        // Read both pipes on their own threads so neither fills up and blocks the shell.
        let box = Collected()
        let group = DispatchGroup()
        group.enter()
        Thread { box.out = output.fileHandleForReading.readDataToEndOfFile(); group.leave() }.start()
        group.enter()
        Thread { box.err = errors.fileHandleForReading.readDataToEndOfFile(); group.leave() }.start()
        input.fileHandleForWriting.write(Data(script.utf8))
        try input.fileHandleForWriting.close()
        group.wait()
        process.waitUntilExit()
        return ShellRun(stdout: [UInt8](box.out), stderr: String(decoding: box.err, as: UTF8.self),
                        status: process.terminationStatus, wallSeconds: Date().timeIntervalSince(start))
    }
}

/// Each field is written by one reader thread and read after `group.wait()`.
private final class Collected: @unchecked Sendable {
    var out = Data()
    var err = Data()
}
