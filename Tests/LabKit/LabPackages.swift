import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A tiny local Debian package (`pp-lab-*`, Architecture: all, one file
/// /usr/share/<name>/VERSION) built with `dpkg-deb` and installed with dpkg on THIS machine, so
/// end-to-end tests can install, upgrade, downgrade or remove a package between two captures.
///
/// Every built version is cached in `directory`; installing any version over another is a
/// plain `dpkg -i` (dpkg accepts downgrades with a warning). Tests must run as root. Packages
/// are global machine state: call `remove()` or `LabPackages.purgeAll()` in tearDown.
public final class LabPackages: @unchecked Sendable {
    /// The everyday lab package, walked 1.0-1 -> 1.1-1 (and back to 0.9-1 for downgrades).
    public static let tool = "pp-lab-tool"
    /// A second package whose version tests set freely, for "removed/downgraded" findings.
    public static let security = "pp-lab-security"
    /// Versions the lab uses; any Debian version string is accepted by `build`/`install`.
    public static let oldVersion = "0.9-1", baseVersion = "1.0-1", newVersion = "1.1-1"
    /// Every lab package name starts with this, so `purgeAll` can find strays.
    public static let prefix = "pp-lab-"

    public let name: String
    /// Where the .deb files are built and cached (e.g. the lab's temp dir).
    public let directory: URL

    /// `name` must start with "pp-lab-" so `purgeAll` can always clean it up.
    public init(name: String = LabPackages.tool, directory: URL) throws {
        guard name.hasPrefix(Self.prefix), name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) else {
            throw LabError("lab package name \(name) must start with \(Self.prefix) and use only a-z, 0-9 and -")
        }
        self.name = name
        self.directory = directory
    }

    /// Skips (locally) or fails (CI=true) when dpkg tools are missing or we are not root.
    public static func requireTools() throws {
        try LabSkip.require("/usr/bin/dpkg-deb", package: "dpkg")
        try LabSkip.require("/usr/bin/dpkg", package: "dpkg")
        try LabSkip.require("/usr/bin/dpkg-query", package: "dpkg")
        try LabSkip.requireRoot("running dpkg for lab packages")
    }

    /// The .deb for `version`, built on first use and reused afterwards.
    @discardableResult
    public func build(version: String) async throws -> URL {
        let control = LabDebBuilder.control(
            package: name, version: version, architecture: "all",
            summary: "PostPatch lab package (test fixture, safe to purge)")
        let file = LabDebBuilder.File("/usr/share/\(name)/VERSION", text: "\(version)\n")
        return try await LabDebBuilder.build(package: name, version: version, architecture: "all", control: control,
                                             files: [file], in: directory).url
    }

    /// Installs `version` (building it if needed), replacing whatever version is installed.
    public func install(version: String) async throws {
        let deb = try await build(version: version)
        try await Self.dpkg(["--install", deb.path], what: "install \(name) \(version)")
        let now = try await installedVersion()
        guard now == version else {
            throw LabError("dpkg installed \(name) but dpkg-query reports \(now ?? "not installed"), expected \(version)")
        }
    }

    /// Moves an installed package to `version` (newer or older); fails when nothing is installed.
    public func upgrade(to version: String) async throws {
        guard try await installedVersion() != nil else {
            throw LabError("cannot upgrade \(name): it is not installed; call install(version:) first")
        }
        try await install(version: version)
    }

    /// Sets the installed version (installing if needed); nil removes the package.
    public func setVersion(_ version: String?) async throws {
        if let version { try await install(version: version) } else { try await remove() }
    }

    /// Purges the package; a no-op when it is not installed.
    public func remove() async throws {
        try await Self.dpkg(["--purge", name], what: "purge \(name)")
    }

    /// The installed version per dpkg-query, nil when not installed (or only config files left).
    public func installedVersion() async throws -> String? {
        let result = try await LabProcess.run("/usr/bin/dpkg-query",
                                              ["--show", "--showformat=${db:Status-Abbrev}|${Version}\\n", name])
        guard result.status == 0 else { return nil }  // "no packages found matching"
        for line in result.output.split(separator: "\n") {
            let parts = line.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0] == "ii" { return parts[1] }
        }
        return nil
    }

    /// Purges every installed `pp-lab-*` package, whoever installed it (cleans up after crashes).
    public static func purgeAll() async throws {
        let listed = try await LabProcess.run("/usr/bin/dpkg-query", ["--show", "--showformat=${Package}\\n", "\(prefix)*"])
        let names = listed.status == 0
            ? listed.output.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) }
            : []
        guard !names.isEmpty else { return }
        try await dpkg(["--purge"] + names, what: "purge \(names.joined(separator: " "))")
    }

    /// Runs dpkg, retrying for up to a minute while another dpkg/apt holds the lock (other
    /// helpers on this machine may be running apt-get install at the same time).
    static func dpkg(_ arguments: [String], what: String) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let result = try await LabProcess.run("/usr/bin/dpkg", arguments, timeout: .seconds(120))
            if result.status == 0 { return }
            if result.output.contains("lock"), ContinuousClock.now < deadline {
                try await Task.sleep(for: .seconds(1))  // a retry interval while apt holds the lock, not a wait
                continue
            }
            throw LabError("dpkg could not \(what) (status \(result.status)): \(result.output)")
        }
    }
}
