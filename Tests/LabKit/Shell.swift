import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a short helper command (ssh-keygen, ssh-add, ansible, ssh -G, a shell script, ...) to
/// completion. Test support only. posix_spawn + waitpid on the child's own pid: Foundation's
/// Process was seen to miss child exits in the shared test process (see LabChild).
public enum Shell {
    public struct Result {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// stdout as the bytes the command wrote (for output that need not be UTF-8).
        public var stdoutBytes: [UInt8]
    }

    /// Runs `path args` with `input` on stdin (through a file) and stdout/stderr captured in files.
    /// `env` is added to this process's environment, or with `inheritEnvironment: false` is the
    /// whole environment. `directory` is the working directory (through `env -C`, which execs).
    /// With `timeout`, a child still running at the deadline is SIGKILLed and `LabError` thrown.
    @discardableResult
    public static func run(_ path: String, _ args: [String], env: [String: String]? = nil, input: String? = nil,
                           directory: String? = nil, timeout: Duration? = nil,
                           inheritEnvironment: Bool = true) throws -> Result {
        let tmp = NSTemporaryDirectory() + "postpatch-shell-" + UUID().uuidString
        let outPath = tmp + ".out", errPath = tmp + ".err", inPath = tmp + ".in"
        defer { for p in [outPath, errPath, inPath] { unlink(p) } }
        FileManager.default.createFile(atPath: inPath, contents: Data((input ?? "").utf8), attributes: [.posixPermissions: 0o600])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var environment = inheritEnvironment ? ProcessInfo.processInfo.environment : [:]
        for (k, v) in env ?? [:] { environment[k] = v }
        let argv = (directory.map { ["/usr/bin/env", "-C", $0] } ?? []) + [path] + args
        let pid = try spawn(argv, actions: &actions, environment: environment.map { "\($0.key)=\($0.value)" })
        let status = try wait(pid, timeout: timeout, what: path)
        let outBytes = FileManager.default.contents(atPath: outPath).map { [UInt8]($0) } ?? []
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Result(status: status, stdout: String(decoding: outBytes, as: UTF8.self), stderr: err, stdoutBytes: outBytes)
    }

    /// Runs through /bin/sh -c.
    @discardableResult
    public static func sh(_ script: String, env: [String: String]? = nil) throws -> Result {
        try run("/bin/sh", ["-c", script], env: env)
    }

    /// posix_spawn of `argv` (argv[0] a full path) with `actions`, and `environment` ("K=V"; nil:
    /// this process's). Children start with default signal dispositions and nothing blocked,
    /// whatever the test process did to its own (dispatch and XCTest block or handle some signals).
    public static func spawn(_ argv: [String], actions: inout posix_spawn_file_actions_t,
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

    /// The exit code of a raw waitpid status, or 128 + signal number like a shell reports it.
    public static func exitCode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7F
        return signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
    }

    /// Blocking: reaps `pid`; with `timeout`, polls and SIGKILLs it at the deadline (then throws).
    static func wait(_ pid: pid_t, timeout: Duration?, what: String) throws -> Int32 {
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
            usleep(20_000)
        }
    }
}
