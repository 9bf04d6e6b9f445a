import Foundation
import LabKit
import TestSupport
import XCTest

/// The rollback preflight and the host hooks of `postpatch rollout`, on a real systemd host with
/// a local APT repository: pp-lab-daemon 1.0-1 and ppkeep 1.0-1 installed with dpkg, the
/// repository serving ppkeep 1.0-1 and 1.1-1 but only pp-lab-daemon 1.1-1 (its old version
/// removed, and not in the apt cache). `baseline` and the rollout's wave warn before the patch,
/// naming pp-lab-daemon and not ppkeep; the hooks run in order (pre, patch, post), and a failing
/// pre-hook leaves the host unpatched and failed.
final class RollbackPreflightLabTests: E2ETestCase {
    static let remote = "/srv/pp-rollback"
    static let list = "/etc/apt/sources.list.d/pp-rollback.list"

    private func debs(in dir: URL) async throws -> (installed: [URL], repo: URL) {
        let installed = dir.appendingPathComponent("installed"), repo = dir.appendingPathComponent("repo")
        for d in [installed, repo] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        func deb(_ name: String, _ version: String, _ into: URL) async throws -> URL {
            let control = LabDebBuilder.control(package: name, version: version, architecture: "all", summary: "rollback preflight fixture")
            return try await LabDebBuilder.build(package: name, version: version, architecture: "all", control: control,
                                                 files: [.init("/usr/share/\(name)/version", text: version + "\n")], in: into).url
        }
        let old = [try await deb("pp-lab-daemon", "1.0-1", installed), try await deb("ppkeep", "1.0-1", installed)]
        _ = try await deb("pp-lab-daemon", "1.1-1", repo)
        _ = try await deb("ppkeep", "1.1-1", repo)
        // ppkeep's old version stays in the repository (the very same file), pp-lab-daemon's does not.
        try FileManager.default.copyItem(at: old[1], to: repo.appendingPathComponent(old[1].lastPathComponent))
        let index = try LabProcess.runBlocking("/bin/sh", ["-c", "cd \(repo.path) && apt-ftparchive packages . >Packages && apt-ftparchive release . >Release"],
                                               timeout: .seconds(60))
        XCTAssertEqual(index.status, 0, index.output)
        return (old, repo)
    }

    private func setUpConfig(_ host: SystemdHost) throws -> String {
        let cwd = lab.dir + "/preflight-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: cwd, withIntermediateDirectories: true)
        try "\(host.address) \(host.hostKeyLine)\n".write(toFile: cwd + "/known_hosts", atomically: true, encoding: .utf8)
        let yaml = "defaults: { user: \(SystemdHost.sudoUser), sudo: true, identity: \(key.privatePath), known_hosts: \(cwd)/known_hosts, command_timeout: 120 }\n"
            + "hosts:\n  \(host.name): { address: \(host.address), groups: [app] }\ngroups:\n  app: {}\n"
        try yaml.write(toFile: cwd + "/checks.yaml", atomically: true, encoding: .utf8)
        return cwd
    }

    private func cli(_ cwd: String, _ args: [String]) async throws -> PostPatchCLI.Result {
        let r = try await PostPatchCLI.run([args[0], "--config", cwd + "/checks.yaml", "--baselines", cwd + "/baselines"] + args.dropFirst(), in: cwd)
        print("E2E \(args.prefix(1).joined()) -> \(r.status)\n\(r.stdout)\(r.stderr)")
        return r
    }

    private func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    private func runFolder(_ cwd: String) throws -> String {
        let runs = try FileManager.default.contentsOfDirectory(atPath: cwd + "/runs").sorted()
        return cwd + "/runs/" + (runs.last ?? "")
    }

