import Foundation
import Model

/// Whether the host wants a reboot, and why, from the `system.reboot` step. Each reason a
/// careful admin checks, as a sentence:
/// - the reboot-required file (Debian/Ubuntu helpers write it, with the packages that asked);
/// - `needs-restarting -r` on the RHEL family (exit 1 = reboot needed);
/// - the running kernel older than the newest installed kernel package (Debian `linux-image-*`,
///   RHEL `kernel*` by install time, Alpine `linux-*`);
/// - core packages installed or upgraded after the last boot (the list `dnf needs-restarting -r`
///   uses, with Debian's names): dpkg's `.list` mtime or rpm's INSTALLTIME later than the boot.
/// `required` is nil when the host gave no way to tell (no package database read).
enum RebootRequiredParser {
    /// Debian names of the packages whose upgrade takes a reboot to be in effect.
    static let dpkgCore = ["libc6", "systemd", "dbus", "dbus-daemon", "dbus-broker", "linux-firmware",
                           "firmware-linux-free", "firmware-linux-nonfree", "intel-microcode", "amd64-microcode"]
    /// The RHEL family's, as `dnf needs-restarting -r` lists them.
    static let rpmCore = "kernel kernel-core kernel-rt glibc linux-firmware systemd dbus dbus-broker dbus-daemon microcode_ctl"
    /// The shell globs (in /var/lib/dpkg/info) of the .list files to stat: kernels and the core list.
    /// Only Multi-Arch "same" packages get a `:arch` qualifier (libc6:amd64.list): the others are
    /// named exactly, since each glob makes the shell read the whole folder (thousands of files,
    /// about 0.4 ms of host CPU per glob on a small host).
    static let dpkgMultiArchSame = ["libc6"]
    static let dpkgListGlobs = (["linux-image-*.list"] + dpkgCore.map { "\($0).list" } + dpkgMultiArchSame.map { "\($0):*.list" })
        .joined(separator: " ")

    struct Parsed: Equatable {
        var required: Bool?
        var packages: [String]
        var reasons: [String]
        var notes: [String] = []
    }

