import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// What a shell run printed, how it ended, how long it took.
struct ShellRun {
    var stdout: [UInt8]
    var stderr: String
    var status: Int32
    var wallSeconds: Double
}

/// Runs a shell on this machine the way a host would: the script arrives on stdin (`sh -s`),
/// as an SSH exec channel feeds it (through `LabProcess.spawnPiped`, the test support's runner).
enum ShellRunner {
    /// `dash -s`: the shell of Debian's /bin/sh (missing: skipped locally, a failure under CI=true).
    static func dash() throws -> [String] { [try LabSkip.tool("dash", package: "dash"), "-s"] }

    /// The two shells every script test runs under: dash and busybox ash (the smallest hosts' shell).
    static func shells() throws -> [[String]] {
        [try dash(), [try LabSkip.tool("busybox", package: "busybox"), "sh", "-s"]]
    }

    static func run(_ argv: [String], stdin script: String) throws -> ShellRun {
        let start = Date()
        let child = try LabProcess.spawnPiped(argv)
        let box = Collected()
        let group = DispatchGroup()
        for (fd, keyPath) in [(child.stdoutFD, \Collected.out), (child.stderrFD, \Collected.err)] {
            group.enter()
            Thread { box[keyPath: keyPath] = PipedChild.readAll(fd); group.leave() }.start()
        }
        PipedChild.writeAll(child.stdinFD, Array(script.utf8))
        close(child.stdinFD)
        group.wait()
        close(child.stdoutFD)
        close(child.stderrFD)
        let status = child.wait()
        return ShellRun(stdout: box.out, stderr: String(decoding: box.err, as: UTF8.self),
                        status: status, wallSeconds: Date().timeIntervalSince(start))
    }
}

/// Each field is written by one reader thread and read after `group.wait()`.
private final class Collected: @unchecked Sendable {
    var out: [UInt8] = []
    var err: [UInt8] = []
}
