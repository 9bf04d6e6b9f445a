import Foundation
import TestSupport

/// Reaching a lab systemd host with the OpenSSH client, logged in with its control key and
/// checking its pinned host key: the harness's own way in, independent of the code under test.
extension SystemdHost {
    /// The OpenSSH client options used for this host: no user config, no agent, pinned host key.
    public func sshOptions(identity: KeyPair? = nil, connectTimeout: Int = 3) -> [String] {
        [
            "-F", "/dev/null", "-i", (identity ?? controlKey).privatePath, "-o", "IdentitiesOnly=yes",
            "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
            "-o", "UserKnownHostsFile=\(knownHostsPath)", "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "ConnectTimeout=\(connectTimeout)", "-o", "LogLevel=ERROR", "-p", String(port),
        ]
    }

    /// Runs `command` on the host through the login shell of `user` (default `pplab`).
    public func ssh(_ command: String, user: String = Lab.user, identity: KeyPair? = nil,
                    timeout: Duration = .seconds(30)) async throws -> (status: Int32, output: String) {
        let result = try await LabProcess.run(SystemdHostRootfs.ssh,
                                 sshOptions(identity: identity) + ["\(user)@\(address)", command], timeout: timeout)
        return (result.status, result.output)
    }

    /// The kernel boot id the container sees (systemd-nspawn mounts a fresh random one per boot).
    public func bootID() async throws -> String {
        let (status, output) = try await ssh("cat /proc/sys/kernel/random/boot_id", timeout: .seconds(15))
        let id = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0, id.count == 36 else {
            throw LabError("lab host \(name) (\(address)): reading the boot id failed (ssh status \(status)): \(id.prefix(300))")
        }
        return id
    }

    /// Waits until sshd on the host accepts the control key and runs a command. Fails early,
    /// with the console's last lines, when systemd-nspawn has exited for good.
    public func waitForSSH(timeout: Duration = .seconds(60)) async throws {
        var last = ""
        do {
            try await waitUntil("an SSH login to lab host \(name)", timeout: timeout, poll: .milliseconds(100)) {
                if supervisor.isFinished {
                    throw LabError("lab host \(name): systemd-nspawn exited (status \(supervisor.exitStatus ?? -1)): \(consoleTail())")
                }
                let (status, output) = try await ssh("true", timeout: .seconds(10))
                last = output.trimmingCharacters(in: .whitespacesAndNewlines)
                return status == 0
            }
        } catch let error as LabError where error.description.hasPrefix("timed out") {
            throw LabError("lab host \(name) (\(address)): no SSH login within \(timeout) (last: \(last.prefix(200))); console: \(consoleTail())")
        }
    }

    /// Reboots through `sudo systemctl reboot` as `pplab-sudo`, and returns the new boot id once
    /// the host answers SSH again with it.
    @discardableResult
    public func reboot(timeout: Duration = .seconds(90)) async throws -> String {
        let before = try await bootID()
        let (status, output) = try await ssh("sudo -n systemctl reboot", user: Self.sudoUser, timeout: .seconds(30))
        // 255: the connection dropped as sshd went down, which is the reboot working.
        guard status == 0 || status == 255 else {
            throw LabError("lab host \(name): `sudo systemctl reboot` failed (status \(status)): \(output.prefix(300))")
        }
        var after: String?
        do {
            try await waitUntil("a new boot id on lab host \(name)", timeout: timeout, poll: .milliseconds(200)) {
                if supervisor.isFinished {
                    throw LabError("lab host \(name): systemd-nspawn did not come back after the reboot (status \(supervisor.exitStatus ?? -1)): \(consoleTail())")
                }
                after = try? await bootID()
                return after != nil && after != before
            }
        } catch let error as LabError where error.description.hasPrefix("timed out") {
            throw LabError("lab host \(name): still no new boot id \(timeout) after `systemctl reboot`: \(consoleTail())")
        }
        return after ?? ""
    }

    /// The console's last lines, colour codes removed, for error messages.
    func consoleTail(lines: Int = 6) -> String {
        LabProcess.tail(of: URL(fileURLWithPath: logPath), lines: lines)
            .replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
    }
}
