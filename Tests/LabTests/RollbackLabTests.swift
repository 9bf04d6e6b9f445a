import Foundation
import LabKit
import TestSupport
import XCTest

/// `postpatch rollback` and `rollout --on-halt rollback` end to end on real systemd hosts, the
/// patch a real apt upgrade from a local repository inside the host (LabRollbackRepo): a daemon
/// package whose new version fails to start. Each verdict is checked against what
/// `dpkg-query -W` and systemd show.
final class RollbackLabTests: E2ETestCase {
    static let upgrade = "DEBIAN_FRONTEND=noninteractive apt-get install -y -q \(LabRollbackRepo.package)"

    private var debs: [String: LabDeb] = [:]

    /// A host with the good version installed from the repository (both versions served).
    private func host(_ name: String, flavour: SystemdHostRootfs.Flavour = .minbase) async throws -> SystemdHost {
        if debs.isEmpty { debs = try await LabRollbackRepo.build(in: URL(fileURLWithPath: lab.dir + "/rollback-debs")) }
        let host = try await SystemdHost.boot(lab: lab, name: name, authorizedKeys: [key], flavour: flavour)
        cleanup { await host.stop() }
        try await LabRollbackRepo.setUp(host, debs: debs, versions: [LabRollbackRepo.good, LabRollbackRepo.broken])
        try await host.runAsRoot("DEBIAN_FRONTEND=noninteractive apt-get install -y -q \(LabRollbackRepo.package)=\(LabRollbackRepo.good)")
        let active = try await isActive(host)
        XCTAssertTrue(active, "the good version runs")
        return host
    }

    private func isActive(_ host: SystemdHost) async throws -> Bool {
        let r = try await host.ssh("systemctl is-active \(LabRollbackRepo.unit)")
        return r.output.trimmingCharacters(in: .whitespacesAndNewlines) == "active"
    }

    private func setUpConfig(_ hosts: [(SystemdHost, String)]) throws -> String {
        let cwd = lab.dir + "/rollback-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: cwd, withIntermediateDirectories: true)
        let kh = hosts.map { "\($0.0.address) \($0.0.hostKeyLine)" }.joined(separator: "\n") + "\n"
        try kh.write(toFile: cwd + "/known_hosts", atomically: true, encoding: .utf8)
        var yaml = "defaults: { user: \(SystemdHost.sudoUser), sudo: true, identity: \(key.privatePath), known_hosts: \(cwd)/known_hosts, command_timeout: 120 }\nhosts:\n"
        for (h, group) in hosts { yaml += "  \(h.name): { address: \(h.address), groups: [\(group)] }\n" }
        yaml += "groups:\n" + Set(hosts.map(\.1)).sorted().map { "  \($0): {}\n" }.joined()
        try yaml.write(toFile: cwd + "/checks.yaml", atomically: true, encoding: .utf8)
        return cwd
    }

    private func cli(_ cwd: String, _ args: [String], pendingUpdates: Bool = false) async throws -> PostPatchCLI.Result {
        let r = try await PostPatchCLI.run([args[0], "--config", cwd + "/checks.yaml"] + (pendingUpdates ? [] : ["--skip-pending-updates"])
                                           + ["--baselines", cwd + "/baselines"] + args.dropFirst(), in: cwd, timeout: .seconds(400))
        print("E2E \(args.joined(separator: " ")) -> \(r.status)\n\(r.stdout)\(r.stderr)")
        return r
    }

