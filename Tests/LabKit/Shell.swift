import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a short helper command (ssh-keygen, ssh-add, ...) to completion. Test support only.
/// posix_spawn + waitpid on the child's own pid: Foundation's Process was seen to miss
/// child exits in the shared test process (see LabChild).
public enum Shell {
    public struct Result { public var status: Int32; public var stdout: String; public var stderr: String }

    @discardableResult
    public static func run(_ path: String, _ args: [String], env: [String: String]? = nil, input: String? = nil) throws -> Result {
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
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env ?? [:] { environment[k] = v }
        var cEnv: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        var cArgs: [UnsafeMutablePointer<CChar>?] = ([path] + args).map { strdup($0) } + [nil]
        defer { cEnv.forEach { free($0) }; cArgs.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, &cArgs, &cEnv)
        guard rc == 0 else { throw LabError("cannot start \(path): \(String(cString: strerror(rc)))") }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        let signal = raw & 0x7F
        let status = signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Result(status: status, stdout: out, stderr: err)
    }

    /// Runs through /bin/sh -c.
    @discardableResult
    public static func sh(_ script: String, env: [String: String]? = nil) throws -> Result {
        try run("/bin/sh", ["-c", script], env: env)
    }
}