    /// `running` is the kernel release (`uname -r`) when the step does not print it (the script's
    /// facts step reads it once); `arch` gives USER_HZ when the step prints no `hz`.
    static func parse(_ text: String, running runningKernel: String = "", arch: String = "") -> Parsed {
        var kv = KeyValueLines.parse(text)
        if kv["running"] == nil, !runningKernel.isEmpty { kv["running"] = runningKernel }
        if kv["hz"] == nil { kv["hz"] = String(userHZ(arch: arch)) }
        let packages = Array(Set(KeyValueLines.all("pkg", in: text).map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty })).sorted()
        var reasons: [String] = []
        if kv["flag"] == "present" {
            reasons.append("/var/run/reboot-required exists" + (packages.isEmpty ? "" : " (asked by \(packages.joined(separator: ", ")))"))
        }
        if kv["needs-restarting"] == "1" { reasons.append("needs-restarting -r reports a reboot is needed") }
        // In a container the running kernel is the host's: no reboot of the container changes it,
        // so kernel packages inside are not compared with it (as needrestart does).
        let container = kv["container"].flatMap { $0.isEmpty ? nil : $0 }
        let running = container == nil ? kv["running"] ?? "" : ""
        let installs: [Install]
        switch kv["manager"] {
        case "dpkg": installs = KeyValueLines.all("dpkg", in: text).compactMap(Install.dpkg)
        case "rpm": installs = KeyValueLines.all("rpm", in: text).compactMap(Install.rpm)
        case "apk":
            if let why = apkKernel(running: running, KeyValueLines.all("apk", in: text)) { reasons.append(why) }
            installs = []
        default: installs = []
        }
        if let why = newerKernel(running: running, installs) { reasons.append(why) }
        if let boot = bootTime(kv), let why = afterBoot(installs, boot: boot) { reasons.append(why) }
        let canTell = kv["manager"] != nil || kv["flag"] != nil || kv["needs-restarting"] != nil
        let notes = container.map { ["system: in a container (\($0)): the running kernel is the host's, so kernel packages here are not compared with it"] } ?? []
        return Parsed(required: reasons.isEmpty ? (canTell ? false : nil) : true, packages: packages, reasons: reasons, notes: notes)
    }

    /// One package's install record: name, install time, and for kernels the release it boots.
    struct Install: Equatable {
        var name: String
        var time: Int
        var kernelRelease: String?

        /// `1732500000 linux-image-6.1.0-18-amd64.list` or `... libc6:amd64.list` (a fraction
        /// of a second, as some stat and find formats print, is dropped).
        static func dpkg(_ value: String) -> Install? {
            let parts = value.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let time = Int(parts[0].prefix { $0 != "." }), parts[1].hasSuffix(".list") else { return nil }
            let name = String(parts[1].dropLast(5).split(separator: ":").first ?? "")
            return Install(name: name, time: time, kernelRelease: debianKernelRelease(name))
        }

        /// `kernel-core 1732500000 5.14.0-362.8.1.el9_3.x86_64`.
        static func rpm(_ value: String) -> Install? {
            let parts = value.split(separator: " ")
            guard parts.count == 3, let time = Int(parts[1]) else { return nil }
            let name = String(parts[0])
            return Install(name: name, time: time, kernelRelease: name.hasPrefix("kernel") ? String(parts[2]) : nil)
        }
    }

    /// `linux-image-6.1.0-18-amd64` → `6.1.0-18-amd64`; also Ubuntu's `linux-image-unsigned-…`;
    /// nil for meta packages (`linux-image-amd64`) and debug symbols.
    static func debianKernelRelease(_ name: String) -> String? {
        guard name.hasPrefix("linux-image-") else { return nil }
        var release = name.dropFirst("linux-image-".count)
        if release.hasPrefix("unsigned-") { release = release.dropFirst("unsigned-".count) }
        if release.hasSuffix("-dbg") || release.hasSuffix("-dbgsym") { return nil }
        if release.hasSuffix("-unsigned") { release = release.dropLast("-unsigned".count) }
        guard let first = release.first, first.isNumber else { return nil }
        return String(release)
    }

    /// "running kernel X is older than the newest installed kernel Y (package)".
    static func newerKernel(running: String, _ installs: [Install]) -> String? {
        let kernels = installs.filter { $0.kernelRelease != nil }
        guard !running.isEmpty, !kernels.isEmpty else { return nil }
        let newest: Install
        if kernels.allSatisfy({ $0.name.hasPrefix("linux-image-") }) {
            // Debian: the release is in the name, and releases order naturally (6.1.0-18 < 6.1.0-21).
            newest = kernels.max { NaturalOrder.less($0.kernelRelease!, $1.kernelRelease!) }!
            guard NaturalOrder.less(running, newest.kernelRelease!) else { return nil }
        } else {
            // RHEL: the most recently installed kernel is the one the boot loader defaults to.
            newest = kernels.max { ($0.time, $0.kernelRelease!) < ($1.time, $1.kernelRelease!) }!
            guard newest.kernelRelease != running, !kernels.filter({ $0.time == newest.time }).contains(where: { $0.kernelRelease == running }) else { return nil }
        }
        return "running kernel \(running) is older than the newest installed kernel \(newest.kernelRelease!) (\(newest.name))"
    }

    /// Alpine: `linux-lts-6.6.14-r0` installed while `6.6.14-0-lts` runs is current; another
    /// version of the running flavour's package means a newer kernel waits for a reboot.
    static func apkKernel(running: String, _ packages: [String]) -> String? {
        guard !running.isEmpty, let dash = running.lastIndex(of: "-") else { return nil }
        let flavour = running[running.index(after: dash)...]
        let prefix = "linux-\(flavour)-"
        guard let package = packages.first(where: { $0.hasPrefix(prefix) && $0.dropFirst(prefix.count).first?.isNumber == true }) else { return nil }
        let version = package.dropFirst(prefix.count)        // 6.6.14-r0
        guard let r = version.range(of: "-r") else { return nil }
        let release = "\(version[..<r.lowerBound])-\(version[r.upperBound...])-\(flavour)"
        guard release != running else { return nil }
        return "running kernel \(running) differs from the installed \(package) (\(release))"
    }

    /// The unit of /proc/PID/stat start times: USER_HZ, 100 on every Linux architecture but
    /// Alpha and IA-64 (1024), what `getconf CLK_TCK` answers.
    static func userHZ(arch: String) -> Int { arch == "alpha" || arch == "ia64" ? 1024 : 100 }

    /// The boot, in seconds since the epoch: the kernel's btime plus PID 1's start (in a
    /// container, its own boot; on a host, seconds after the kernel's).
    static func bootTime(_ kv: [String: String]) -> Int? {
        guard let btime = kv["btime"].flatMap({ Int($0) }) else { return nil }
        guard let start = kv["pid1start"].flatMap({ Int($0) }), let hz = kv["hz"].flatMap({ Int($0) }), hz > 0 else { return btime }
        return btime + start / hz
    }

    /// "core packages upgraded after the last boot: libc6, systemd".
    static func afterBoot(_ installs: [Install], boot: Int) -> String? {
        let core = Set(dpkgCore + rpmCore.split(separator: " ").map(String.init))
        let late = Set(installs.filter { $0.time > boot && (core.contains($0.name) || $0.kernelRelease != nil) }.map(\.name))
        guard !late.isEmpty else { return nil }
        return "core packages upgraded after the last boot: \(late.sorted().joined(separator: ", "))"
    }
}
