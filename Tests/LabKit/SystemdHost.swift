import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A real Debian 12 host for the lab: systemd 252 as PID 1 in a systemd-nspawn container, in its
/// own network namespace, with OpenSSH on port 22 of `address`. Many hosts share the cached
/// rootfs (`--volatile=overlay`: each boot writes to its own tmpfs, lost at power-off), and a
/// reboot inside really boots again: new boot id, services started afresh.
///
/// Inside: `pplab` (shell /bin/sh) and `pplab-sudo` (passwordless sudo) accept `authorizedKeys`
/// plus a control key of this lab's own (used by `bootID()`, `reboot()`); the host key is an
/// ed25519 key made for this boot, so `knownHostsPath` pins it.
public final class SystemdHost: @unchecked Sendable {
    public static let sudoUser = "pplab-sudo"

    public let name: String
    public let namespace: NetNamespace
    /// Where sshd listens (the namespace side of the veth).
    public var address: String { namespace.address }
    public let port = 22
    /// "ssh-ed25519 AAAA..." of the host key.
    public let hostKeyLine: String
    /// A known_hosts file holding `address hostKeyLine`, for `ssh -o UserKnownHostsFile=`.
    public let knownHostsPath: String
    /// The key `ssh(_:)` logs in with: generated for this host, authorized for both users.
    public let controlKey: KeyPair
    /// systemd-nspawn's console output, all boots appended.
    public let logPath: String
    let supervisor: NspawnSupervisor
    /// The overlay disk booted instead of a volatile overlay (`persistentDisk`), nil otherwise.
    let disk: String?

    /// For code that takes the loopback servers' description (host key lines, kind "systemd").
    public var info: SSHServerInfo {
        SSHServerInfo(host: address, port: port, hostKeys: [hostKeyLine], kind: "systemd")
    }

    /// How many times the container has started (1 + reboots).
    public var boots: Int { supervisor.boots }
    /// The running systemd-nspawn, nil between a reboot's exit and the next start, or once stopped.
    public var nspawnPID: pid_t? { supervisor.runningPID }

    private init(name: String, namespace: NetNamespace, hostKeyLine: String, knownHostsPath: String,
                 controlKey: KeyPair, logPath: String, supervisor: NspawnSupervisor, disk: String?) {
        self.name = name
        self.namespace = namespace
        self.hostKeyLine = hostKeyLine
        self.knownHostsPath = knownHostsPath
        self.controlKey = controlKey
        self.logPath = logPath
        self.supervisor = supervisor
        self.disk = disk
    }

    /// Boots a host called `name` (its hostname; letters, digits and dashes) and returns once
    /// its sshd accepts the control key. `flavour` picks the tree (the quiet minbase one by
    /// default). Skips (or fails under CI=true) when the machine cannot run lab hosts; see
    /// `SystemdHostRootfs.path(_:)`. With `persistentDisk`, what is written inside survives
    /// `reboot()` (see `SystemdHostDisk`); by default each boot starts afresh. `capabilities` are
    /// added to systemd-nspawn's set, e.g. `CAP_NET_ADMIN` for a host that configures its own
    /// interfaces and firewall (its namespace is its own, so nothing of this machine's is touched).
    public static func boot(lab: Lab, name: String, authorizedKeys: [KeyPair],
                            flavour: SystemdHostRootfs.Flavour = .minbase, persistentDisk: Bool = false,
                            capabilities: [String] = [],
                            timeout: Duration = .seconds(60)) async throws -> SystemdHost {
        guard !name.isEmpty, name.count <= 40, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw LabError("lab host name \"\(name)\" is not a hostname: use up to 40 letters, digits and dashes")
        }
        let rootfs = try await SystemdHostRootfs.path(flavour)
        let dir = "\(lab.dir)/systemd-\(name)-\(UUID().uuidString.prefix(6).lowercased())"
        let etc = dir + "/etc"
        try FileManager.default.createDirectory(atPath: etc, withIntermediateDirectories: true)
        // sshd's StrictModes checks every directory above authorized_keys as seen inside:
        // the bind-mounted folder must not be group- or world-writable.
        chmod(dir, 0o755)
        chmod(etc, 0o755)

        let control = try lab.makeKey("ed25519", name: "systemd-\(name)-control-\(dir.suffix(6))")
        let hostKey = etc + "/ssh_host_ed25519_key"
        let made = try LabProcess.runBlocking("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-f", hostKey, "-N", "", "-C", "lab-host-\(name)"])
        guard made.status == 0 else { throw LabError("ssh-keygen for lab host \(name): \(made.stderr)") }
        let hostKeyLine = try String(contentsOfFile: hostKey + ".pub", encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
        let authorized = (authorizedKeys + [control]).map(\.publicLine).joined(separator: "\n") + "\n"
        try authorized.write(toFile: etc + "/authorized_keys", atomically: true, encoding: .utf8)
        chmod(etc + "/authorized_keys", 0o644)

        let disk = persistentDisk ? try SystemdHostDisk.mount(rootfs: rootfs, in: dir) : nil
        let namespace: NetNamespace
        do { namespace = try await NetNamespace.create() } catch { disk.map(SystemdHostDisk.unmount); throw error }
        let knownHosts = dir + "/known_hosts"
        try "\(namespace.address) \(hostKeyLine)\n".write(toFile: knownHosts, atomically: true, encoding: .utf8)

        let arguments = [
            "--directory=\(disk ?? rootfs)", "--boot", disk == nil ? "--volatile=overlay" : "--volatile=no",
            // PID 1 here is no systemd: no machined to register with, no unit to move into.
            "--register=no", "--keep-unit",
            // The machine name must be unique among running containers; the hostname need not.
            "--machine=\(name)-\(namespace.name.dropFirst(3))", "--hostname=\(name)",
            "--network-namespace-path=\(namespace.path)",
            "--bind-ro=\(etc):/etc/postpatch-lab",
            "--resolv-conf=off", "--timezone=off", "--link-journal=no", "--console=read-only",
        ] + capabilities.map { "--capability=\($0)" }
        let log = dir + "/nspawn.log"
        let supervisor = NspawnSupervisor(arguments: arguments, log: log, lab: lab)
        let host = SystemdHost(name: name, namespace: namespace, hostKeyLine: hostKeyLine, knownHostsPath: knownHosts,
                               controlKey: control, logPath: log, supervisor: supervisor, disk: disk)
        do {
            try supervisor.start()
            try await host.waitForSSH(timeout: timeout)
        } catch {
            await host.stop()
            throw error
        }
        return host
    }

    /// Powers the host off (SIGTERM: systemd-nspawn asks the container's systemd to halt), waits
    /// up to `grace`, then SIGKILLs systemd-nspawn and everything left in the namespace, and
    /// removes the namespace and its veth. Safe to call twice.
    public func stop(grace: Duration = .seconds(20)) async {
        _ = try? await LabProcess.onThread("stop \(name)") { self.supervisor.stop(grace: grace) }
        // A killed systemd-nspawn can leave its container's processes behind; they still sit
        // in the namespace, which names them.
        let namespace = namespace
        try? await waitUntil("no process left in \(namespace.name)", timeout: .seconds(5), poll: .milliseconds(100)) {
            let leftovers = await namespace.pids()
            for pid in leftovers { kill(pid, SIGKILL) }
            return leftovers.isEmpty
        }
        await namespace.delete()
        if let disk { SystemdHostDisk.unmount(disk) }
    }
}