    private func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// A rollout whose patch breaks the daemon halts; `--on-halt rollback` downgrades it
    /// through apt, the daemon runs again, the verdict is `restored`, dpkg equals the baseline.
    func testOnHaltRollbackRestoresTheBrokenDaemon() async throws {
        let host = try await host("rbhalt1")
        let before = try await LabRollbackRepo.dpkgList(host)
        let cwd = try setUpConfig([(host, "canary")])
        let r = try await cli(cwd, ["rollout", "--runs", cwd + "/runs", "--waves", "canary", "--patch-command", Self.upgrade,
                                    "--settle", "5", "--on-halt", "rollback"])
        XCTAssertEqual(r.status, 1, "the rollout halted: exit 1 even when rolled back\n" + r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("wave 1 canary: HALTED"), r.stdout)
        XCTAssertTrue(r.stdout.contains("rollback rbhalt1: restored\n") || r.stdout.hasSuffix("rollback rbhalt1: restored"), r.stdout)
        let after = try await LabRollbackRepo.dpkgList(host)
        XCTAssertEqual(after, before, "dpkg-query -W equals the baseline's")
        let version = try await host.installedVersion(of: LabRollbackRepo.package)
        XCTAssertEqual(version, LabRollbackRepo.good)
        let active = try await isActive(host)
        XCTAssertTrue(active, "the daemon runs again")

        let runs = try FileManager.default.contentsOfDirectory(atPath: cwd + "/runs")
        let run = cwd + "/runs/" + (runs.first ?? "")
        let plan = read(run + "/wave-1-canary/rollback/plan.txt")
        XCTAssertTrue(plan.contains("\(LabRollbackRepo.package):all \(LabRollbackRepo.broken) → \(LabRollbackRepo.good)"), plan)
        XCTAssertTrue(plan.contains("start \(LabRollbackRepo.unit)") || plan.contains("apt-get install"), plan)
        let log = read(run + "/wave-1-canary/rollback/patch/rbhalt1.log")
        XCTAssertTrue(log.contains("--allow-downgrades") && log.contains("--- exit status 0"), log)
        let json = read(run + "/wave-1-canary/rollback/findings.json")
        XCTAssertTrue(json.contains("\"rollback\"") && json.contains("\"verdict\" : \"restored\""), json)
        let summary = read(run + "/summary.md")
        XCTAssertTrue(summary.contains("## Rolled back") && summary.contains("rbhalt1: **restored**"), summary)
        XCTAssertTrue(read(run + "/wave-1-canary/rollback/report.xml").contains("name=\"rollback\""))
    }

