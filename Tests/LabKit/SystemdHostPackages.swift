import Foundation
import TestSupport

/// Root commands, file uploads and Debian packages on a lab systemd host, through the control
/// key and `pplab-sudo`'s passwordless sudo: what tests change on a host between two captures.
/// Installed packages last until the next reboot, like everything written inside, unless the
/// host was booted with `persistentDisk: true`.
extension SystemdHost {
    /// Where `install(debs:)` puts the .deb files inside the host.
    public static let uploadFolder = "/var/tmp/pplab-debs"

    /// Runs `command` with `sh -c` as root inside the host. Throws, with the output, when it
    /// exits non-zero, unless `allowFailure`.
    @discardableResult
    public func runAsRoot(_ command: String, timeout: Duration = .seconds(120),
                          allowFailure: Bool = false) async throws -> (status: Int32, output: String) {
        let result = try await ssh("sudo -n sh -c \(Self.shellQuote(command))", user: Self.sudoUser, timeout: timeout)
        guard allowFailure || result.status == 0 else {
            throw LabError("lab host \(name): `\(command.prefix(200))` as root failed (status \(result.status)): \(result.output.suffix(1500))")
        }
        return result
    }

    /// Copies `files` from this machine into `folder` inside the host (made if missing, owned
    /// by root), as one tar archive on ssh's stdin: one login however many files.
    public func upload(_ files: [URL], into folder: String, timeout: Duration = .seconds(120)) async throws {
        let remote = "sudo -n sh -c \(Self.shellQuote("umask 022 && mkdir -p \(Self.shellQuote(folder)) && tar -xf - --no-same-owner -C \(Self.shellQuote(folder))"))"
        let archive = FileManager.default.temporaryDirectory.appendingPathComponent("pplab-upload-\(UUID().uuidString).tar")
        defer { try? FileManager.default.removeItem(at: archive) }
        let members = files.flatMap { ["-C", $0.deletingLastPathComponent().path, $0.lastPathComponent] }
        let packed = try await LabProcess.run("/usr/bin/tar", ["-cf", archive.path] + members)
        guard packed.status == 0 else { throw LabError("tar of \(files.map(\.path)) failed: \(packed.output.suffix(500))") }
        // sh redirects stdin from the archive and execs ssh: ssh's arguments need no quoting here.
        let arguments = ["-c", "f=$1; shift; exec \"$@\" < \"$f\"", "sh", archive.path, SystemdHostRootfs.ssh]
            + sshOptions() + ["\(Self.sudoUser)@\(address)", remote]
        let result = try await LabProcess.run("/bin/sh", arguments, timeout: timeout)
        guard result.status == 0 else {
            throw LabError("lab host \(name): uploading \(files.count) files into \(folder) failed (status \(result.status)): \(result.output.suffix(500))")
        }
    }

    /// Uploads the packages and installs them with one `dpkg -i` (so they may depend on each
    /// other), then checks dpkg records each at its version. Installing a newer version of an
    /// installed package upgrades it in place, as apt would.
    public func install(debs: [LabDeb], timeout: Duration = .seconds(300)) async throws {
        guard !debs.isEmpty else { return }
        try await upload(debs.map(\.url), into: Self.uploadFolder)
        let paths = debs.map { Self.shellQuote("\(Self.uploadFolder)/\($0.url.lastPathComponent)") }
        let names = debs.map(\.package).joined(separator: " ")
        try await runAsRoot("DEBIAN_FRONTEND=noninteractive dpkg --force-confold -i \(paths.joined(separator: " "))", timeout: timeout)
        for deb in debs {
            let now = try await installedVersion(of: deb.package)
            guard now == deb.version else {
                throw LabError("lab host \(name): dpkg installed \(names) but reports \(deb.package) \(now ?? "not installed"), expected \(deb.version)")
            }
        }
        try await runAsRoot("rm -f \(paths.joined(separator: " "))")
    }

    /// Purges the packages (dependents first is up to the caller; one dpkg run takes them all).
    /// Names that are not installed are ignored.
    public func purge(packages: [String], timeout: Duration = .seconds(120)) async throws {
        guard !packages.isEmpty else { return }
        let quoted = packages.map(Self.shellQuote).joined(separator: " ")
        try await runAsRoot("DEBIAN_FRONTEND=noninteractive dpkg --purge \(quoted)", timeout: timeout)
        for package in packages {
            if let left = try await installedVersion(of: package) {
                throw LabError("lab host \(name): `dpkg --purge` left \(package) \(left) installed")
            }
        }
    }

    /// The installed version per dpkg-query inside the host, nil when not installed ("ii").
    public func installedVersion(of package: String) async throws -> String? {
        let query = "dpkg-query --show --showformat='${db:Status-Abbrev}|${Version}\\n' \(Self.shellQuote(package)) 2>/dev/null"
        let (status, output) = try await ssh(query)
        guard status == 0 else { return nil }
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0] == "ii" { return parts[1] }
        }
        return nil
    }

    /// The main pid of a running unit (`systemctl show -p MainPID`); throws when it has none.
    public func mainPID(of unit: String) async throws -> Int {
        let (status, output) = try await ssh("systemctl show --property=MainPID --value \(Self.shellQuote(unit))")
        let text = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0, let pid = Int(text), pid > 0 else {
            throw LabError("lab host \(name): \(unit) has no main pid (status \(status)): \(text.prefix(300))")
        }
        return pid
    }

    /// When this boot of the container began, in seconds since the epoch: PID 1's start time.
    /// Not /proc/stat's btime, which inside a container is this machine's kernel boot and does
    /// not move when the container reboots.
    public func bootEpoch() async throws -> Int {
        let command = "echo $(( $(awk '/^btime/ {print $2}' /proc/stat) + $(cut -d' ' -f22 /proc/1/stat) / $(getconf CLK_TCK) ))"
        let (status, output) = try await ssh(command)
        guard status == 0, let epoch = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw LabError("lab host \(name): reading PID 1's start time failed (status \(status)): \(output.prefix(300))")
        }
        return epoch
    }

    /// `text` as one word for the host's /bin/sh.
    static func shellQuote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
