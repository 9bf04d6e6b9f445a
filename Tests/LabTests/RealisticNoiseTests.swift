import Collect
import Engine
import Foundation
import LabKit
import TestSupport
import Model
import XCTest

/// Noise on a realistic server: debootstrap's default Debian 12 with nginx, cron, rsyslog,
/// unattended-upgrades and needrestart, every timer and daemon left on (scripts/lab-rootfs
/// realistic). Taken as an operator would: the baseline once the boot has settled, then
/// `postpatch verify` twenty times over more than a minute, through the built CLI, pending
/// updates included. Every run must give zero findings of any severity, info included.
///
/// A server's timers fire hours apart (with random delays of up to 12 h), so a minute would
/// rarely see one. Time is compressed instead: before the baseline, each timer gets a
/// runtime drop-in (`OnActiveSec=`, no random delay) so that every one fires once inside the
/// verify window. The units, their triggers and what they run are the host's own; the apt
/// ones cannot download (the lab host has no DNS nor route out) and still end successfully,
/// as `apt-get update` does on a cut-off server (it warns, exits 0).
final class RealisticNoiseTests: E2ETestCase {
    static let rounds = 20
    /// The verify window: rounds start evenly spread over it.
    static let window: Duration = .seconds(75)

    func testUnchangedRealisticHostVerifiedTwentyTimesWhileItsTimersFireGivesNoFinding() async throws {
        let started = ContinuousClock.now
        // CAP_NET_ADMIN: the host manages its own namespace's firewall, as a real server does, with
        // Debian's nftables.service on (its /etc/nftables.conf: an inet filter table).
        let host = try await bootSettledHost("realistic-web", flavour: .realistic, capabilities: ["CAP_NET_ADMIN"])
        try await host.runAsRoot("systemctl enable --now nftables.service")
        // As UnchangedHostEndToEndTests does for this machine: two captures (root's view, pending
        // updates included) equal outside the volatile fields, before any timer is made to fire.
        let asRoot = systemdTarget(host, user: SystemdHost.sudoUser, sudo: true)
        try await assertTwoCapturesEqual(asRoot, settings: Capture.Settings(), knownHosts: host.knownHostsPath, keepingPorts: [22, 80])
        let timers = try await fireTimersWithin(host, first: .seconds(12), last: .seconds(55))
        XCTAssertGreaterThanOrEqual(timers.count, 6, "timers of a default Debian: \(timers)")
        let triggeredBefore = try await lastTriggers(host, timers)

        let cli = try HostCLI(lab: lab, host: host, key: key)
        let base = try await cli.run("baseline")
        XCTAssertEqual(base.status, 0, base.stdout + base.stderr)
        let baseline = try cli.baseline(of: host)
        XCTAssertEqual(baseline.services.first { $0.name == "apt-daily.service" }?.timer, "apt-daily.timer")
        XCTAssertTrue(baseline.services.contains { $0.name == "nginx.service" && $0.active == "active" }, "\(baseline.services.map(\.name))")
        // The journal is read whole (root, under the entry limit): the noise rules of the logs section are in force.
        XCTAssertTrue(baseline.isCaptured(.logs) && baseline.partialReason(.logs) == nil, "\(baseline.captureNotes)")
        // The firewall is read (root with CAP_NET_ADMIN): its noise rules are in force too.
        XCTAssertTrue(baseline.isCaptured(.firewall) && !baseline.firewall.chains.isEmpty, "\(baseline.captureNotes)")
        var withoutPlumbing = baseline
        withoutPlumbing.mounts = []; withoutPlumbing.modules = []; withoutPlumbing.interfaces = []; withoutPlumbing.routes = []
        withoutPlumbing.firewall = FirewallRuleset(); withoutPlumbing.containers = []; withoutPlumbing.logErrors = []; withoutPlumbing.crashDumps = []
        let bytes = try SnapshotCoding.encode(baseline).count, before = try SnapshotCoding.encode(withoutPlumbing).count
        print("E2E: realistic host baseline: \(bytes) bytes, \(bytes - before) of them mounts, modules, network, firewall, containers and logs")
        var withoutConfigs = baseline
        withoutConfigs.configs = nil
        let configsBytes = bytes - (try SnapshotCoding.encode(withoutConfigs).count)
        print("E2E: realistic host baseline: configs \(configsBytes) bytes (\(baseline.configs?.files.count ?? 0) files, "
              + "\(baseline.configs?.files.filter { $0.state != .shipped }.count ?? 0) not shipped, \(baseline.configs?.leftovers.count ?? 0) leftovers)")
        print("E2E: realistic host baseline: units with errors this boot \(baseline.logErrors.map { "\($0.unit) (\($0.count))" }), crash dumps \(baseline.crashDumps.count)")
        let windowStart = ContinuousClock.now
        var seenRunning: [String] = []
        for round in 1...Self.rounds {
            let report = cli.directory + "/verify-\(round).json"
            let run = try await cli.run("verify", ["--verbose", "--json", report])
            let totals = try Self.totals(report)
            XCTAssertEqual(run.status, 0, "round \(round): \(run.stdout)\(run.stderr)")
            XCTAssertEqual(totals, [0, 0, 0, 0], "round \(round) [regression, warning, info, unchecked]: \(run.stdout)")
            seenRunning += try await runningUnits(host).map { "\(round):\($0)" }
            let next = windowStart + Self.window * round / Self.rounds
            // Paces the rounds over the window (the window is what the test is about: timers
            // firing while verify runs), not a wait for a condition.
            if next > ContinuousClock.now { try await Task.sleep(until: next, clock: .continuous) }
        }
        let triggeredAfter = try await lastTriggers(host, timers)
        let fired = timers.filter { triggeredAfter[$0] != triggeredBefore[$0] }
        XCTAssertEqual(fired, timers, "every timer must have fired inside the verify window")
        let failed = try await host.ssh("systemctl --failed --no-legend --plain", timeout: .seconds(30))
        print("E2E: realistic host: \(fired.count) of \(timers.count) timers fired \(fired); running after verifies: \(seenRunning); "
              + "failed units: [\(failed.output.trimmingCharacters(in: .whitespacesAndNewlines))]; "
              + "window \(ContinuousClock.now - windowStart), whole test \(ContinuousClock.now - started)")
    }

