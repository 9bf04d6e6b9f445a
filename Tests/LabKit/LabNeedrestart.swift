import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// needrestart for lab systemd hosts, as the reference PostPatch's outdated-code findings are
/// compared with. The minbase rootfs has no needrestart; this machine's apt downloads it with
/// the part of its Depends closure the rootfs lacks, once per machine, into
/// /var/cache/postpatch-lab/debs (the rootfs itself is only read). Versions come from the
/// rootfs's own suite (`APT::Default-Release`), never from -security: installing them must not
/// upgrade anything already in the rootfs, or needrestart would rightly name every unit mapping
/// the upgraded library (liblzma5 from xz-utils would catch systemd, journald, logind...).
public enum LabNeedrestart {
    /// Set inside the host by `installNeedrestart()`: list only, never restart by itself.
    public static let configPath = "/etc/needrestart/conf.d/pplab.conf"
    public static let config = "# PostPatch lab: report only, never restart anything\n$nrconf{restart} = 'l';\n"

    /// Where the downloaded .debs are kept: $POSTPATCH_LAB_CACHE/debs, as scripts/lab-rootfs.
    public static var cacheFolder: URL {
        let base = ProcessInfo.processInfo.environment["POSTPATCH_LAB_CACHE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "/var/cache/postpatch-lab"
        return URL(fileURLWithPath: base).appendingPathComponent("debs")
    }

    /// needrestart and what it needs beyond the rootfs, downloaded on first use (idempotent:
    /// a folder per install plan, swapped in whole). Skips locally, fails under CI=true, when
    /// apt cannot plan or download them.
    public static func debs() async throws -> [LabDeb] {
        try LabSkip.require("/usr/bin/apt-get", package: "apt")
        let rootfs = try await SystemdHostRootfs.path()
        let plan = try await installPlan(rootfs: rootfs)
        let key = plan.map { "\($0.package)=\($0.version)" }.joined(separator: "\n") + "\n"
        var hash: UInt64 = 14_695_981_039_346_656_037  // FNV-1a: stable across runs, unlike hashValue
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        let folder = cacheFolder.appendingPathComponent("needrestart-\(String(hash, radix: 16))")
        if let done = try? String(contentsOf: folder.appendingPathComponent("PLAN"), encoding: .utf8), done == key {
            return try await debs(in: folder)
        }
        try FileManager.default.createDirectory(at: cacheFolder, withIntermediateDirectories: true)
        let partial = cacheFolder.appendingPathComponent(".download-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(at: partial) }
        let started = ContinuousClock.now
        let fetched = try await LabProcess.run(
            "/usr/bin/apt-get", ["download", "-q"] + plan.map { "\($0.package)=\($0.version)" },
            directory: partial, timeout: .seconds(600))
        guard fetched.status == 0 else {
            throw LabSkip.missing("apt-get download of needrestart and its dependencies failed (status \(fetched.status))",
                                  fix: "check the apt sources and the network: \(fetched.output.suffix(600))")
        }
        try Data(key.utf8).write(to: partial.appendingPathComponent("PLAN"))
        // Another run may have swapped its copy in first: then this one is dropped.
        if rename(partial.path, folder.path) == 0 {
            print("LabNeedrestart: downloaded \(plan.count) packages into \(folder.path) in \(ContinuousClock.now - started)")
        }
        return try await debs(in: folder)
    }

    /// The packages `apt-get install needrestart` would add to the rootfs (no recommends),
    /// simulated against the rootfs's dpkg status file. Throws if it would upgrade any.
    static func installPlan(rootfs: String) async throws -> [(package: String, version: String)] {
        let release = try String(contentsOfFile: rootfs + "/etc/os-release", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("VERSION_CODENAME=") }?
            .dropFirst("VERSION_CODENAME=".count) ?? "bookworm"
        let simulated = try await LabProcess.run("/usr/bin/apt-get", [
            "-s", "-o", "Dir::State::status=\(rootfs)/var/lib/dpkg/status", "-o", "APT::Install-Recommends=false",
            "-o", "APT::Default-Release=\(release)", "install", "needrestart",
        ])
        guard simulated.status == 0 else {
            throw LabSkip.missing("apt-get cannot plan needrestart for the lab rootfs (status \(simulated.status))",
                                  fix: "try `apt-get update`: \(simulated.output.suffix(600))")
        }
        // "Inst perl (5.36.0-7+deb12u3 Debian:12.15/oldstable [amd64])"; an upgrade has "[old]" after the name.
        let lines = simulated.output.split(separator: "\n").filter { $0.hasPrefix("Inst ") }
        let upgrades = lines.filter { $0.split(separator: " ").dropFirst(2).first?.hasPrefix("[") == true }
        guard upgrades.isEmpty else {
            throw LabError("installing needrestart would upgrade rootfs packages (\(upgrades.joined(separator: "; "))): rebuild the rootfs with scripts/lab-rootfs so it matches this machine's \(release) mirror")
        }
        let plan = lines.compactMap { line -> (package: String, version: String)? in
            let words = line.split(separator: " ")
            guard words.count >= 3, words[2].hasPrefix("(") else { return nil }
            return (String(words[1]), String(words[2].dropFirst()))
        }
        guard plan.contains(where: { $0.package == "needrestart" }) else {
            throw LabError("apt-get's plan for needrestart names no needrestart: \(simulated.output.suffix(600))")
        }
        return plan
    }

    private static func debs(in folder: URL) async throws -> [LabDeb] {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".deb") }.sorted()
        var debs: [LabDeb] = []
        for file in files {
            let url = folder.appendingPathComponent(file)
            let fields = try await LabProcess.run("/usr/bin/dpkg-deb", ["--field", url.path, "Package", "Version"])
            var values: [String: String] = [:]
            for line in fields.output.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2 { values[parts[0]] = parts[1] }
            }
            guard fields.status == 0, let package = values["Package"], let version = values["Version"] else {
                throw LabError("\(url.path) is not a readable .deb: remove \(folder.path) and run again: \(fields.output.prefix(300))")
            }
            debs.append(LabDeb(url: url, package: package, version: version))
        }
        return debs
    }
}

extension SystemdHost {
    /// Installs needrestart (see `LabNeedrestart`) and configures it to list, never restart.
    public func installNeedrestart() async throws {
        try await install(debs: try await LabNeedrestart.debs())
        try await runAsRoot("mkdir -p /etc/needrestart/conf.d && printf %s \(Self.shellQuote(LabNeedrestart.config)) > \(LabNeedrestart.configPath)")
    }

    /// The full output of `needrestart -b -r l` (batch mode, list only) run as root inside.
    public func needrestartBatch() async throws -> String {
        try await runAsRoot("needrestart -b -r l", timeout: .seconds(120)).output
    }
}