    /// `postpatch rollback` on its own: the dry run prints the plan and changes nothing; the
    /// rollback restores (timed: plan, transaction, verify). Patched again and the old version
    /// gone from the repository and apt's cache: `not-restored`, the package named, exit 1.
    func testRollbackCommandRestoresThenCannotWhenTheOldVersionIsGone() async throws {
        let host = try await host("rbcmd1")
        let before = try await LabRollbackRepo.dpkgList(host)
        let cwd = try setUpConfig([(host, "app")])
        let base = try await cli(cwd, ["baseline", host.name])
        XCTAssertEqual(base.status, 0, base.stdout + base.stderr)
        try await host.runAsRoot(Self.upgrade)
        let broken = try await isActive(host)
        XCTAssertFalse(broken, "the new version fails to start")

        let dry = try await cli(cwd, ["rollback", "--runs", cwd + "/runs", "--dry-run", host.name])
        XCTAssertEqual(dry.status, 0, dry.stdout + dry.stderr)
        XCTAssertTrue(dry.stdout.contains("\(LabRollbackRepo.package):all \(LabRollbackRepo.broken) → \(LabRollbackRepo.good)"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("command: DEBIAN_FRONTEND=noninteractive apt-get install -y -q --allow-downgrades"), dry.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/runs"), "a dry run writes nothing")
        let still = try await host.installedVersion(of: LabRollbackRepo.package)
        XCTAssertEqual(still, LabRollbackRepo.broken)

        let done = try await cli(cwd, ["rollback", "--runs", cwd + "/runs", "--json", cwd + "/rollback.json", host.name])
        XCTAssertEqual(done.status, 0, done.stdout + done.stderr)
        XCTAssertTrue(done.stdout.contains("rollback: restored"), done.stdout)
        XCTAssertTrue(done.stdout.contains("rbcmd1: plan "), done.stdout)
        let after = try await LabRollbackRepo.dpkgList(host)
        XCTAssertEqual(after, before)
        let active = try await isActive(host)
        XCTAssertTrue(active)
        XCTAssertTrue(read(cwd + "/rollback.json").contains("\"verdict\" : \"restored\""), read(cwd + "/rollback.json"))

        // Patched again; the good version then leaves the repository and the cache.
        try await host.runAsRoot(Self.upgrade)
        try await LabRollbackRepo.publish(host, debs: debs, versions: [LabRollbackRepo.broken])
        let failed = try await cli(cwd, ["rollback", "--runs", cwd + "/runs", "--markdown", cwd + "/rollback.md", host.name])
        XCTAssertEqual(failed.status, 1, failed.stdout + failed.stderr)
        XCTAssertTrue(failed.stdout.contains("rollback: not-restored"), failed.stdout)
        XCTAssertTrue(failed.stdout.contains("\(LabRollbackRepo.package) is \(LabRollbackRepo.broken), baseline \(LabRollbackRepo.good)"), failed.stdout)
        let version = try await host.installedVersion(of: LabRollbackRepo.package)
        XCTAssertEqual(version, LabRollbackRepo.broken, "the verdict matches dpkg: the old version is not back")
        XCTAssertTrue(read(cwd + "/rollback.md").contains("❌ not-restored"), read(cwd + "/rollback.md"))
    }

    /// The cost of a rollback on the realistic rootfs (nginx, cron, rsyslog, unattended-upgrades,
    /// needrestart, every timer on), pending updates captured as a default run does: printed as
    /// the command prints it (plan, transaction, verify), for the notes in docs/rollout.md.
    func testRollbackOnTheRealisticRootfsRestoresAndIsTimed() async throws {
        let host = try await host("rbreal1", flavour: .realistic)
        let before = try await LabRollbackRepo.dpkgList(host)
        let cwd = try setUpConfig([(host, "app")])
        let base = try await cli(cwd, ["baseline", host.name], pendingUpdates: true)
        XCTAssertEqual(base.status, 0, base.stdout + base.stderr)
        try await host.runAsRoot(Self.upgrade)
        let done = try await cli(cwd, ["rollback", "--runs", cwd + "/runs", "--settle", "10", host.name], pendingUpdates: true)
        XCTAssertEqual(done.status, 0, done.stdout + done.stderr)
        XCTAssertTrue(done.stdout.contains("rollback: restored\n"), done.stdout)
        let timing = done.stdout.split(separator: "\n").first { $0.hasPrefix("rbreal1: plan ") }
        XCTAssertNotNil(timing, done.stdout)
        print("ROLLBACK TIMING (realistic rootfs): \(timing ?? "")")
        let after = try await LabRollbackRepo.dpkgList(host)
        XCTAssertEqual(after, before)
    }
}

/// `rollout --pin` on real hosts: wave 1's apt upgrade is recorded as patch-set.json; the
/// second wave's host, whose repository already serves a newer version (the archive moved
/// between the waves), ends with exactly wave 1's version, not the newer one. The set given back
/// with --patch-set to a host that cannot obtain it fails that host, with the reason.
final class PinLabTests: E2ETestCase {
    func testSecondWaveInstallsExactlyTheFirstWavesVersions() async throws {
        let debs = try await LabRollbackRepo.build(in: URL(fileURLWithPath: lab.dir + "/rollback-debs"))
        async let c = SystemdHost.boot(lab: lab, name: "pin1", authorizedKeys: [key])
        async let w = SystemdHost.boot(lab: lab, name: "pin2", authorizedKeys: [key])
        let (canary, web) = try await (c, w)
        cleanup { await canary.stop() }
        cleanup { await web.stop() }
        let R = LabRollbackRepo.self
        try await R.setUp(canary, debs: debs, versions: [R.good, R.newer])
        try await R.setUp(web, debs: debs, versions: [R.good, R.newer, R.newest])
        for h in [canary, web] {
            try await h.runAsRoot("DEBIAN_FRONTEND=noninteractive apt-get install -y -q \(R.package)=\(R.good)")
        }
        let candidate = try await web.runAsRoot("apt-cache policy \(R.package)").output
        XCTAssertTrue(candidate.contains("Candidate: \(R.newest)"), "the patch command alone would install \(R.newest) on pin2: \(candidate)")

        let cwd = lab.dir + "/pin-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: cwd, withIntermediateDirectories: true)
        try "\(canary.address) \(canary.hostKeyLine)\n\(web.address) \(web.hostKeyLine)\n".write(toFile: cwd + "/known_hosts", atomically: true, encoding: .utf8)
        let yaml = "defaults: { user: \(SystemdHost.sudoUser), sudo: true, identity: \(key.privatePath), known_hosts: \(cwd)/known_hosts, command_timeout: 120 }\n"
            + "hosts:\n  pin1: { address: \(canary.address), groups: [canary] }\n  pin2: { address: \(web.address), groups: [web] }\n"
            + "groups:\n  canary: {}\n  web: {}\n"
        try yaml.write(toFile: cwd + "/checks.yaml", atomically: true, encoding: .utf8)
        func cli(_ args: [String]) async throws -> PostPatchCLI.Result {
            let r = try await PostPatchCLI.run([args[0], "--config", cwd + "/checks.yaml", "--skip-pending-updates", "--baselines", cwd + "/baselines"]
                                               + args.dropFirst(), in: cwd, timeout: .seconds(400))
            print("E2E \(args.joined(separator: " ")) -> \(r.status)\n\(r.stdout)\(r.stderr)")
            return r
        }
        let r = try await cli(["rollout", "--runs", cwd + "/runs", "--waves", "canary,web", "--pin",
                               "--patch-command", "DEBIAN_FRONTEND=noninteractive apt-get install -y -q \(R.package)"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let v1 = try await canary.installedVersion(of: R.package)
        let v2 = try await web.installedVersion(of: R.package)
        XCTAssertEqual(v1, R.newer)
        XCTAssertEqual(v2, R.newer, "wave 2 installed wave 1's version, not the repository's newest")
        let run = cwd + "/runs/" + (try FileManager.default.contentsOfDirectory(atPath: cwd + "/runs").first ?? "")
        let setFile = run + "/patch-set.json"
        let setText = (try? String(contentsOfFile: setFile, encoding: .utf8)) ?? ""
        XCTAssertTrue(setText.contains("\"format\" : \"postpatch-patch-set\"") && setText.contains("\"to\" : \"\(R.newer)\"")
                      && setText.contains("\"from\" : \"\(R.good)\""), setText)
        let log = (try? String(contentsOfFile: run + "/wave-2-web/patch/pin2.log", encoding: .utf8)) ?? ""
        XCTAssertTrue(log.contains("apt-get install -y -q --allow-downgrades") && log.contains("'\(R.package)=\(R.newer)'"), log)
        let findings = (try? String(contentsOfFile: run + "/wave-2-web/findings.json", encoding: .utf8)) ?? ""
        XCTAssertTrue(findings.contains("pinned patch set (1)"), "verify checked the set")
        XCTAssertFalse(findings.contains("patch-set-mismatch"))

        // pin2 back to the baseline, its repository without the pinned version: --patch-set fails it.
        let back = try await cli(["rollback", "--runs", cwd + "/runs-rb", "pin2"])
        XCTAssertEqual(back.status, 0, back.stdout + back.stderr)
        try await R.publish(web, debs: debs, versions: [R.good, R.newest])
        let refused = try await cli(["rollout", "--runs", cwd + "/runs2", "--waves", "web", "--patch-set", setFile])
        XCTAssertEqual(refused.status, 1, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stdout.contains("HALTED  1 host, 0 patched, 0 rebooted, 1 failed"), refused.stdout)
        let summary = (try? String(contentsOfFile: cwd + "/runs2/" + (try FileManager.default.contentsOfDirectory(atPath: cwd + "/runs2").first ?? "") + "/summary.md", encoding: .utf8)) ?? ""
        XCTAssertTrue(summary.contains("pin2: pinned patch set not installed (a pinned version is not obtainable"), summary)
        let still = try await web.installedVersion(of: R.package)
        XCTAssertEqual(still, R.good)
    }
}
