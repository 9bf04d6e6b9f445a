import Foundation
import LabKit
import TestSupport
import XCTest

/// `postpatch rollout` end to end against real systemd hosts (systemd-nspawn, one network
/// namespace each), one host per wave, driven through the built CLI with a checks file:
/// a bad patch on the second wave halts the rollout before the third; a reboot wave comes
/// back with a new boot id and passes; a dry run touches nothing.
final class RolloutEndToEndTests: E2ETestCase {
    /// A unit each host gets at test start (enabled, running `sleep infinity`), which the
    /// "bad patch" stops on the web host: a regression verify must find.
    static let unit = "pp-lab.service"

    private func boot(_ name: String) async throws -> SystemdHost {
        let host = try await SystemdHost.boot(lab: lab, name: name, authorizedKeys: [key])
        cleanup { await host.stop() }
        return host
    }

    private func addUnit(_ host: SystemdHost) async throws {
        let unit = "[Unit]\\nDescription=PostPatch rollout lab\\n[Service]\\nExecStart=/bin/sleep infinity\\n[Install]\\nWantedBy=multi-user.target\\n"
        let r = try await host.ssh("sudo -n sh -c 'printf \"\(unit)\" > /etc/systemd/system/\(Self.unit) && systemctl daemon-reload && systemctl enable --now \(Self.unit)'",
                                   user: SystemdHost.sudoUser, timeout: .seconds(60))
        XCTAssertEqual(r.status, 0, r.output)
    }

    /// A checks file naming the hosts in the given groups, as pplab-sudo with sudo, and a
    /// known_hosts file with their keys. Returns the working folder.
    private func setUpConfig(_ hosts: [(SystemdHost, String)]) throws -> String {
        let cwd = lab.dir + "/rollout-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: cwd, withIntermediateDirectories: true)
        let kh = hosts.map { "\($0.0.address) \($0.0.hostKeyLine)" }.joined(separator: "\n") + "\n"
        try kh.write(toFile: cwd + "/known_hosts", atomically: true, encoding: .utf8)
        var yaml = "defaults: { user: \(SystemdHost.sudoUser), sudo: true, identity: \(key.privatePath), known_hosts: \(cwd)/known_hosts, command_timeout: 90 }\nhosts:\n"
        for (h, group) in hosts { yaml += "  \(h.name): { address: \(h.address), groups: [\(group)] }\n" }
        yaml += "groups:\n" + Set(hosts.map(\.1)).sorted().map { "  \($0): {}\n" }.joined()
        try yaml.write(toFile: cwd + "/checks.yaml", atomically: true, encoding: .utf8)
        return cwd
    }

    private func rollout(_ cwd: String, _ args: [String]) async throws -> PostPatchCLI.Result {
        let r = try await PostPatchCLI.run(["rollout", "--config", cwd + "/checks.yaml", "--skip-pending-updates",
                                            "--baselines", cwd + "/baselines", "--runs", cwd + "/runs"] + args, in: cwd)
        print("E2E rollout \(args.joined(separator: " ")) -> \(r.status)\n\(r.stdout)\(r.stderr)")
        return r
    }

    private func runFolder(_ cwd: String) throws -> String {
        let runs = try FileManager.default.contentsOfDirectory(atPath: cwd + "/runs")
        XCTAssertEqual(runs.count, 1, "\(runs)")
        return cwd + "/runs/" + (runs.first ?? "")
    }

    /// The `totals` object of a findings.json.
    private func totals(_ path: String) -> [String: Int] {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        return (object?["totals"] as? [String: Int]) ?? [:]
    }

