import Collect
import SSH

/// Commands run through `sudo -n` (never prompting) when a host has `sudo: true` or `--sudo`.
enum Sudo {
    static func wrap(_ command: String) -> String {
        "sudo -n -- /bin/sh -c \(ShellQuote.quote(command))"
    }

    /// sudo -n fails with exit 1 and says so on stderr when it would need a password.
    static func passwordWanted(_ r: ExecResult) -> Bool {
        guard r.exitStatus == 1 else { return false }
        let err = String(decoding: r.stderr.prefix(4096), as: UTF8.self)
        return err.contains("sudo: a password is required") || err.contains("sudo: a terminal is required")
            || err.contains("is not in the sudoers file") || err.contains("is not allowed to execute")
    }
}

/// A host-level failure that is neither a transport error nor the command's own exit status.
public struct HostError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// True when the host could not be reached or logged into (exit code 3).
    public var unreachable: Bool
    public init(_ description: String, unreachable: Bool) {
        self.description = description
        self.unreachable = unreachable
    }

    static func sudoPassword(_ target: HostTarget) -> HostError {
        HostError("\(target.name): sudo wants a password for \(target.user): give \(target.user) NOPASSWD rights for postpatch's commands in sudoers, or run without --sudo", unreachable: true)
    }
}

extension HostTransport {
    /// Runs `command` for `target`, through sudo when asked; a sudo password prompt becomes a HostError.
    /// `selfWatching`: the command stops by itself when the connection is gone (the collector).
    func run(_ command: String, stdin: [UInt8] = [], for target: HostTarget, outputCap: Int, selfWatching: Bool = false) async throws -> ExecResult {
        let cmd = target.sudo ? Sudo.wrap(command) : command
        let r = selfWatching
            ? try await runSelfWatching(cmd, stdin: stdin, timeout: target.commandTimeout, outputCap: outputCap)
            : try await run(cmd, stdin: stdin, timeout: target.commandTimeout, outputCap: outputCap)
        if target.sudo && Sudo.passwordWanted(r) { throw HostError.sudoPassword(target) }
        return r
    }
}