    func testPreflightWarnsBeforeThePatchAndHooksRunInOrder() async throws {
        _ = try LabSkip.tool("apt-ftparchive", package: "apt-utils")
        _ = try LabSkip.tool("dpkg-deb", package: "dpkg")
        let work = URL(fileURLWithPath: NSTemporaryDirectory() + "pp-rollback-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: work) }
        let (installed, repo) = try await debs(in: work)
        let host = try await SystemdHost.boot(lab: lab, name: "preflight1", authorizedKeys: [key])
        cleanup { await host.stop() }
        try await host.upload(installed + [repo], into: Self.remote)
        try await host.runAsRoot("dpkg -i \(Self.remote)/*.deb >/dev/null && rm -f /var/cache/apt/archives/*.deb && "
            + "echo 'deb [trusted=yes] file:\(Self.remote)/repo ./' >\(Self.list) && "
            + "apt-get -qq -o Dir::Etc::SourceList=\(Self.list) -o Dir::Etc::SourceParts=/nonexistent update")
        let cwd = try setUpConfig(host)

        // baseline: the warning before the patch, naming the package whose old version is gone.
        let expected = "pp-lab-daemon 1.0-1 is no longer obtainable from any source or the package cache: this patch cannot be rolled back"
        let b = try await cli(cwd, ["baseline"])
        XCTAssertEqual(b.status, 0, b.stdout + b.stderr)
        XCTAssertTrue(b.stdout.contains("warning  updates  pp-lab-daemon  \(expected)"), b.stdout)
        XCTAssertFalse(b.stdout.contains("ppkeep 1.0-1"), "ppkeep's old version is in the repository: \(b.stdout)")
        let snapshot = read(cwd + "/baselines/preflight1.json")
        XCTAssertTrue(snapshot.contains("\"rollback\" : \"not-obtainable\"") || snapshot.contains("\"rollback\":\"not-obtainable\""), snapshot.prefix(400) + "")

        // The rollout: the wave's line and summary.md carry the warning; the hooks and the patch
        // run in order, each through sudo (the file is root's), each logged per host.
        let order = "/root/pp-order"
        let patch = "echo patch >>\(order); DEBIAN_FRONTEND=noninteractive apt-get -qq -o Dir::Etc::SourceList=\(Self.list) "
            + "-o Dir::Etc::SourceParts=/nonexistent install -y pp-lab-daemon ppkeep >/dev/null"
        let r = try await cli(cwd, ["rollout", "--runs", cwd + "/runs", "--waves", "app", "--patch-command", patch,
                                    "--host-pre-command", "echo pre >>\(order); echo drained", "--host-post-command", "echo post >>\(order)"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("wave 1 app: PASSED  1 host, 1 patched"), r.stdout)
        XCTAssertTrue(r.stdout.contains("warning (before the patch) preflight1: \(expected)"), r.stdout)
        let run = try runFolder(cwd)
        XCTAssertTrue(read(run + "/summary.md").contains("## Cannot be rolled back"), read(run + "/summary.md"))
        XCTAssertTrue(read(run + "/summary.md").contains("pp-lab-daemon 1.0-1 is no longer obtainable"), read(run + "/summary.md"))
        let got = try await host.runAsRoot("cat \(order)")
        XCTAssertEqual(got.output, "pre\npatch\npost\n")
        XCTAssertTrue(read(run + "/wave-1-app/host-pre-command/preflight1.log").contains("drained\n--- exit status 0"),
                      read(run + "/wave-1-app/host-pre-command/preflight1.log"))
        XCTAssertTrue(read(run + "/wave-1-app/host-post-command/preflight1.log").contains("--- exit status 0"))
        // verify names the applied update that cannot be undone.
        let findings = read(run + "/wave-1-app/findings.json")
        XCTAssertTrue(findings.contains("rollback-unavailable") && findings.contains("pp-lab-daemon"), findings)
        let versions = try await host.ssh("dpkg-query -W -f '${Package} ${Version}\\n' pp-lab-daemon ppkeep")
        XCTAssertEqual(versions.output, "pp-lab-daemon 1.1-1\nppkeep 1.1-1\n")

        // A failing pre-hook: the host is not patched (ppkeep not downgraded) and fails the wave.
        let failing = try await cli(cwd, ["rollout", "--runs", cwd + "/runs", "--waves", "app", "--baseline-max-age", "0",
                                          "--patch-command", "DEBIAN_FRONTEND=noninteractive apt-get -qq install -y --allow-downgrades ppkeep=1.0-1",
                                          "--host-pre-command", "echo cannot drain >&2; exit 4", "--host-post-command", "echo post >>\(order)"])
        XCTAssertEqual(failing.status, 1, failing.stdout + failing.stderr)
        XCTAssertTrue(failing.stdout.contains("HALTED  1 host, 0 patched, 0 rebooted, 1 failed"), failing.stdout)
        let second = try runFolder(cwd)
        let summary = read(second + "/summary.md")
        XCTAssertTrue(summary.contains("- wave app, preflight1: host pre-command failed (exit status 4)") && summary.contains("(host not patched)"), summary)
        XCTAssertTrue(read(second + "/wave-1-app/host-pre-command/preflight1.log").contains("cannot drain"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: second + "/wave-1-app/patch/preflight1.log"), "the patch must not have run")
        let after = try await host.ssh("dpkg-query -W -f '${Version}' ppkeep")
        XCTAssertEqual(after.output, "1.1-1")
        let orderAfter = try await host.runAsRoot("cat \(order)")
        XCTAssertEqual(orderAfter.output, "pre\npatch\npost\n", "neither the patch nor the post-hook ran")

        // policy: { rollback-unavailable: regression }: a host whose patch could not be undone is
        // not patched at all. pp-lab-daemon is back at 1.0-1 (its .deb was uploaded, not served).
        try await host.runAsRoot("dpkg -i \(Self.remote)/pp-lab-daemon_1.0-1_all.deb >/dev/null")
        try (read(cwd + "/checks.yaml") + "policy: { rollback-unavailable: regression }\n").write(toFile: cwd + "/checks.yaml", atomically: true, encoding: .utf8)
        let gated = try await cli(cwd, ["rollout", "--runs", cwd + "/runs", "--waves", "app", "--baseline-max-age", "0",
                                        "--patch-command", "touch /root/pp-gated"])
        XCTAssertEqual(gated.status, 1, gated.stdout + gated.stderr)
        XCTAssertTrue(gated.stdout.contains("HALTED  1 host, 0 patched, 0 rebooted, 1 failed"), gated.stdout)
        XCTAssertTrue(gated.stdout.contains("warning (before the patch) preflight1: \(expected)"), gated.stdout)
        let gatedSummary = read(try runFolder(cwd) + "/summary.md")
        XCTAssertTrue(gatedSummary.contains(
            "preflight1: rollback preflight: 1 pending update cannot be rolled back (pp-lab-daemon) and policy makes rollback-unavailable a regression: host not patched"),
            gatedSummary)
        let gatedPatch = try await host.ssh("sudo -n test -e /root/pp-gated", user: SystemdHost.sudoUser)
        XCTAssertNotEqual(gatedPatch.status, 0, "the patch command must not have run")
    }
}
