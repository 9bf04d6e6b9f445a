import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A clean Debian 12 machine without Swift or build tools, for installing the package as a user
/// would: an overlay of the tree `scripts/lib/package-sandbox` caches, private to this sandbox.
/// Each `run` is a root shell command inside it (systemd-nspawn, no boot), sharing this machine's
/// network namespace, so apt reaches the Debian mirror and the packaged binary reaches a lab
/// sshd on loopback. What a command installs, the next one sees; `remove()` throws it all away.
public final class PackageSandbox: @unchecked Sendable {
    /// The overlay's lower layer: the clean tree as debootstrap left it.
    public let base: String
    /// This sandbox's folder: `upper` holds everything written inside, `share` is /pkgtest inside.
    public let dir: String
    public var upper: String { dir + "/upper" }
    public var share: String { dir + "/share" }
    /// Where `share` is seen inside.
    public static let inside = "/pkgtest"

    static var script: URL { PostPatchCLI.packageRoot.appendingPathComponent("scripts/lib/package-sandbox") }

    private init(base: String, dir: String) {
        self.base = base
        self.dir = dir
    }

    /// Builds the clean tree on first use on this machine (debootstrap, a few minutes) and makes
    /// a sandbox of it. What the machine lacks for it (root, debootstrap, systemd-nspawn,
    /// unshare) is a skip, a failure under CI=true.
    public static func make() async throws -> PackageSandbox {
        try LabSkip.requireRoot("a package sandbox (mount namespaces, systemd-nspawn)")
        _ = try LabSkip.tool("unshare", package: "util-linux")
        let result = try await LabProcess.run("/bin/bash", [script.path, "rootfs"], timeout: .seconds(1800))
        let (status, output) = (result.status, result.output)
        guard status == 0, let base = output.split(separator: "\n").last(where: { $0.hasPrefix("/") }) else {
            throw LabSkip.missing("scripts/lib/package-sandbox could not build the clean Debian rootfs (status \(status))",
                                  fix: "see its output: \(output.split(separator: "\n").suffix(4).joined(separator: " | "))")
        }
        _ = try LabSkip.tool("systemd-nspawn", package: "systemd-container")
        var template = Array("/var/tmp/postpatch-pkg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw LabError("cannot make a sandbox folder under /var/tmp") }
        let dir = String(cString: made)
        try FileManager.default.createDirectory(atPath: dir + "/share", withIntermediateDirectories: true)
        return PackageSandbox(base: String(base), dir: dir)
    }

    /// Runs `command` with `bash -c` as root inside; its combined output and status.
    @discardableResult
    public func run(_ command: String, timeout: Duration = .seconds(300)) async throws -> (status: Int32, output: String) {
        let result = try await LabProcess.run("/bin/bash", [Self.script.path, "run", dir, "--", "/bin/bash", "-c", command], timeout: timeout)
        return (result.status, result.output)
    }

    /// Like `run`, but throws with the output unless the command exits 0.
    @discardableResult
    public func mustRun(_ command: String, timeout: Duration = .seconds(300)) async throws -> String {
        let (status, output) = try await run(command, timeout: timeout)
        guard status == 0 else {
            throw LabError("package sandbox: `\(command.prefix(200))` exited \(status): \(output.suffix(2000))")
        }
        return output
    }

    /// Copies `file` into the shared folder; its path inside.
    public func share(_ file: String, as name: String? = nil) throws -> String {
        let target = share + "/" + (name ?? URL(fileURLWithPath: file).lastPathComponent)
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.copyItem(atPath: file, toPath: target)
        return Self.inside + "/" + (name ?? URL(fileURLWithPath: file).lastPathComponent)
    }

    /// Removes the sandbox's folder (nothing is mounted outside a `run`).
    public func remove() {
        _ = try? LabProcess.runBlocking("/bin/rm", ["-rf", "--one-file-system", dir])
    }
}
