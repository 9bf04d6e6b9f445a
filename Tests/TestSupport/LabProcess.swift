import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one way tests run processes: a command to completion (`runBlocking`, or `run` off the
/// cooperative pool), a long-running server logging to a file (`spawn` -> `LabChild`), a shell fed
/// through pipes as an SSH exec channel feeds it (`spawnPiped` -> `PipedChild`). All of them start
/// through `posixSpawn` and are reaped with waitpid on their own pid: Foundation's Process was seen
/// to miss child exits in the shared test process (see LabChild).
public enum LabProcess {
    /// How a command ended and what it wrote.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// stdout as the bytes the command wrote (for output that need not be UTF-8).
        public var stdoutBytes: [UInt8]
        /// stdout then stderr, for messages and for tools whose answer may go to either.
        public var output: String { stdout + stderr }
    }

    /// The full path of `tool` in the usual bin directories (then $PATH), nil when absent.
    public static func path(of tool: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let dirs = ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"] + path
        return dirs.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `path args` to completion with `input` on stdin (through a file) and stdout/stderr
    /// captured in files, so a chatty command cannot fill a pipe and stall. `env` is added to this
    /// process's environment, or with `inheritEnvironment: false` is the whole environment.
    /// `directory` is the working directory (through `env -C`, which execs). With `timeout`, a
    /// child still running at the deadline is SIGKILLed and `LabError` thrown. With
    /// `stderrToStdout`, both go to one file in the order written (stderr stays empty). Blocks its thread.
    @discardableResult
    public static func runBlocking(_ path: String, _ args: [String], env: [String: String]? = nil, input: String? = nil,
                                   directory: String? = nil, timeout: Duration? = nil,
                                   inheritEnvironment: Bool = true, stderrToStdout: Bool = false) throws -> Result {
        let tmp = NSTemporaryDirectory() + "postpatch-run-" + UUID().uuidString
        let outPath = tmp + ".out", errPath = tmp + ".err", inPath = tmp + ".in"
        defer { for p in [outPath, errPath, inPath] { unlink(p) } }
        FileManager.default.createFile(atPath: inPath, contents: Data((input ?? "").utf8), attributes: [.posixPermissions: 0o600])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if stderrToStdout {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
        var environment = inheritEnvironment ? ProcessInfo.processInfo.environment : [:]
        for (k, v) in env ?? [:] { environment[k] = v }
        let argv = (directory.map { ["/usr/bin/env", "-C", $0] } ?? []) + [path] + args
        let pid = try posixSpawn(argv, actions: &actions, environment: environment.map { "\($0.key)=\($0.value)" })
        let status = try reap(pid, timeout: timeout, what: path)
        let outBytes = FileManager.default.contents(atPath: outPath).map { [UInt8]($0) } ?? []
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Result(status: status, stdout: String(decoding: outBytes, as: UTF8.self), stderr: err, stdoutBytes: outBytes)
    }

    /// `runBlocking` through /bin/sh -c.
    @discardableResult
    public static func sh(_ script: String, env: [String: String]? = nil) throws -> Result {
        try runBlocking("/bin/sh", ["-c", script], env: env)
    }

    /// `runBlocking` on a thread of its own (never on Swift's cooperative pool), bounded by
    /// `timeout` (60 s unless told), stderr interleaved into stdout unless told (read `output`).
    @discardableResult
    public static func run(_ path: String, _ args: [String], env: [String: String]? = nil, input: String? = nil,
                           directory: URL? = nil, timeout: Duration = .seconds(60),
                           stderrToStdout: Bool = true) async throws -> Result {
        try await onThread("run \(path)") {
            try runBlocking(path, args, env: env, input: input, directory: directory?.path, timeout: timeout,
                            stderrToStdout: stderrToStdout)
        }
    }

    /// Runs blocking work on a dedicated thread and resumes the caller with its result.
    public static func onThread<T>(_ name: String, _ body: @escaping () throws -> T) async throws -> T {
        nonisolated(unsafe) let work = body
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Swift.Result { try work() }) }
            thread.name = name
            thread.start()
        }
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

    /// The exit code of a raw waitpid status, or 128 + signal number like a shell reports it.
    public static func exitCode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7F
        return signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
    }

    /// Blocking: reaps `pid`; with `timeout`, polls and SIGKILLs it at the deadline (then throws).
    static func reap(_ pid: pid_t, timeout: Duration?, what: String) throws -> Int32 {
        var raw: Int32 = 0
        guard let timeout else {
            while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
            return exitCode(raw)
        }
        let deadline = ContinuousClock.now + timeout
        while true {
            let done = waitpid(pid, &raw, WNOHANG)
            if done == pid { return exitCode(raw) }
            if done < 0, errno != EINTR { throw LabError("waitpid \(what): \(String(cString: strerror(errno)))") }
            if ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
                throw LabError("\(what) did not finish within \(timeout)")
            }
            usleep(20_000)  // polling a child we own for its exit, bounded by the deadline above
        }
    }
}
