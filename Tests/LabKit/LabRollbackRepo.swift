import Foundation
import TestSupport

/// A daemon package whose new version breaks it, served from a local apt repository inside a
/// lab host, for `postpatch rollback` and `rollout --on-halt rollback` / `--pin`:
/// - `pp-lab-flakyd` 1.0-1: /usr/sbin/pp-flakyd sleeps forever under pp-flakyd.service, which
///   its postinst enables and (re)starts as debhelper's scripts do (`|| true`: a failing
///   restart does not fail the package);
/// - `pp-lab-flakyd` 1.1-1: the same, but the daemon exits 1 at once: the unit fails;
/// - `pp-lab-flakyd` 1.2-1 and 1.3-1: work again (a fixed release, and the "newer version
///   landing mid-rollout" of --pin).
/// Architecture `all` (shell scripts): no compiler needed.
///
/// The repository: each version's .deb in `/srv/pp-rollback/pool`, and an index
/// (`Packages`, made here with apt-ftparchive) naming the versions `publish` is given, in
/// `/srv/pp-rollback/repo`, the host's only apt source.
public enum LabRollbackRepo {
    public static let package = "pp-lab-flakyd"
    public static let unit = "pp-flakyd.service"
    public static let good = "1.0-1", broken = "1.1-1", newer = "1.2-1", newest = "1.3-1"
    public static let remote = "/srv/pp-rollback"

    public static func requireTools() throws {
        try LabSkip.require("/usr/bin/dpkg-deb", package: "dpkg")
        try LabSkip.require("/usr/bin/apt-ftparchive", package: "apt-utils")
    }

    /// Builds (or reuses) the four versions in `directory`.
    public static func build(in directory: URL) async throws -> [String: LabDeb] {
        try requireTools()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var debs: [String: LabDeb] = [:]
        for version in [good, broken, newer, newest] {
            let body = version == broken ? "echo 'pp-flakyd \(version): broken build' >&2\nexit 1\n" : "exec sleep infinity\n"
            let files = [
                LabDebBuilder.File("/usr/sbin/pp-flakyd", text: "#!/bin/sh\necho 'pp-flakyd \(version) starting'\n\(body)", mode: 0o755),
                LabDebBuilder.File("/lib/systemd/system/\(unit)",
                                   text: "[Unit]\nDescription=PostPatch rollback lab daemon\n[Service]\nType=exec\nExecStart=/usr/sbin/pp-flakyd\n[Install]\nWantedBy=multi-user.target\n"),
            ]
            let scripts = [
                "postinst": "#!/bin/sh\nset -e\nif [ \"$1\" = configure ] && [ -d /run/systemd/system ]; then\n  systemctl daemon-reload\n  systemctl enable \(unit) >/dev/null 2>&1 || true\n  systemctl restart \(unit) || true\nfi\n",
                "prerm": "#!/bin/sh\nset -e\nif [ \"$1\" = remove ] && [ -d /run/systemd/system ]; then systemctl disable --now \(unit) || true; fi\n",
            ]
            debs[version] = try await LabDebBuilder.build(
                package: package, version: version, architecture: "all",
                control: LabDebBuilder.control(package: package, version: version, architecture: "all", summary: "PostPatch rollback lab daemon"),
                files: files, scripts: scripts, in: directory)
        }
        return debs
    }

    /// Uploads every built version to the host's pool and makes the repository its only apt
    /// source, publishing `versions`.
    public static func setUp(_ host: SystemdHost, debs: [String: LabDeb], versions: [String]) async throws {
        try await host.upload(debs.values.map(\.url), into: remote + "/pool")
        try await host.runAsRoot("printf 'deb [trusted=yes] file:\(remote)/repo ./\\n' >/etc/apt/sources.list && rm -f /etc/apt/sources.list.d/*.list")
        try await publish(host, debs: debs, versions: versions)
    }

    /// Serves exactly `versions` from the repository (an index made here, the .debs copied
    /// from the pool), then `apt-get update`; and empties apt's .deb cache, so a version that
    /// is not published can be had nowhere.
    public static func publish(_ host: SystemdHost, debs: [String: LabDeb], versions: [String]) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pp-rollback-repo-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let chosen = versions.compactMap { debs[$0] }
        for deb in chosen { try FileManager.default.copyItem(at: deb.url, to: dir.appendingPathComponent(deb.url.lastPathComponent)) }
        let index = try await LabProcess.run("/bin/sh", ["-c", "cd \(SystemdHost.shellQuote(dir.path)) && apt-ftparchive packages . >Packages && apt-ftparchive release . >Release"])
        guard index.status == 0 else { throw LabError("apt-ftparchive failed: \(index.output)") }
        try await host.runAsRoot("rm -rf \(remote)/repo")
        try await host.upload([dir], into: remote)
        try await host.runAsRoot("mv \(remote)/\(dir.lastPathComponent) \(remote)/repo && apt-get -qq update && apt-get clean")
    }

    /// `dpkg-query -W` of the host: every package and version, one per line.
    public static func dpkgList(_ host: SystemdHost) async throws -> String {
        try await host.runAsRoot("dpkg-query -W").output
    }
}
