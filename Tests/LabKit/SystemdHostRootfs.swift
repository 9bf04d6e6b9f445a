import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Where lab systemd hosts get their root filesystem: the trees `scripts/lab-rootfs` builds once
/// per machine (debootstrap, one to several minutes) and caches under /var/cache/postpatch-lab.
public enum SystemdHostRootfs {
    /// Which tree a host boots (see scripts/lab-rootfs).
    public enum Flavour: String, Sendable, CaseIterable {
        /// debootstrap minbase, timers and slow units masked: quiet hosts for exact-finding tests.
        case minbase
        /// debootstrap's default variant plus nginx, cron, rsyslog, unattended-upgrades and
        /// needrestart, every timer and daemon left on, as a real server runs.
        case realistic

        /// Names a ready tree and skips the script (for machines that cannot debootstrap but
        /// have a rootfs from elsewhere).
        public var overrideVariable: String {
            self == .minbase ? "POSTPATCH_LAB_ROOTFS" : "POSTPATCH_LAB_ROOTFS_REALISTIC"
        }
    }

    static let nspawn = "/usr/bin/systemd-nspawn"
    static let ssh = "/usr/bin/ssh"

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cached: [Flavour: String] = [:]

    /// scripts/lab-rootfs, found from this file's place in the package.
    static var script: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/lab-rootfs")
    }

    /// The rootfs path of `flavour`, building it on first use in this process. What the lab
    /// cannot provide (not root, a failed build, no systemd-nspawn) throws `XCTSkip` locally
    /// and `LabError` under CI=true, naming what is missing.
    public static func path(_ flavour: Flavour = .minbase) async throws -> String {
        if let done = lock.withLock({ cached[flavour] }) { return done }
        try LabSkip.requireRoot("a systemd lab host (systemd-nspawn, ip netns)")
        let root: String
        if let given = ProcessInfo.processInfo.environment[flavour.overrideVariable], !given.isEmpty {
            root = given
        } else {
            root = try await build(flavour)
        }
        guard FileManager.default.fileExists(atPath: root + "/usr/lib/systemd/systemd") else {
            throw LabSkip.missing("\(root) holds no systemd (usr/lib/systemd/systemd)", fix: "rebuild it with scripts/lab-rootfs \(flavour.rawValue)")
        }
        for (tool, package) in [(nspawn, "systemd-container"), (ssh, "openssh-client"), (NetNamespace.ip, "iproute2")] {
            try LabSkip.require(tool, package: package)
        }
        lock.withLock { cached[flavour] = root }
        return root
    }

    /// Runs `scripts/lab-rootfs FLAVOUR` (a no-op when the cached tree is current).
    private static func build(_ flavour: Flavour) async throws -> String {
        guard FileManager.default.isExecutableFile(atPath: script.path) else {
            throw LabSkip.missing("\(script.path) is missing or not executable", fix: "restore it from git")
        }
        let started = ContinuousClock.now
        let result = try await LabProcess.run("/bin/bash", [script.path, flavour.rawValue], timeout: .seconds(1800))
        let (status, output) = (result.status, result.output)
        let lines = output.split(separator: "\n")
        guard status == 0, let last = lines.last(where: { $0.hasPrefix("/") }) else {
            let tail = lines.suffix(4).joined(separator: " | ")
            throw LabSkip.missing("scripts/lab-rootfs \(flavour.rawValue) could not build the Debian rootfs (status \(status))", fix: "see its output: \(tail)")
        }
        if lines.contains(where: { $0.contains("lab-rootfs: built") }) {
            print("SystemdHostRootfs: built \(last) in \(ContinuousClock.now - started)")
        }
        return String(last)
    }

}