    private func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    func testBadPatchOnSecondWaveHaltsBeforeTheThird() async throws {
        async let c = boot("canary1")
        async let w = boot("web1")
        async let d = boot("db1")
        let (canary, web, db) = try await (c, w, d)
        for h in [canary, web, db] { try await addUnit(h) }
        let dbBoot = try await db.bootID()
        let cwd = try setUpConfig([(canary, "canary"), (web, "web"), (db, "db")])

        let patch = "echo patching $(hostname); if [ \"$(hostname)\" = web1 ]; then systemctl stop \(Self.unit); fi"
        let pre = "echo \"$POSTPATCH_WAVE: $POSTPATCH_HOSTS\" >> \(cwd)/waves.txt"
        let r = try await rollout(cwd, ["--waves", "canary,web,db", "--patch-command", patch, "--pre-command", pre])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.first?.hasPrefix("wave 1 canary: PASSED  1 host, 1 patched, 0 rebooted, 0 failed, 0 regressions") == true, r.stdout)
        XCTAssertTrue(lines.count > 1 && lines[1].hasPrefix("wave 2 web: HALTED  1 host, 1 patched, 0 rebooted, 0 failed, 1 regression "), r.stdout)
        XCTAssertTrue(r.stdout.contains("wave db: not started (rollout halted)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("rollout halted: wave web: 1 regression found by verify"), r.stdout)

        let run = try runFolder(cwd)
        XCTAssertTrue(read(run + "/wave-1-canary/patch/canary1.log").contains("patching canary1\n--- exit status 0"), read(run + "/wave-1-canary/patch/canary1.log"))
        let webReport = read(run + "/wave-2-web/findings.json")
        XCTAssertTrue(webReport.contains("service-stopped") && webReport.contains(Self.unit), webReport)
        XCTAssertTrue(FileManager.default.fileExists(atPath: run + "/wave-2-web/report.xml"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: run + "/wave-2-web/report.md"))
        XCTAssertEqual(totals(run + "/wave-1-canary/findings.json")["regression"], 0)
        XCTAssertEqual(totals(run + "/wave-2-web/findings.json")["regression"], 1)
        XCTAssertEqual(read(cwd + "/waves.txt"), "canary: canary1\nweb: web1\n", "the pre-command ran before each started wave")
        XCTAssertTrue(read(run + "/wave-2-web/patch/web1.log").contains("patching web1"))
        let summary = read(run + "/summary.md")
        XCTAssertTrue(summary.contains("**Halted**: wave web: 1 regression"), summary)
        XCTAssertTrue(summary.contains("| db | | | | | | not started |"), summary)

        let tree = try await LabProcess.onThread("find") { try LabProcess.runBlocking("/usr/bin/find", [run, "-type", "f", "-printf", "%P\\n"]) }
        print("E2E run folder:\n\(tree.stdout.split(separator: "\n").sorted().joined(separator: "\n"))\n--- summary.md\n\(summary)--- wave-2-web/report.md\n\(read(run + "/wave-2-web/report.md"))")

        // The db wave is untouched: no baseline, no wave folder, no patch, same boot.
        XCTAssertTrue(FileManager.default.fileExists(atPath: cwd + "/baselines/web1.json"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/baselines/db1.json"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: run + "/wave-3-db"))
        let dbBootAfter = try await db.bootID()
        XCTAssertEqual(dbBootAfter, dbBoot)
        let dbUnit = try await db.ssh("systemctl is-active \(Self.unit)")
        XCTAssertEqual(dbUnit.output.trimmingCharacters(in: .whitespacesAndNewlines), "active")

        // The operator repairs web1 and resumes from the halted wave: web now passes, db is patched.
        let fix = try await web.ssh("sudo -n systemctl start \(Self.unit)", user: SystemdHost.sudoUser)
        XCTAssertEqual(fix.status, 0, fix.output)
        let resumed = try await rollout(cwd, ["--waves", "canary,web,db", "--from-wave", "web", "--patch-command", "echo patching $(hostname)"])
        XCTAssertEqual(resumed.status, 0, resumed.stdout + resumed.stderr)
        XCTAssertFalse(resumed.stdout.contains("canary:"), "waves before --from-wave are skipped: \(resumed.stdout)")
        XCTAssertTrue(resumed.stdout.contains("web: PASSED") && resumed.stdout.contains("db: PASSED"), resumed.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: cwd + "/baselines/db1.json"))
    }

    func testRebootWaveComesBackWithANewBootIDAndPasses() async throws {
        let host = try await boot("app1")
        let settled = try await host.ssh("systemctl is-system-running --wait", timeout: .seconds(60))
        XCTAssertEqual(settled.output.trimmingCharacters(in: .whitespacesAndNewlines), "running", settled.output)
        let before = try await host.bootID()
        let cwd = try setUpConfig([(host, "app")])
        let r = try await rollout(cwd, ["--waves", "app", "--patch-command", "true", "--reboot", "--reboot-timeout", "60", "--settle", "20"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("wave 1 app: PASSED  1 host, 1 patched, 1 rebooted, 0 failed, 0 regressions"), r.stdout)
        let after = try await host.bootID()
        XCTAssertNotEqual(before, after)
        let findings = read(try runFolder(cwd) + "/wave-1-app/findings.json")
        XCTAssertTrue(findings.contains("host-rebooted"), findings)

        // --reboot if-required: no reboot while the host does not ask for one, a reboot once
        // the patch leaves /var/run/reboot-required behind (the baseline is reused: fresh).
        try FileManager.default.removeItem(atPath: cwd + "/runs")
        let quiet = try await rollout(cwd, ["--waves", "app", "--patch-command", "true", "--reboot", "if-required", "--settle", "20"])
        XCTAssertEqual(quiet.status, 0, quiet.stdout + quiet.stderr)
        XCTAssertTrue(quiet.stdout.contains("1 patched, 0 rebooted, 0 failed"), quiet.stdout)
        let still = try await host.bootID()
        XCTAssertEqual(still, after)
        let asked = try await rollout(cwd, ["--waves", "app", "--patch-command", "touch /var/run/reboot-required", "--reboot", "if-required",
                                            "--reboot-timeout", "60", "--settle", "20"])
        XCTAssertEqual(asked.status, 0, asked.stdout + asked.stderr)
        XCTAssertTrue(asked.stdout.contains("1 patched, 1 rebooted, 0 failed"), asked.stdout)
        let third = try await host.bootID()
        XCTAssertNotEqual(third, after)
    }

    func testDryRunTouchesNothingAndFailingStepsHalt() async throws {
        let host = try await boot("dry1")
        let cwd = try setUpConfig([(host, "canary")])
        let r = try await rollout(cwd, ["--waves", "canary", "--patch-command", "apt-get -y upgrade", "--reboot", "if-required", "--dry-run"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("wave 1 canary: 1 host\n  dry1  \(SystemdHost.sudoUser)@\(host.address):22  (sudo)\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("patch command: apt-get -y upgrade"), r.stdout)
        XCTAssertTrue(r.stdout.contains("reboot: if the host requires it"), r.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/runs"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/baselines"))

        // A failing pre-command stops the rollout before the wave is patched.
        let stopped = try await rollout(cwd, ["--waves", "canary", "--patch-command", "touch /tmp/patched", "--pre-command", "echo no window; exit 7"])
        XCTAssertEqual(stopped.status, 1, stopped.stdout + stopped.stderr)
        XCTAssertTrue(stopped.stdout.contains("rollout halted: wave canary: the pre-command failed (exit status 7), wave not patched"), stopped.stdout)
        let run = try runFolder(cwd)
        XCTAssertTrue(read(run + "/wave-1-canary/pre-command.log").contains("no window"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: run + "/wave-1-canary/patch/dry1.log"))
        let patched = try await host.ssh("test -e /tmp/patched")
        XCTAssertNotEqual(patched.status, 0, "the patch command must not have run")

        // A patch command that fails is a failed host: the wave halts with the default budget
        // (0), its output is in the patch log; a budget of 1 lets the wave pass, exit still 1.
        try FileManager.default.removeItem(atPath: cwd + "/runs")
        let failing = try await rollout(cwd, ["--waves", "canary", "--patch-command", "echo broken mirror >&2; exit 3"])
        XCTAssertEqual(failing.status, 1, failing.stdout + failing.stderr)
        XCTAssertTrue(failing.stdout.contains("HALTED  1 host, 0 patched, 0 rebooted, 1 failed"), failing.stdout)
        XCTAssertTrue(failing.stdout.contains("rollout halted: wave canary: 1 of 1 hosts failed (--max-failures 0 allows 0)"), failing.stdout)
        let failedRun = try runFolder(cwd)
        let log = read(failedRun + "/wave-1-canary/patch/dry1.log")
        XCTAssertTrue(log.contains("broken mirror") && log.contains("--- exit status 3"), log)
        XCTAssertTrue(read(failedRun + "/summary.md").contains("- wave canary, dry1: patch command failed (exit status 3)"), read(failedRun + "/summary.md"))
        let tolerated = try await rollout(cwd, ["--waves", "canary", "--patch-command", "exit 3", "--max-failures", "1"])
        XCTAssertEqual(tolerated.status, 1, tolerated.stdout + tolerated.stderr)
        XCTAssertTrue(tolerated.stdout.contains("PASSED  1 host, 0 patched, 0 rebooted, 1 failed"), tolerated.stdout)
        XCTAssertTrue(tolerated.stdout.contains("rollout complete: 1 wave passed, 1 host failed within --max-failures"), tolerated.stdout)

        let unknown = try await rollout(cwd, ["--waves", "canary,nosuch", "--patch-command", "true", "--dry-run"])
        XCTAssertEqual(unknown.status, 2, unknown.stdout + unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("--waves: nosuch is not a group"), unknown.stderr)
    }
}