    /// Adds a runtime drop-in to every active timer of the host so that each fires once, evenly
    /// spread between `first` and `last` from now, and returns the timers' names. (Timers whose
    /// own condition fails in a container, fstrim.timer's `ConditionVirtualization=!container`,
    /// are inactive: they never fire there.)
    private func fireTimersWithin(_ host: SystemdHost, first: Duration, last: Duration) async throws -> [String] {
        let listed = try await host.ssh("systemctl list-units --type=timer --state=active --no-legend --plain", timeout: .seconds(30))
        let timers = listed.output.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0.hasSuffix(".timer") }.sorted()
        guard !timers.isEmpty else { throw LabError("\(host.name) lists no timers: \(listed.output)") }
        let step = timers.count > 1 ? (last - first) / (timers.count - 1) : .zero
        var script = ""
        for (i, timer) in timers.enumerated() {
            let at = (first + step * i).components.seconds
            script += "mkdir -p /run/systemd/system/\(timer).d && printf '[Timer]\\nOnActiveSec=\(at)s\\nRandomizedDelaySec=0\\nAccuracySec=1s\\n' "
                + "> /run/systemd/system/\(timer).d/zz-postpatch-lab-soon.conf\n"
        }
        script += "systemctl daemon-reload && systemctl restart \(timers.joined(separator: " "))\n"
        let r = try await host.ssh("sudo -n sh -c \(ShellQuote.quote(script))", user: SystemdHost.sudoUser, timeout: .seconds(60))
        guard r.status == 0 else { throw LabError("cannot reschedule the timers of \(host.name): \(r.output)") }
        return timers
    }

    /// Each timer's LastTriggerUSecMonotonic ("0" when it never fired).
    private func lastTriggers(_ host: SystemdHost, _ timers: [String]) async throws -> [String: String] {
        let script = "for t in \(timers.joined(separator: " ")); do echo \"$t $(systemctl show -p LastTriggerUSecMonotonic --value $t)\"; done"
        let r = try await host.ssh(script, timeout: .seconds(30))
        var out: [String: String] = [:]
        for line in r.output.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 2 { out[String(words[0])] = String(words[1]) }
        }
        return out
    }

    /// Services activating or deactivating right now (for the log: the rounds that caught a timer's unit running).
    private func runningUnits(_ host: SystemdHost) async throws -> [String] {
        let r = try await host.ssh("systemctl list-units --type=service --state=activating,deactivating --no-legend --plain", timeout: .seconds(30))
        return r.output.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    /// [regression, warning, info, unchecked] from a `--json` report's totals.
    static func totals(_ path: String) throws -> [Int] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let report = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let totals = report["totals"] as? [String: Any] else { throw LabError("\(path) is no postpatch report") }
        return ["regression", "warning", "info", "unchecked"].map { totals[$0] as? Int ?? -1 }
    }
}

/// The built `postpatch` run against one lab host as an operator would: root's view through
/// `--sudo` (pplab-sudo), the host's pinned key, a baselines folder of its own.
struct HostCLI {
    let directory: String
    let common: [String]

    init(lab: Lab, host: SystemdHost, key: KeyPair) throws {
        directory = lab.dir + "/cli-\(host.name)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        common = ["--sudo", "-i", key.privatePath, "--known-hosts", host.knownHostsPath, "--baselines", directory + "/baselines",
                  "\(SystemdHost.sudoUser)@\(host.address)"]
    }

    /// The one snapshot in the baselines folder.
    func baseline(of host: SystemdHost) throws -> Snapshot {
        let folder = directory + "/baselines"
        guard let file = try FileManager.default.contentsOfDirectory(atPath: folder).first(where: { $0.hasSuffix(".json") }) else {
            throw LabError("no baseline of \(host.name) in \(folder)")
        }
        return try SnapshotCoding.decode(Data(contentsOf: URL(fileURLWithPath: folder + "/" + file)))
    }

    func run(_ command: String, _ more: [String] = []) async throws -> PostPatchCLI.Result {
        try await PostPatchCLI.run([command] + more + common, in: directory, timeout: .seconds(120))
    }
}
