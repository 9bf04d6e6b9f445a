import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension LabProcess {
    /// posix_spawn of `argv` (argv[0] a full path) with `actions`, and `environment` ("K=V"; nil:
    /// this process's). Children start with default signal dispositions and nothing blocked,
    /// whatever the test process did to its own (dispatch and XCTest block or handle some signals).
    public static func posixSpawn(_ argv: [String], actions: inout posix_spawn_file_actions_t,
                                  environment: [String]? = nil, name: String? = nil) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnv: [UnsafeMutablePointer<CChar>?] = (environment ?? []).map { strdup($0) } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = environment == nil
            ? posix_spawn(&pid, argv[0], &actions, &attributes, &cArgs, environ)
            : posix_spawn(&pid, argv[0], &actions, &attributes, &cArgs, &cEnv)
        guard rc == 0 else { throw LabError("cannot start \(name ?? argv[0]): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// Starts a process with stdout and stderr appended to `log` (created if needed), stdin from
    /// /dev/null, optionally in `directory` (through `env -C`, which execs: the pid stays the tool's).
    public static func spawn(_ executable: String, _ arguments: [String], log: URL,
                             directory: URL? = nil) throws -> LabChild {
        try LabChild(executable, arguments, log: log.path, directory: directory?.path)
    }

    /// Starts `argv` with stdin, stdout and stderr on pipes the caller holds.
    public static func spawnPiped(_ argv: [String]) throws -> PipedChild {
        try PipedChild(argv)
    }
}

/// A child process started with posix_spawn and reaped with waitpid by us.
///
/// Foundation's `Process` learns about exits through a process-wide SIGCHLD handler; inside a test
/// process shared with other lab code that notification was seen to go missing, leaving
/// `isRunning` true and `waitUntilExit()` hung on a zombie. Owning the pid avoids that.
public final class LabChild: @unchecked Sendable {
    public let pid: pid_t
    private let lock = NSLock()
    private var status: Int32?

    init(_ executable: String, _ arguments: [String], log: String, directory: String?) throws {
        let argv = directory.map { ["/usr/bin/env", "-C", $0, executable] } ?? [executable]
        let all = argv + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        pid = try LabProcess.posixSpawn(all, actions: &actions, name: executable)
    }

    deinit {
        if isRunning {
            kill(pid, SIGKILL)
            _ = waitForExit(timeout: .seconds(5))
        }
    }

    /// Reaps without blocking; false once the child has exited.
    public var isRunning: Bool {
        lock.withLock {
            if status != nil { return false }
            var raw: Int32 = 0
            let reaped = waitpid(pid, &raw, WNOHANG)
            if reaped == pid {
                status = LabProcess.exitCode(raw)
                return false
            }
            if reaped < 0 && errno == ECHILD { status = -1; return false }
            return true
        }
    }

    /// Exit status once exited (128 + signal when killed), nil while running.
    public var exitStatus: Int32? {
        _ = isRunning
        return lock.withLock { status }
    }

    public func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Blocking: sends `signal`, waits up to `grace` for the exit, then SIGKILLs. Safe once exited.
    public func stop(signal: Int32 = SIGTERM, grace: Duration = .seconds(10)) {
        guard isRunning else { return }
        self.signal(signal)
        if !waitForExit(timeout: grace) {
            self.signal(SIGKILL)
            _ = waitForExit(timeout: .seconds(10))
        }
    }

    /// Blocking: polls every 10 ms until the child exits or `timeout` passes; true when it exited.
    public func waitForExit(timeout: Duration) -> Bool {
        (try? waitUntilBlocking("exit of pid \(pid)", timeout: timeout, poll: .milliseconds(10)) { !isRunning }) != nil
    }
}

/// A child whose stdin, stdout and stderr are pipes we hold: a script fed through a pipe as an
/// SSH exec channel feeds it, not from a file as `LabProcess.runBlocking` does.
public final class PipedChild {
    public let pid: pid_t
    public let stdinFD: Int32
    public let stdoutFD: Int32
    public let stderrFD: Int32
    private var reaped: Int32?

    init(_ argv: [String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var fds: [[Int32]] = []
        for _ in 0..<3 {
            var p: [Int32] = [0, 0]
            guard pipe(&p) == 0 else { throw LabError("pipe for \(argv[0]): \(String(cString: strerror(errno)))") }
            // Only the dup2'ed copies may reach the child (dup2 clears close-on-exec).
            _ = fcntl(p[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(p[1], F_SETFD, FD_CLOEXEC)
            fds.append(p)
        }
        posix_spawn_file_actions_adddup2(&actions, fds[0][0], 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1][1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[2][1], 2)
        // The pipe ends the child got are closed here whether or not the spawn worked.
        let spawned = Result { try LabProcess.posixSpawn(argv, actions: &actions) }
        close(fds[0][0]); close(fds[1][1]); close(fds[2][1])
        stdinFD = fds[0][1]; stdoutFD = fds[1][0]; stderrFD = fds[2][0]
        pid = try spawned.get()
    }

    /// Waits for the child; returns its exit status (128 + signal when killed).
    @discardableResult
    public func wait() -> Int32 {
        if let reaped { return reaped }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = LabProcess.exitCode(status)
        reaped = code
        return code
    }

    /// Everything until end of file on `fd` (blocking).
    public static func readAll(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { out += buffer[0..<n] } else if n < 0 && errno == EINTR { continue } else { break }
        }
        return out
    }

    /// Writes all of `bytes` to `fd` (blocking), stopping early only when the reader is gone.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { break }
        }
    }
}
