import Foundation
import TestSupport

/// Real packages for "the patch is installed but not in effect", built on this machine with gcc
/// and dpkg-deb for its own architecture, to install into lab systemd hosts (Debian 12, the
/// same glibc as this machine):
/// - `pp-lab-libgreet1` 1.0-1 and 1.1-1: a shared library, libppgreet.so.1, in the multiarch
///   folder. Upgrading it under a running daemon leaves the daemon mapping the old, deleted file.
/// - `pp-lab-greetd` 1.0-1: /usr/sbin/pp-greetd (DT_NEEDED libppgreet.so.1) and a real unit,
///   pp-greetd.service, that its postinst enables and starts when systemd runs.
/// - `linux-image-99.0.0-1-pplab`: a dummy kernel package newer than any running kernel (one
///   small file under /boot, no maintainer scripts).
/// - `intel-microcode` at a lab version: an empty package from the "core" list whose install
///   after boot means a reboot is due.
public enum LabOutdatedKit {
    public static let library = "pp-lab-libgreet1"
    public static let libraryFile = "libppgreet.so.1"
    public static let daemon = "pp-lab-greetd"
    public static let daemonPath = "/usr/sbin/pp-greetd"
    public static let unit = "pp-greetd.service"
    public static let oldVersion = "1.0-1", newVersion = "1.1-1"
    public static let kernelRelease = "99.0.0-1-pplab"
    public static let kernel = "linux-image-\(kernelRelease)"
    public static let kernelImage = "/boot/vmlinuz-\(kernelRelease)"
    public static let core = "intel-microcode"
    public static let coreVersion = "3.99999999.1~pplab1"
    /// What the library's changelog says each version fixed: 1.1-1 fixes these (a CVE and a
    /// Debian advisory); 1.0-1 had already fixed ``oldFix``.
    public static let newFixes = ["CVE-2026-0001", "DSA-9999-1"]
    public static let oldFix = "CVE-2025-0002"

    /// Every package `build(in:)` makes, with the machine facts they were built for.
    public struct Debs: Sendable {
        public let libraryOld: LabDeb
        public let libraryNew: LabDeb
        public let daemon: LabDeb
        public let kernel: LabDeb
        public let core: LabDeb
        /// dpkg's architecture (amd64) and the multiarch triplet (x86_64-linux-gnu).
        public let architecture: String
        public let multiarch: String

        /// /usr/lib/<multiarch>/libppgreet.so.1, where the library package puts it.
        public var libraryPath: String { "/usr/lib/\(multiarch)/\(LabOutdatedKit.libraryFile)" }
        /// Package names in the order `purge` takes them (dependents first).
        public var packages: [String] { [daemon.package, libraryOld.package, kernel.package, core.package] }
    }

    /// Skips (locally) or fails (CI=true) when gcc, the C library headers or dpkg-deb are missing.
    public static func requireTools() throws {
        try LabSkip.require("/usr/bin/gcc", package: "gcc")
        try LabSkip.require("/usr/bin/dpkg-deb", package: "dpkg")
        guard FileManager.default.fileExists(atPath: "/usr/include/stdio.h") else {
            throw LabSkip.missing("/usr/include/stdio.h is missing", fix: "install it with `apt-get install -y libc6-dev`")
        }
    }

    /// Builds (or reuses, when already in `directory`) every package.
    public static func build(in directory: URL) async throws -> Debs {
        try requireTools()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let architecture = try await tool("/usr/bin/dpkg", ["--print-architecture"])
        let multiarch = try await tool("/usr/bin/gcc", ["-print-multiarch"])
        let build = directory.appendingPathComponent("greet-src-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: build, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: build) }
        let old = try await libraryDeb(oldVersion, architecture: architecture, multiarch: multiarch, build: build, into: directory)
        let new = try await libraryDeb(newVersion, architecture: architecture, multiarch: multiarch, build: build, into: directory)
        return Debs(libraryOld: old, libraryNew: new,
                    daemon: try await daemonDeb(architecture: architecture, build: build, into: directory),
                    kernel: try await kernelDeb(architecture: architecture, into: directory),
                    core: try await coreDeb(architecture: architecture, into: directory),
                    architecture: architecture, multiarch: multiarch)
    }

    /// What `pp-greetd --once` and the daemon's first log line print with library `version`.
    public static func greeting(_ version: String) -> String { "pp-greetd: hello from libppgreet \(version)" }

    private static func libraryDeb(_ version: String, architecture: String, multiarch: String,
                                   build: URL, into directory: URL) async throws -> LabDeb {
        let source = build.appendingPathComponent("greet-\(version).c")
        try Data(LabOutdatedSources.library(version: version).utf8).write(to: source)
        let object = build.appendingPathComponent("libppgreet-\(version).so.1")
        try await compile(["-O2", "-shared", "-fPIC", "-Wl,-soname,\(libraryFile)", "-o", object.path, source.path])
        let control = LabDebBuilder.control(
            package: library, version: version, architecture: architecture,
            extra: ["Multi-Arch": "same", "Depends": "libc6"], summary: "PostPatch lab shared library libppgreet.so.1")
        let file = LabDebBuilder.File("/usr/lib/\(multiarch)/\(libraryFile)", try Data(contentsOf: object))
        let changelog = LabDebBuilder.File("/usr/share/doc/\(library)/changelog.Debian.gz",
                                           try await gzip(changelog(upTo: version), build: build, name: "changelog-\(version)"))
        return try await LabDebBuilder.build(package: library, version: version, architecture: architecture, control: control,
                                             files: [file, changelog], meta: ["triggers": "activate-noawait ldconfig\n"], in: directory)
    }

    /// The library's Debian changelog as `version` ships it: its entry and the older ones.
    public static func changelog(upTo version: String) -> String {
        let entries = [
            (newVersion, "bookworm-security", "high", "  * Bounds-check the greeting's name (CVE-2026-0001).\n  * Security update (\(newFixes[1])).",
             "Mon, 07 Dec 2026 10:00:00 +0000"),
            (oldVersion, "bookworm", "medium", "  * Initial release, with the fix for \(oldFix) from upstream.", "Mon, 01 Jun 2026 10:00:00 +0000"),
        ]
        return entries.drop { $0.0 != version }.map { v, dist, urgency, body, date in
            "\(library) (\(v)) \(dist); urgency=\(urgency)\n\n\(body)\n\n -- PostPatch Lab <lab@postpatch.invalid>  \(date)\n"
        }.joined(separator: "\n")
    }

    /// `gzip -9n` of `text` (as dpkg-deb packages' changelogs are).
    private static func gzip(_ text: String, build: URL, name: String) async throws -> Data {
        let file = build.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: file.appendingPathExtension("gz"))
        try Data(text.utf8).write(to: file)
        let result = try await LabProcess.run("/bin/gzip", ["-9n", file.path])
        guard result.status == 0 else { throw LabError("gzip \(file.path) failed (status \(result.status)): \(result.output)") }
        return try Data(contentsOf: file.appendingPathExtension("gz"))
    }

