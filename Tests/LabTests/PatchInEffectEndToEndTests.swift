import Collect
import Engine
import Foundation
import LabKit
import Model
import XCTest

/// "Is the patch in effect?" end to end on real systemd hosts (systemd-nspawn in a netns):
/// a shared library upgraded under a running daemon (real .debs, a real unit), checked against
/// needrestart; `rollout --restart-outdated`; the reboot reasons and `--reboot if-required`
/// through a real reboot; and a pending-updates step that times out.
final class PatchInEffectEndToEndTests: E2ETestCase {
    private func bootHost(_ name: String, persistentDisk: Bool = false) async throws -> SystemdHost {
        let host = try await SystemdHost.boot(lab: lab, name: name, authorizedKeys: [key], persistentDisk: persistentDisk)
        cleanup { await host.stop() }
        let settled = try await host.ssh("systemctl is-system-running --wait", timeout: .seconds(60))
        XCTAssertEqual(settled.output.trimmingCharacters(in: .whitespacesAndNewlines), "running", settled.output)
        return host
    }

    /// As root through pplab-sudo (complete outdated-code section), or as pplab (partial).
    private func target(_ host: SystemdHost, root: Bool = true) -> HostTarget {
        HostTarget(name: host.name, address: host.address, port: host.port, user: root ? SystemdHost.sudoUser : Lab.user,
                   identities: [key.privatePath], sudo: root, connectTimeout: .seconds(10), commandTimeout: .seconds(90))
    }

    private func debs() async throws -> LabOutdatedKit.Debs {
        try LabOutdatedKit.requireTools()
        return try await LabOutdatedKit.build(in: URL(fileURLWithPath: lab.dir).appendingPathComponent("debs"))
    }

    private func rollout(_ t: HostTarget, host: SystemdHost, reboot: RebootPolicy = .never, restart: Bool = false) async throws -> RolloutReport {
        var plan = RolloutPlan(waves: [RolloutWave(name: "lab", targets: [t])], patchCommand: "true", reboot: reboot,
                               rebootTimeout: .seconds(120))
        plan.restartOutdated = restart
        let settings = RolloutJob.Settings(capture: Self.fast, parallel: 2, runsRoot: lab.dir + "/runs", pollInterval: .milliseconds(500))
        return try await RolloutJob.run(plan, connector: try connector([t], knownHosts: host.knownHostsPath), store: store, settings: settings)
    }

    func testUpgradedLibraryNamesTheUnitAsNeedrestartDoesAndARestartClearsIt() async throws {
        let debs = try await debs()
        let host = try await bootHost("inplace1")
        let kh = host.knownHostsPath
        try await host.installNeedrestart()
        try await host.install(debs: [debs.libraryOld, debs.daemon])
        let t = target(host)
        _ = try await baseline([t], knownHosts: kh)
        assertFindings(verdict(try await verify([t], knownHosts: kh), t.name), [], "unchanged")

        // The patch: only the library. pp-greetd keeps running the deleted file.
        try await host.install(debs: [debs.libraryNew])
        let run = try await verify([t], knownHosts: kh)
        let v = verdict(run, t.name)
        // The library's changelog names the fix (CVE-2026-0001) that pp-greetd does not run yet.
        assertFindings(v, [.init(.serviceOutdated, .warning, LabOutdatedKit.unit),
                           .init(.fixNotInEffect, .warning, LabOutdatedKit.library),
                           .init(.packageUpgraded, .info, LabOutdatedKit.library),
                           .init(.fixesInstalled, .info, LabOutdatedKit.library)], "library upgraded")
        let message = v?.findings.first { $0.kind == .serviceOutdated }?.message ?? ""
        XCTAssertEqual(message, "\(LabOutdatedKit.unit) still runs code the patch replaced (\(LabOutdatedKit.libraryFile)): restart it")

        // The same units as needrestart names, from the same host at the same moment.
        let snapshot = try await capture(t, knownHosts: kh)
        let needrestart = try await host.needrestartBatch()
        let theirs = Set(needrestart.split(separator: "\n").filter { $0.hasPrefix("NEEDRESTART-SVC: ") }.map { String($0.dropFirst(17)) })
        let ours = Set(snapshot.outdated.filter { $0.kind == .unit }.map(\.name))
        XCTAssertEqual(ours, theirs, "PostPatch \(snapshot.outdated) vs needrestart:\n\(needrestart)")
        XCTAssertEqual(ours, [LabOutdatedKit.unit])

        // Not root: what pplab can read only, said as partial, never silently empty.
        let partial = try await capture(target(host, root: false), knownHosts: kh)
        XCTAssertNotNil(partial.partialReason(.outdated), "\(partial.partial)")
        XCTAssertTrue(partial.captureNotes.contains { $0.hasPrefix("outdated code partial: not root") }, "\(partial.captureNotes)")

        // A new baseline with the service outdated; rollout --restart-outdated restarts it; cleared.
        _ = try await baseline([t], knownHosts: kh)
        let report = try await rollout(t, host: host, restart: true)
        XCTAssertNil(report.haltReason)
        XCTAssertEqual(report.waves.first?.hosts.first?.restarted, [LabOutdatedKit.unit])
        let log = try String(contentsOfFile: "\(report.waves[0].folder)/restart/\(t.name).log", encoding: .utf8)
        XCTAssertTrue(log.contains("restarted \(LabOutdatedKit.unit)"), log)
        XCTAssertTrue(RolloutReport.line(report.waves[0]).contains("in effect: restarted 1 unit (\(LabOutdatedKit.unit))"), RolloutReport.line(report.waves[0]))
        XCTAssertEqual(report.waves.first?.hosts.first?.notInEffect, [])
        assertFindings(report.waves.first?.verify.flatMap { verdict($0, t.name) },
                       [.init(.serviceOutdatedCleared, .info, LabOutdatedKit.unit)], "after rollout --restart-outdated")
        let after = try await host.needrestartBatch()
        XCTAssertFalse(after.contains("NEEDRESTART-SVC"), after)
    }

