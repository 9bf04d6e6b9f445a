import Foundation
import LabKit
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
/// as an SSH exec channel feeds it. Uses posix_spawn and waitpid directly: Foundation's
/// Process left a finished shell unreaped (and the test hung) while another Process child
/// (dnsmasq) was running.
enum ShellRunner {
    /// `dash -s`: the shell of Debian's /bin/sh (missing: skipped locally, a failure under CI=true).
    static func dash() throws -> [String] { [try LabSkip.tool("dash", package: "dash"), "-s"] }

    /// The two shells every script test runs under: dash and busybox ash (the smallest hosts' shell).
    static func shells() throws -> [[String]] {
        [try dash(), [try LabSkip.tool("busybox", package: "busybox"), "sh", "-s"]]
    }

    static func run(_ argv: [String], stdin script: String) throws -> ShellRun {
        let start = Date()
        let child = try Spawned(argv)
        let box = Collected()
        let group = DispatchGroup()
        for (fd, keyPath) in [(child.stdoutFD, \Collected.out), (child.stderrFD, \Collected.err)] {
            group.enter()
            Thread { box[keyPath: keyPath] = readAll(fd); group.leave() }.start()
        }
        writeAll(child.stdinFD, Array(script.utf8))
        close(child.stdinFD)
        group.wait()
        close(child.stdoutFD)
        close(child.stderrFD)
        let status = child.wait()
        return ShellRun(stdout: box.out, stderr: String(decoding: box.err, as: UTF8.self),
                        status: status, wallSeconds: Date().timeIntervalSince(start))
    }

    static func readAll(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { out += buffer[0..<n] } else if n < 0 && errno == EINTR { continue } else { break }
        }
        return out
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { break }
        }
    }
}

/// A shell started with posix_spawn whose stdin/stdout/stderr are pipes we hold: the script is
/// fed through a pipe as an SSH exec channel feeds it, not from a file as LabKit's Shell.run does.
final class Spawned {
    let pid: pid_t
    let stdinFD: Int32
    let stdoutFD: Int32
    let stderrFD: Int32
    private var reaped: Int32?

    init(_ argv: [String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var fds: [[Int32]] = []
        for _ in 0..<3 {
            var p: [Int32] = [0, 0]
            guard pipe(&p) == 0 else { throw POSIXError(.EMFILE) }
            // Only the dup2'ed copies may reach the child (dup2 clears close-on-exec).
            _ = fcntl(p[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(p[1], F_SETFD, FD_CLOEXEC)
            fds.append(p)
        }
        posix_spawn_file_actions_adddup2(&actions, fds[0][0], 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1][1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[2][1], 2)
        // Shared set-up (clean signal mask and dispositions); pipe ends we keep are closed either way.
        let spawned = Result { try Shell.spawn(argv, actions: &actions) }
        close(fds[0][0]); close(fds[1][1]); close(fds[2][1])
        stdinFD = fds[0][1]; stdoutFD = fds[1][0]; stderrFD = fds[2][0]
        pid = try spawned.get()
    }

    /// Waits for the child; returns its exit status (128 + signal when killed).
    @discardableResult
    func wait() -> Int32 {
        if let reaped { return reaped }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = Shell.exitCode(status)
        reaped = code
        return code
    }
}

/// Each field is written by one reader thread and read after `group.wait()`.
private final class Collected: @unchecked Sendable {
    var out: [UInt8] = []
    var err: [UInt8] = []
}
