import Engine
import Foundation
import LabKit
import Model
import XCTest

/// Configuration files on real lab systemd hosts, with a real .deb pair: pp-lab-conf 1.0-1 and
/// 1.1-1 ship /etc/pp-lab-conf/app.conf as a conffile with different contents. The operator
/// tunes the file under 1.0-1, the baseline is taken, and 1.1-1 is installed with dpkg itself,
/// as apt would run it: `--force-confnew` (a "Y" at the prompt) replaces the operator's file and
/// sets it aside as .dpkg-old; `--force-confold` keeps it and sets the new default aside as
/// .dpkg-dist. Declared files: a file's mode changed by chmod.
final class ConfigFilesLabTests: E2ETestCase {
    static let package = "pp-lab-conf"
    static let conffile = "/etc/pp-lab-conf/app.conf"

    /// The two versions, built once per lab run (LabDebBuilder reuses built .debs).
    func debs() async throws -> (old: LabDeb, new: LabDeb) {
        let folder = URL(fileURLWithPath: lab.dir).appendingPathComponent("debs")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func build(_ version: String, _ workers: Int) async throws -> LabDeb {
            let control = LabDebBuilder.control(package: Self.package, version: version, architecture: "all",
                                                summary: "a conffile that changes between versions")
            return try await LabDebBuilder.build(
                package: Self.package, version: version, architecture: "all", control: control,
                files: [.init(Self.conffile, text: "# \(Self.package) \(version): the package's default\nworkers = \(workers)\n")],
                meta: ["conffiles": Self.conffile + "\n"], in: folder)
        }
        return (try await build("1.0-1", 4), try await build("1.1-1", 8))
    }

    /// A host with 1.0-1 installed and its conffile tuned by the operator, baselined as root.
    func tunedHost(_ name: String, checks: CheckSet = CheckSet()) async throws -> (SystemdHost, HostTarget, LabDeb) {
        let (old, new) = try await debs()
        let host = try await bootSettledHost(name)
        try await host.install(debs: [old])
        try await host.upload([new.url], into: SystemdHost.uploadFolder)
        try await host.runAsRoot("echo 'workers = 64 # tuned by the operator' >> \(Self.conffile)")
        let t = systemdTarget(host, user: SystemdHost.sudoUser, sudo: true, checks: checks)
        let base = try await baseline([t], knownHosts: host.knownHostsPath)
        let app = base.first?.configs?.files.first { $0.path == Self.conffile }
        XCTAssertEqual(app.map { "\($0.package) \($0.manager) \($0.state)" }, "pp-lab-conf dpkg modified")
        XCTAssertEqual(base.first?.configs?.leftovers ?? [ConfigLeftover(path: "?")], [], "a fresh minbase host has no leftovers")
        XCTAssertTrue(base.first?.isCaptured(.configs) ?? false)
        XCTAssertNil(base.first?.partialReason(.configs))
        return (host, t, new)
    }

    func upgrade(_ host: SystemdHost, _ deb: LabDeb, _ option: String) async throws -> String {
        let path = "\(SystemdHost.uploadFolder)/\(deb.url.lastPathComponent)"
        return try await host.runAsRoot("DEBIAN_FRONTEND=noninteractive dpkg \(option) -i \(path) </dev/null 2>&1").output
    }

    func testConfnewReplacesTheOperatorsFileAndNamesTheDpkgOld() async throws {
        let (host, t, new) = try await tunedHost("conf-new")
        let said = try await upgrade(host, new, "--force-confnew")
        XCTAssertTrue(said.contains("Installing new version of config file"), said)
        let v = verdict(try await verify([t], knownHosts: host.knownHostsPath), t.name)
        assertFindings(v, [.init(.configReplaced, .warning, Self.conffile), .init(.packageUpgraded, .info, Self.package)],
                       "dpkg --force-confnew over the operator's change")
        XCTAssertEqual(v?.findings.first { $0.kind == .configReplaced }?.message,
                       "your /etc/pp-lab-conf/app.conf was replaced by pp-lab-conf's version; your version is in app.conf.dpkg-old")
        XCTAssertEqual(v?.findings.first { $0.kind == .configReplaced }?.explainedBy, ["\(Self.package) 1.0-1 → 1.1-1"])
    }

    func testConfoldKeepsTheOperatorsFileAndNamesTheDpkgDist() async throws {
        let (host, t, new) = try await tunedHost("conf-old")
        let said = try await upgrade(host, new, "--force-confold")
        XCTAssertTrue(said.contains("Using current old file"), said)
        let v = verdict(try await verify([t], knownHosts: host.knownHostsPath), t.name)
        assertFindings(v, [.init(.configUnmerged, .warning, Self.conffile), .init(.packageUpgraded, .info, Self.package)],
                       "dpkg --force-confold over the operator's change")
        XCTAssertEqual(v?.findings.first { $0.kind == .configUnmerged }?.message,
                       "pp-lab-conf's new default for /etc/pp-lab-conf/app.conf was set aside as app.conf.dpkg-dist; "
                           + "the service runs your old file: merge it")
        XCTAssertEqual(v?.findings.first { $0.kind == .configUnmerged }?.explainedBy, ["\(Self.package) 1.0-1 → 1.1-1"])
    }

    func testDeclaredFileModeChangeIsFileChanged() async throws {
        let host = try await bootSettledHost("files-mode")
        let path = "/etc/pp-lab-app.conf"
        try await host.runAsRoot("printf 'listen = 8080\\n' > \(path) && chmod 644 \(path)")
        let t = systemdTarget(host, user: SystemdHost.sudoUser, sudo: true,
                              checks: CheckSet(files: [FileCheck(path: path), FileCheck(path: "/etc/pp-lab-absent")]))
        let base = try await baseline([t], knownHosts: host.knownHostsPath)
        XCTAssertEqual(base.first?.files?.map { "\($0.path) \($0.type) \($0.mode ?? "-") \($0.owner ?? "-"):\($0.group ?? "-")" },
                       ["\(path) file 644 root:root", "/etc/pp-lab-absent missing - -:-"])
        XCTAssertEqual(base.first?.files?.first?.digest?.hasPrefix("sha256:"), true)
        assertFindings(verdict(try await verify([t], knownHosts: host.knownHostsPath), t.name), [], "unchanged")

        try await host.runAsRoot("chmod 600 \(path)")
        let v = verdict(try await verify([t], knownHosts: host.knownHostsPath), t.name)
        assertFindings(v, [.init(.fileChanged, .warning, path)], "chmod 600")
        XCTAssertEqual(v?.findings.first?.message, "\(path) changed: mode 644 → 600")

        try await host.runAsRoot("rm \(path)")
        assertFindings(verdict(try await verify([t], knownHosts: host.knownHostsPath), t.name),
                       [.init(.fileMissing, .regression, path)], "removed")
    }
}