    private static func daemonDeb(architecture: String, build: URL, into directory: URL) async throws -> LabDeb {
        // Linked against the 1.0-1 library; only the soname matters (DT_NEEDED libppgreet.so.1).
        let link = build.appendingPathComponent(libraryFile)
        try? FileManager.default.removeItem(at: link)
        try FileManager.default.copyItem(at: build.appendingPathComponent("libppgreet-\(oldVersion).so.1"), to: link)
        let source = build.appendingPathComponent("greetd.c")
        try Data(LabOutdatedSources.daemon.utf8).write(to: source)
        let binary = build.appendingPathComponent("pp-greetd")
        try await compile(["-O2", "-o", binary.path, source.path, "-L", build.path, "-l:\(libraryFile)"])
        let control = LabDebBuilder.control(
            package: daemon, version: oldVersion, architecture: architecture,
            extra: ["Depends": "\(library) (>= \(oldVersion)), libc6"], summary: "PostPatch lab daemon linked to libppgreet.so.1")
        let files = [
            LabDebBuilder.File(daemonPath, try Data(contentsOf: binary), mode: 0o755),
            LabDebBuilder.File("/lib/systemd/system/\(unit)", text: LabOutdatedSources.unitFile),
        ]
        return try await LabDebBuilder.build(package: daemon, version: oldVersion, architecture: architecture, control: control,
                                             files: files, scripts: LabOutdatedSources.daemonScripts, in: directory)
    }

    private static func kernelDeb(architecture: String, into directory: URL) async throws -> LabDeb {
        let version = kernelRelease.replacingOccurrences(of: "-pplab", with: "")
        let control = LabDebBuilder.control(package: kernel, version: version, architecture: architecture,
                                            summary: "PostPatch lab dummy kernel image (not bootable)")
        let banner = "Linux version \(kernelRelease) (lab@postpatch.invalid) #1 SMP PREEMPT_DYNAMIC Debian \(version)\n"
        return try await LabDebBuilder.build(package: kernel, version: version, architecture: architecture, control: control,
                                             files: [LabDebBuilder.File(kernelImage, text: banner)], in: directory)
    }

    private static func coreDeb(architecture: String, into directory: URL) async throws -> LabDeb {
        let control = LabDebBuilder.control(package: core, version: coreVersion, architecture: architecture,
                                            summary: "PostPatch lab stand-in for intel-microcode (empty)")
        let note = LabDebBuilder.File("/usr/share/doc/\(core)/PPLAB", text: "empty PostPatch lab package\n")
        return try await LabDebBuilder.build(package: core, version: coreVersion, architecture: architecture,
                                             control: control, files: [note], in: directory)
    }

    private static func compile(_ arguments: [String]) async throws {
        let result = try await LabProcess.run("/usr/bin/gcc", arguments, timeout: .seconds(120))
        guard result.status == 0 else {
            throw LabError("gcc \(arguments.joined(separator: " ")) failed (status \(result.status)): \(result.output)")
        }
    }

    private static func tool(_ path: String, _ arguments: [String]) async throws -> String {
        let result = try await LabProcess.run(path, arguments)
        let value = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == 0, !value.isEmpty, !value.contains(" ") else {
            throw LabError("\(path) \(arguments.joined(separator: " ")) failed (status \(result.status)): \(result.output)")
        }
        return value
    }
}
