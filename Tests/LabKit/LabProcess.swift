import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Why a lab server could not be started or used.
public struct LabError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Shared plumbing for lab servers: free ports, temp dirs, running and stopping processes.
/// Everything that waits runs on a dedicated thread, never on Swift's cooperative pool.
public enum LabProcess {
    /// The full path of `tool` in the usual bin directories (then $PATH), nil when absent.
    public static func path(of tool: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let dirs = ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"] + path
        return dirs.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
    public static func freePort() throws -> Int {
        let bound = try LoopbackSocket.open(.tcp)
        close(bound.fd)
        return bound.port
    }

    /// A new directory /tmp/postpatch-lab-<name>-XXXXXX, mode 0755 so servers that drop
    /// privileges (dnsmasq, postgres) can still read what we put there.
    public static func makeTempDir(_ name: String) throws -> URL {
        var template = Array("/tmp/postpatch-lab-\(name)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw LabError("cannot create a temp dir for \(name): \(String(cString: strerror(errno)))")
        }
        let path = String(cString: made)
        chmod(path, 0o755)
        return URL(fileURLWithPath: path, isDirectory: true)
    }

    /// Hands `path` to a system user (postgres refuses to run as root).
    public static func chown(_ path: String, to user: String) throws {
        guard let entry = getpwnam(user) else { throw LabError("user \(user) does not exist") }
        guard Glibc.chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
            throw LabError("chown \(path) to \(user): \(String(cString: strerror(errno)))")
        }
    }

    /// Runs a command to completion (bounded by `timeout`) and returns its status and combined
    /// output. Output goes through a temp file, so a chatty command cannot fill a pipe and stall.
    public static func run(_ executable: String, _ arguments: [String], directory: URL? = nil,
                           timeout: Duration = .seconds(60)) async throws -> (status: Int32, output: String) {
        try await onThread("run \(executable)") {
            let log = FileManager.default.temporaryDirectory
                .appendingPathComponent("postpatch-lab-run-\(UUID().uuidString).log")
            defer { try? FileManager.default.removeItem(at: log) }
            let child = try spawn(executable, arguments, log: log, directory: directory)
            guard child.waitForExit(timeout: timeout) else {
                child.signal(SIGKILL)
                _ = child.waitForExit(timeout: .seconds(5))
                throw LabError("\(executable) did not finish within \(timeout): \(tail(of: log))")
            }
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            return (child.exitStatus ?? -1, output)
        }
    }

    /// Starts a process with stdout and stderr appended to `log` (created if needed), stdin from
    /// /dev/null, optionally in `directory` (through `env -C`, which execs: the pid stays the tool's).
    public static func spawn(_ executable: String, _ arguments: [String], log: URL,
                             directory: URL? = nil) throws -> LabChild {
        try LabChild(executable, arguments, log: log.path, directory: directory?.path)
    }

    /// Waits until `ready()` returns true (polled every 50 ms), failing early with the log's tail
    /// when `child` exits, and failing after `timeout`.
    public static func waitUntil(_ what: String, timeout: Duration, child: LabChild?, log: URL?,
                                 ready: @escaping @Sendable () -> Bool) async throws {
        try await onThread("wait \(what)") {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if ready() { return }
                if let child, !child.isRunning {
                    throw LabError("\(what): the server exited (status \(child.exitStatus ?? -1)): \(log.map { tail(of: $0) } ?? "")")
                }
                usleep(50_000)
            }
            throw LabError("\(what): not ready within \(timeout): \(log.map { tail(of: $0) } ?? "")")
        }
    }

    /// True when something accepts TCP connections on 127.0.0.1:`port` (blocking; loopback
    /// connects complete or are refused at once).
    public static func isListening(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return (try? LoopbackSocket.withAddress("127.0.0.1", port: port) { connect(fd, $0, $1) == 0 }) ?? false
    }

    /// Sends `signal`, waits up to `grace` for the exit, then SIGKILLs. Safe on exited processes.
    public static func stop(_ child: LabChild, signal: Int32 = SIGTERM, grace: Duration = .seconds(10)) async {
        _ = try? await onThread("stop \(child.pid)") { child.stop(signal: signal, grace: grace) }
    }

    /// The last lines of a log, for error messages.
    public static func tail(of log: URL, lines: Int = 8) -> String {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return "(no log at \(log.path))" }
        return text.split(separator: "\n").suffix(lines).joined(separator: " | ")
    }

    /// Runs blocking work on a dedicated thread and resumes the caller with its result.
    public static func onThread<T>(_ name: String, _ body: @escaping () throws -> T) async throws -> T {
        nonisolated(unsafe) let work = body
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.name = name
            thread.start()
        }
    }

    /// A random password for lab servers: letters and digits, so it survives any config syntax.
    public static func randomPassword(length: Int = 24) -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return String((0..<length).map { _ in alphabet.randomElement() ?? "x" })
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
        pid = try Shell.spawn(all, actions: &actions, name: executable)
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
                status = Shell.exitCode(raw)
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
        let deadline = ContinuousClock.now + timeout
        while isRunning {
            if ContinuousClock.now >= deadline { return false }
            usleep(10_000)
        }
        return true
    }
}