    func testCorePackagesAfterBootRequireARebootThatClearsThem() async throws {
        let debs = try await debs()
        let host = try await bootHost("reasons2", persistentDisk: true)
        let kh = host.knownHostsPath
        let t = target(host)
        let base = try await baseline([t], knownHosts: kh)
        XCTAssertEqual(base.first?.system.rebootRequired, false, "\(base.first?.system.rebootReasons ?? [])")

        try await host.install(debs: [debs.kernel, debs.core])
        let v = verdict(try await verify([t], knownHosts: kh), t.name)
        assertFindings(v, [.init(.rebootRequired, .warning, "reboot required"),
                           .init(.packageInstalled, .info, debs.kernel.package), .init(.packageInstalled, .info, debs.core.package)],
                       "kernel and microcode installed after boot")
        let reason = "core packages upgraded after the last boot: \(debs.core.package), \(debs.kernel.package)"
        XCTAssertTrue(v?.findings.first { $0.kind == .rebootRequired }?.message.hasSuffix(reason) ?? false, "\(v?.findings ?? [])")

        // rollout --reboot if-required reboots for that reason, and says why; afterwards it is gone.
        let bootBefore = try await host.bootID()
        let report = try await rollout(t, host: host, reboot: .ifRequired)
        let outcome = report.waves.first?.hosts.first
        XCTAssertEqual(outcome?.rebooted, true, "\(String(describing: outcome))")
        XCTAssertEqual(outcome?.rebootReasons, [reason])
        XCTAssertTrue(RolloutReport.line(report.waves[0]).contains("rebooted because \(reason)"), RolloutReport.line(report.waves[0]))
        let bootAfter = try await host.bootID()
        XCTAssertNotEqual(bootBefore, bootAfter)
        assertFindings(report.waves.first?.verify.flatMap { verdict($0, t.name) },
                       [.init(.hostRebooted, .info, "boot id"),
                        .init(.packageInstalled, .info, debs.kernel.package), .init(.packageInstalled, .info, debs.core.package)],
                       "after the reboot")
        let now = try await capture(t, knownHosts: kh)
        XCTAssertEqual(now.system.rebootRequired, false, "\(now.system.rebootReasons)")
        // In a container the running kernel is the host's: a newer kernel package here is not
        // compared with it (a container reboot could never clear that), and the notes say so.
        XCTAssertTrue(now.notes.contains { $0.hasPrefix("system: in a container") }, "\(now.notes)")
        try await host.purge(packages: [debs.kernel.package, debs.core.package])
    }

    func testTimedOutUpdatesStepIsUnknownNotCleared() async throws {
        let host = try await bootHost("slowapt1")
        let kh = host.knownHostsPath
        let t = target(host)
        // A stand-in apt-get first on the collector's PATH: one pending security update, quickly;
        // then the same, slowly, as on a host busy being patched.
        let fake = "/usr/local/sbin/apt-get"
        let line = "Inst libc6 [2.36-9+deb12u9] (2.36-9+deb12u10 Debian-Security:12/stable-security [amd64])"
        try await host.runAsRoot("printf '#!/bin/sh\\necho \"\(line)\"\\n' > \(fake) && chmod 755 \(fake)")
        let base = try await baseline([t], settings: Self.withUpdates(timeout: 20), knownHosts: kh)
        XCTAssertEqual(base.first?.pendingUpdates.map(\.name), ["libc6"])
        try await host.runAsRoot("printf '#!/bin/sh\\nsleep 30\\necho \"\(line)\"\\n' > \(fake)")
        let run = try await verify([t], settings: Self.withUpdates(timeout: 2), knownHosts: kh)
        let v = verdict(run, t.name)
        assertFindings(v, [.init(.captureIncomplete, .warning, "pending updates capture")], "apt-get timed out")
        XCTAssertTrue(v?.findings.first?.message.contains("updates.apt") ?? false, "\(v?.findings ?? [])")
        XCTAssertTrue(v?.notes.contains { $0.contains("raise --updates-timeout") } ?? false, "\(v?.notes ?? [])")
        // --skip-pending-updates against that baseline: nothing compared, nothing reported.
        assertFindings(verdict(try await verify([t], knownHosts: kh), t.name), [], "--skip-pending-updates")
        try await host.runAsRoot("rm -f \(fake)")
    }

    static func withUpdates(timeout: Int) -> Capture.Settings {
        Capture.Settings(script: ScriptOptions(stepTimeout: 20, pendingUpdates: true, updatesTimeout: timeout))
    }
}
