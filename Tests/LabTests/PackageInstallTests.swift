import Foundation
import LabKit
import TestSupport
import Model
import XCTest

/// The Debian package as an operator meets it (issue 15): `apt-get install ./postpatch_*.deb` on
/// a clean Debian 12 without Swift or build tools, the deps from apt; `--version`, a man page,
/// `snapshot local`, a real baseline and verify against a lab sshd on loopback; `apt-get purge`
/// leaves nothing. And the drift timer on a lab systemd host: its first run, as the package's
/// system user, writes the Prometheus textfile where the unit says.
///
/// The package is built once per test process (`PackageDeb`: POSTPATCH_DEB, or scripts/package
/// reusing dist/ when it holds HEAD's package).
final class PackageInstallTests: E2ETestCase {
    private func sandbox() async throws -> PackageSandbox {
        let box = try await PackageSandbox.make()
        cleanup { box.remove() }
        return box
    }

    func testDebInstallsWithAptRunsAVerifyWithoutSwiftAndPurgesToNothing() async throws {
        let deb = try await PackageDeb.get()
        let box = try await sandbox()
        let debInside = try box.share(deb.url.path)

        // The machine is clean: no Swift, no compiler, not even the libraries the package needs.
        let clean = try await box.run("command -v swift swiftc gcc cc ld; ls -d /usr/lib/swift /opt/swift 2>/dev/null; dpkg-query -W libssh2-1 2>/dev/null")
        XCTAssertEqual(clean.output, "", "the sandbox is not clean")

        let install = try await box.mustRun("apt-get update -qq && apt-get install -y --no-install-recommends \(debInside)", timeout: .seconds(900))
        XCTAssertTrue(install.contains("libssh2-1"), "libssh2-1 should come from apt as a dependency:\n\(install.suffix(3000))")

        let version = try await box.mustRun("postpatch --version")
        XCTAssertEqual(version.trimmingCharacters(in: .whitespacesAndNewlines), deb.version)
        let ldd = try await box.mustRun("ldd /usr/bin/postpatch")
        XCTAssertFalse(ldd.contains("not found") || ldd.contains("swift"), ldd)

        // Not 80 columns: man-db would keep the formatted page in /var/cache/man/cat1.
        let man = try await box.mustRun("MANWIDTH=100 man -P cat postpatch-verify 2>&1")
        XCTAssertTrue(man.contains("postpatch verify") && man.contains("SYNOPSIS") && man.contains("--settle"), man)
        let shells = try await box.run("ls /usr/share/bash-completion/completions/postpatch /usr/share/zsh/vendor-completions/_postpatch /usr/share/fish/vendor_completions.d/postpatch.fish /lib/systemd/system/postpatch-drift@.service /lib/systemd/system/postpatch-drift@.timer /usr/share/doc/postpatch/examples/fleet.yaml /usr/share/postpatch/prometheus/postpatch-alerts.yml /usr/share/postpatch/grafana/postpatch-dashboard.json")
        XCTAssertEqual(shells.status, 0, shells.output)

        let snapshot = try await box.mustRun("cd /pkgtest && postpatch snapshot local --skip-pending-updates > local.json")
        let local = try SnapshotCoding.decoder().decode(Snapshot.self, from: Data(contentsOf: URL(fileURLWithPath: box.share + "/local.json")))
        XCTAssertTrue(local.packages.contains { $0.name == "postpatch" }, "snapshot local should list the package itself: \(snapshot)")

        // A real baseline and verify over SSH: this machine through the lab sshd on loopback.
        let listener = try listen(.tcp, port: try lowPort())
        let identity = try box.share(key.privatePath, as: "id_lab")
        let known = try box.share(knownHosts, as: "known_hosts")
        let config = """
            defaults: { user: \(Lab.user), identity: \(identity), known_hosts: \(known) }
            hosts:
              lab: { address: 127.0.0.1, port: \(sshd.port) }
            checks: { connectivity: [{ target: 127.0.0.1, port: \(listener.port), timeout: 2 }] }
            ignore: { sockets: ["*"] }

            """
        try config.write(toFile: box.share + "/checks.yaml", atomically: true, encoding: .utf8)
        let flags = "--config checks.yaml --baselines baselines --skip-pending-updates"
        let baseline = try await box.run("cd /pkgtest && postpatch baseline \(flags)")
        XCTAssertEqual(baseline.status, 0, baseline.output)
        listener.close()
        let verify = try await box.run("cd /pkgtest && postpatch verify \(flags) --json verify.json")
        XCTAssertEqual(verify.status, 1, "a lost connectivity target is a regression:\n\(verify.output)")
        let report = (try? String(contentsOfFile: box.share + "/verify.json", encoding: .utf8)) ?? ""
        XCTAssertTrue(report.contains("\"connectivity-lost\""), report.prefix(3000) + "")

        // Purge: nothing of the package is left. Everything written inside is in the overlay's
        // upper layer, so a path of the package may remain there only as a folder the clean
        // tree already had (a copied-up parent such as /usr/share/doc).
        let listed = try await box.mustRun("dpkg -L postpatch")
        let paths = listed.split(separator: "\n").map(String.init).filter { $0.hasPrefix("/") && $0 != "/." }
        XCTAssertTrue(paths.contains("/usr/bin/postpatch"), listed)
        try await box.mustRun("apt-get purge -y postpatch")
        var isDir: ObjCBool = false
        for path in paths + ["/etc/postpatch", "/var/lib/postpatch"] where FileManager.default.fileExists(atPath: box.upper + path, isDirectory: &isDir) {
            let inClean = FileManager.default.fileExists(atPath: box.base + path)
            XCTAssertTrue(isDir.boolValue && inClean, "\(path) is left after apt-get purge")
        }
        let written = FileManager.default.enumerator(atPath: box.upper)?.allObjects as? [String] ?? []
        XCTAssertEqual(written.filter { $0.contains("postpatch") }, [], "files named after the package are left after purge")
        // The system user stays, as Debian's maintainer guides advise (files may still carry its
        // uid); docs/packaging.md says so.
        let user = try await box.run("getent passwd postpatch")
        XCTAssertEqual(user.status, 0, "the postpatch system user is kept on purge")
    }

    func testDriftTimerFirstRunWritesTheTextfileAsTheSystemUser() async throws {
        let deb = try await PackageDeb.get()
        let host = try await SystemdHost.boot(lab: lab, name: "pkgtimer", authorizedKeys: [key])
        cleanup { await host.stop() }
        let settled = try await host.ssh("systemctl is-system-running --wait", timeout: .seconds(60))
        XCTAssertEqual(settled.output.trimmingCharacters(in: .whitespacesAndNewlines), "running", settled.output)

        // The lab host has no apt sources: what it lacks of Depends comes as .debs from this
        // machine's apt (the same Debian 12), installed with the package in one dpkg run.
        var debs = [LabDeb(url: deb.url, package: "postpatch", version: deb.version)]
        let downloads = lab.dir + "/deps"
        try FileManager.default.createDirectory(atPath: downloads, withIntermediateDirectories: true)
        for name in deb.dependencyNames {
            if try await host.installedVersion(of: name) == nil { debs.append(try await Self.download(name, into: downloads)) }
        }
        try await host.install(debs: debs)
        let user = try await host.ssh("getent passwd postpatch")
        XCTAssertTrue(user.output.contains("/usr/sbin/nologin"), "the package's system user: \(user.output)")

        // /etc/postpatch/lab/: a checks file for this host (`local`) and its baseline, taken as
        // the unit's user, as the unit will run it.
        let folder = "/etc/postpatch/lab"
        try await host.runAsRoot("""
            mkdir -p \(folder) && printf '%s\\n' 'hosts:' '  self: { address: local }' > \(folder)/checks.yaml \
            && install -d -o postpatch -g postpatch \(folder)/baselines \
            && cd \(folder) && runuser -u postpatch -- postpatch baseline --config checks.yaml --baselines baselines
            """, timeout: .seconds(180))
        // The hourly timer made to fire two seconds after it starts; nothing else of the units changes.
        try await host.runAsRoot("""
            mkdir -p /etc/systemd/system/postpatch-drift@lab.timer.d && printf '%s\\n' '[Timer]' 'OnCalendar=' \
              'OnActiveSec=2s' 'RandomizedDelaySec=0' > /etc/systemd/system/postpatch-drift@lab.timer.d/soon.conf \
            && systemctl daemon-reload && systemctl start postpatch-drift@lab.timer
            """)
        let textfile = "/var/lib/postpatch/textfile/postpatch-lab.prom"
        var notWritten: Error?
        do {
            try await waitUntil("\(textfile), written by the timer's run", timeout: .seconds(120), poll: .seconds(1)) {
                let state = try await host.ssh("systemctl show -P ActiveState postpatch-drift@lab.service; test -s \(textfile) && echo written")
                return state.output.contains("written") && state.output.hasPrefix("inactive")
            }
        } catch {
            notWritten = error
        }
        let journal = try await host.runAsRoot("journalctl --no-pager -n 30 -u postpatch-drift@lab.service", allowFailure: true)
        if let notWritten { XCTFail("\(notWritten):\n\(journal.output)") }
        let unit = try await host.ssh("systemctl show -P Result postpatch-drift@lab.service; systemctl show -P ExecMainStatus postpatch-drift@lab.service; stat -c %U \(textfile); cat \(textfile)")
        let lines = unit.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "success", "\(unit.output)\n\(journal.output)")
        XCTAssertTrue(["0", "1"].contains(lines.dropFirst().first ?? ""), "drift exits 0, or 1 for regressions: \(unit.output)")
        XCTAssertEqual(lines.dropFirst(2).first, "postpatch", "the textfile is written by the unprivileged system user")
        XCTAssertTrue(unit.output.contains("postpatch_host_up{host=\"self\"} 1"), unit.output)
        XCTAssertTrue(unit.output.contains("postpatch_last_run_timestamp_seconds"), unit.output)
    }

    /// `apt-get download NAME` on this machine: the .deb of the version its apt would install.
    private static func download(_ name: String, into folder: String) async throws -> LabDeb {
        let apt = try LabSkip.tool("apt-get", package: "apt")
        let got = try await LabProcess.run(apt, ["download", "-q", name], directory: URL(fileURLWithPath: folder), timeout: .seconds(300))
        let files = (try FileManager.default.contentsOfDirectory(atPath: folder)).filter { $0.hasPrefix(name + "_") && $0.hasSuffix(".deb") }
        guard got.status == 0, let file = files.first else {
            throw LabError("apt-get download \(name) failed (status \(got.status)): \(got.output.suffix(500)); if apt knows no such package, run apt-get update")
        }
        let path = folder + "/" + file
        let version = try LabProcess.runBlocking("/usr/bin/dpkg-deb", ["--field", path, "Version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return LabDeb(url: URL(fileURLWithPath: path), package: name, version: version)
    }
}
