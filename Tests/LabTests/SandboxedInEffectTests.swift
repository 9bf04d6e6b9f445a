@testable import Collect
import Compare
import Engine
import Foundation
import LabKit
import Model
import XCTest

/// Issue 22, points 3 and 4, on real systemd hosts: a sandboxed unit (`ProtectSystem=strict`,
/// `PrivateTmp=yes`: its own mount namespace on the host's root) is checked like any unit and
/// named as needrestart names it, while a process with another root (a `RootDirectory=` jail, a
/// container to PostPatch) is skipped and said so; and `rollout --restart-outdated --reboot
/// if-required` over an update of a library dbus maps reboots (dbus is never restarted), after
/// which needrestart names nothing.
final class SandboxedInEffectTests: E2ETestCase {
    static let sandbox = "/etc/systemd/system/\(LabOutdatedKit.unit).d/pplab-sandbox.conf"
    static let jailUnit = "pp-jail.service"

    private func bootHost(_ name: String, persistentDisk: Bool = false) async throws -> SystemdHost {
        let host = try await SystemdHost.boot(lab: lab, name: name, authorizedKeys: [key], persistentDisk: persistentDisk)
        cleanup { await host.stop() }
        let settled = try await host.ssh("systemctl is-system-running --wait", timeout: .seconds(60))
        XCTAssertEqual(settled.output.trimmingCharacters(in: .whitespacesAndNewlines), "running", settled.output)
        return host
    }

    private func target(_ host: SystemdHost) -> HostTarget {
        HostTarget(name: host.name, address: host.address, port: host.port, user: SystemdHost.sudoUser,
                   identities: [key.privatePath], sudo: true, connectTimeout: .seconds(10), commandTimeout: .seconds(90))
    }

    private func rollout(_ t: HostTarget, host: SystemdHost, reboot: RebootPolicy, restart: Bool) async throws -> RolloutReport {
        var plan = RolloutPlan(waves: [RolloutWave(name: "lab", targets: [t])], patchCommand: "true", reboot: reboot,
                               rebootTimeout: .seconds(120))
        plan.restartOutdated = restart
        let settings = RolloutJob.Settings(capture: Self.fast, parallel: 2, runsRoot: lab.dir + "/runs", pollInterval: .milliseconds(500))
        return try await RolloutJob.run(plan, connector: try connector([t], knownHosts: host.knownHostsPath), store: store, settings: settings)
    }

    private func needrestartUnits(_ host: SystemdHost) async throws -> (Set<String>, String) {
        let out = try await host.needrestartBatch()
        return (Set(out.split(separator: "\n").filter { $0.hasPrefix("NEEDRESTART-SVC: ") }.map { String($0.dropFirst(17)) }), out)
    }

    /// The `outdated.maps` step alone, run as root inside the host: its raw stdout.
    private func mapsStepOutput(_ host: SystemdHost) async throws -> String {
        let nonce = "pplab\(UInt32.random(in: 0...UInt32.max))"
        let script = ScriptFraming.preamble(nonce: nonce, stepTimeout: 20) + OutdatedSection.fragment + ScriptFraming.epilogue
        let file = URL(fileURLWithPath: lab.dir).appendingPathComponent("outdated-step.sh")
        try Data(script.utf8).write(to: file)
        try await host.upload([file], into: "/var/tmp/pplab-step")
        let out = try await host.runAsRoot("sh /var/tmp/pplab-step/outdated-step.sh").output
        let parsed = ScriptOutput.parse(out, nonce: nonce)
        return parsed[step: OutdatedSection.mapsStep]?.stdout ?? ""
    }

    func testSandboxedUnitIsOutdatedAsNeedrestartSaysAndAJailIsSkipped() async throws {
        let debs = try await LabOutdatedKit.build(in: URL(fileURLWithPath: lab.dir).appendingPathComponent("debs"))
        let host = try await bootHost("sandbox1")
        let kh = host.knownHostsPath
        try await host.installNeedrestart()
        try await host.install(debs: [debs.libraryOld, debs.daemon])
        // The daemon sandboxed as hardened units are; a copy of it jailed in another root.
        try await host.runAsRoot("""
            mkdir -p \((Self.sandbox as NSString).deletingLastPathComponent)
            printf '[Service]\\nProtectSystem=strict\\nPrivateTmp=yes\\nProtectHome=yes\\n' > \(Self.sandbox)
            systemctl daemon-reload && systemctl restart \(LabOutdatedKit.unit)
            mkdir -p /srv/pplab-jail
            for f in \(LabOutdatedKit.daemonPath) $(ldd \(LabOutdatedKit.daemonPath) | grep -o '/[^ ]*'); do cp -L --parents "$f" /srv/pplab-jail; done
            systemd-run --unit=\(Self.jailUnit) -p RootDirectory=/srv/pplab-jail \(LabOutdatedKit.daemonPath)
            """)
        let pid = try await host.mainPID(of: LabOutdatedKit.unit)
        let jail = try await host.mainPID(of: Self.jailUnit)
        let views = try await host.runAsRoot("readlink /proc/1/ns/mnt /proc/\(pid)/ns/mnt; stat -L -c '%d:%i' /proc/1/root /proc/\(pid)/root /proc/\(jail)/root").output
            .split(separator: "\n").map(String.init)
        XCTAssertEqual(views.count, 5, "\(views)")
        XCTAssertNotEqual(views[0], views[1], "the sandboxed unit has its own mount namespace: \(views)")
        XCTAssertEqual(views[2], views[3], "on the host's root: \(views)")
        XCTAssertNotEqual(views[2], views[4], "the jail has another root: \(views)")

        let t = target(host)
        _ = try await baseline([t], knownHosts: kh)
        assertFindings(verdict(try await verify([t], knownHosts: kh), t.name), [], "unchanged")

        try await host.install(debs: [debs.libraryNew])
        let v = verdict(try await verify([t], knownHosts: kh), t.name)
        // The library pair's changelog names the CVE 1.1-1 fixes: installed, not in effect until the unit restarts.
        assertFindings(v, [.init(.fixNotInEffect, .warning, LabOutdatedKit.library), .init(.fixesInstalled, .info, LabOutdatedKit.library),
                           .init(.packageUpgraded, .info, LabOutdatedKit.library), .init(.serviceOutdated, .warning, LabOutdatedKit.unit)],
                       "library upgraded under a sandboxed unit")
        XCTAssertEqual(v?.findings.first { $0.kind == .serviceOutdated }?.message,
                       "\(LabOutdatedKit.unit) still runs code the patch replaced (\(LabOutdatedKit.libraryFile)): restart it")
        XCTAssertEqual(v?.findings.first { $0.kind == .serviceOutdated }?.explainedBy,
                       ["\(LabOutdatedKit.library) \(LabOutdatedKit.oldVersion) → \(LabOutdatedKit.newVersion)"])
        // The jail maps its own copies, current in its own view: nothing of it is outdated, nothing skipped.
        XCTAssertFalse(v?.notes.contains { $0.contains("in containers") } ?? true, "\(v?.notes ?? [])")

        // The same set as needrestart's, sandboxed unit included, jail not.
        let snapshot = try await capture(t, knownHosts: kh)
        let (theirs, needrestart) = try await needrestartUnits(host)
        let ours = Set(snapshot.outdated.filter { $0.kind == .unit }.map(\.name))
        XCTAssertEqual(ours, theirs, "PostPatch \(snapshot.outdated) vs needrestart:\n\(needrestart)")
        XCTAssertEqual(ours, [LabOutdatedKit.unit])

        // The jail's own copy replaced too: outdated in its view, but another root: skipped, and said so.
        try await host.runAsRoot("""
            f=/srv/pplab-jail$(ldd \(LabOutdatedKit.daemonPath) | grep -o '/[^ ]*\(LabOutdatedKit.libraryFile)')
            cp "$f" "$f.new" && mv "$f.new" "$f"
            """)
        let raw = try await mapsStepOutput(host)
        XCTAssertTrue(raw.contains("\nroot /proc/\(jail)/root "), raw)
        XCTAssertTrue(raw.contains("\nS \(jail) "), raw)
        let parsed = OutdatedParser.parse(raw)
        XCTAssertEqual(parsed.services.map(\.name), [LabOutdatedKit.unit])
        XCTAssertEqual(parsed.notes, ["outdated: 1 process in containers (root differs from PID 1's) not checked"])
        try record(["debian-12-sandboxed-and-jail_outdated-maps.out": raw])
        let jailedNow = try await capture(t, knownHosts: kh)
        XCTAssertEqual(jailedNow.outdated.map(\.name), [LabOutdatedKit.unit])
        XCTAssertTrue(jailedNow.notes.contains("outdated: 1 process in containers (root differs from PID 1's) not checked"), "\(jailedNow.notes)")
        // needrestart knows no RootDirectory= jail as a container: stop it before comparing again.
        try await host.runAsRoot("systemctl stop \(Self.jailUnit)")

        // rollout --restart-outdated: the sandboxed unit restarted, the patch in effect, needrestart agrees.
        _ = try await baseline([t], knownHosts: kh)
        let report = try await rollout(t, host: host, reboot: .ifRequired, restart: true)
        XCTAssertNil(report.haltReason)
        let outcome = report.waves.first?.hosts.first
        XCTAssertEqual(outcome?.restarted, [LabOutdatedKit.unit])
        XCTAssertEqual(outcome?.rebooted, false)
        XCTAssertEqual(outcome?.notInEffect, [])
        let line = RolloutReport.line(report.waves[0])
        XCTAssertTrue(line.contains("\(t.name): in effect: restarted 1 unit (\(LabOutdatedKit.unit))"), line)
        XCTAssertEqual(report.lines().last, "rollout complete: 1 wave passed")
        let (after, text) = try await needrestartUnits(host)
        XCTAssertEqual(after, [], text)
    }

    /// Installed packages rebuilt from the host's own files at a higher version (`+pplab1`: a
    /// real .deb each, from `dpkg -L`, built with dpkg-deb inside the host) and installed with
    /// one dpkg run under the running services, as a security update replaces files (symlinks
    /// kept: a library package without its soname link would break every program using it). Returns
    /// the versions now installed, one line each.
    private func rebuildInPlace(_ host: SystemdHost, _ packages: [String]) async throws -> String {
        let build = """
            set -e
            for p in \(packages.joined(separator: " ")); do
              v=$(dpkg-query -W -f '${Version}' "$p"); a=$(dpkg-query -W -f '${Architecture}' "$p")
              m=$(dpkg-query -W -f '${Multi-Arch}' "$p"); deps=$(dpkg-query -W -f '${Depends}' "$p")
              d=/var/tmp/pplab-rebuild/$p; rm -rf "$d"; mkdir -p "$d/DEBIAN"
              dpkg -L "$p" | while read -r f; do if [ ! -d "$f" ] && { [ -L "$f" ] || [ -f "$f" ]; }; then mkdir -p "$d${f%/*}" && cp -a "$f" "$d$f"; fi; done
              { echo "Package: $p"; echo "Version: $v+pplab1"; echo "Architecture: $a"
                echo "Maintainer: PostPatch lab <lab@postpatch.invalid>"
                if [ -n "$m" ]; then echo "Multi-Arch: $m"; fi
                if [ -n "$deps" ]; then echo "Depends: $deps"; fi
                echo "Description: $p rebuilt by the PostPatch lab"; } > "$d/DEBIAN/control"
              dpkg-deb --build --root-owner-group "$d" "/var/tmp/pplab-rebuild/$p.deb" >/dev/null
            done
            DEBIAN_FRONTEND=noninteractive dpkg -i /var/tmp/pplab-rebuild/*.deb >/dev/null
            for p in \(packages.joined(separator: " ")); do dpkg-query -W -f '${Package} ${Version}\\n' "$p"; done
            """
        return try await host.runAsRoot(build, timeout: .seconds(300)).output
    }

    /// The issue's "done when": after a real multi-package upgrade (liblzma5, libsystemd0 and
    /// libdbus-1-3 rebuilt in place) on the realistic rootfs, the units named outdated are the
    /// ones needrestart names, sandboxed units (journald, logind, timesyncd...) included.
    func testRealisticMultiPackageUpgradeNamesTheUnitsNeedrestartNames() async throws {
        let host = try await SystemdHost.boot(lab: lab, name: "realistic-nr1", authorizedKeys: [key], flavour: .realistic)
        cleanup { await host.stop() }
        _ = try await host.ssh("systemctl is-system-running --wait", timeout: .seconds(90))
        let kh = host.knownHostsPath
        let t = target(host)
        let (before, beforeText) = try await needrestartUnits(host)
        let versions = try await rebuildInPlace(host, ["liblzma5", "libsystemd0", "libdbus-1-3"])
        XCTAssertEqual(versions.split(separator: "\n").filter { $0.hasSuffix("+pplab1") }.count, 3, versions)
        let (theirs, text) = try await needrestartUnits(host)
        let snapshot = try await capture(t, knownHosts: kh)
        // needrestart calls PID 1 "systemd-manager" and leaves each user's systemd --user
        // (user@UID.service) to its sessions, as RestartPolicy.endWithTheirUser does.
        let ours = Set(snapshot.outdated.compactMap { s -> String? in
            s.kind == .manager ? "systemd-manager" : s.kind == .unit && !RestartPolicy.endsWithItsUser(s.name) ? s.name : nil
        })
        print("SandboxedInEffectTests: needrestart before \(before.sorted()), after \(theirs.sorted()); PostPatch \(ours.sorted()); notes \(snapshot.notes)")
        XCTAssertEqual(before, [], beforeText)
        XCTAssertEqual(ours, theirs, "PostPatch \(snapshot.outdated) vs needrestart:\n\(text)")
        // Sandboxed units among them: their own mount namespace was no reason to skip them.
        XCTAssertTrue(ours.contains("systemd-logind.service") && ours.contains("dbus.service"), "\(ours)")
        XCTAssertFalse(snapshot.notes.contains { $0.contains("in containers") }, "\(snapshot.notes)")
        XCTAssertEqual(RestartPolicy.rebootReasons(snapshot.outdated),
                       [RestartPolicy.reason("dbus.service"), RestartPolicy.reason("systemd-logind.service")])
        print("SandboxedInEffectTests: needrestart -b after the upgrade:\n\(text)")
    }

    func testRolloutRebootsForDbusAndNeedrestartIsEmptyAfter() async throws {
        let host = try await bootHost("dbusreboot1", persistentDisk: true)
        let kh = host.knownHostsPath
        try await host.installNeedrestart()
        let t = target(host)
        _ = try await baseline([t], knownHosts: kh)
        let (before, beforeText) = try await needrestartUnits(host)
        XCTAssertEqual(before, [], beforeText)

        let version = try await rebuildInPlace(host, ["libdbus-1-3"])
        XCTAssertTrue(version.hasSuffix("+pplab1\n"), version)
        let (theirs, text) = try await needrestartUnits(host)
        XCTAssertTrue(theirs.contains("dbus.service"), text)
        let snapshot = try await capture(t, knownHosts: kh)
        let ours = Set(snapshot.outdated.filter { $0.kind == .unit }.map(\.name))
        XCTAssertEqual(ours, theirs, "PostPatch \(snapshot.outdated) vs needrestart:\n\(text)")
        let v = verdict(try await verify([t], knownHosts: kh), t.name)
        let dbus = v?.findings.first { $0.kind == .serviceOutdated && $0.subject == "dbus.service" }?.message ?? ""
        XCTAssertEqual(dbus, "reboot required: dbus.service runs code the patch replaced (libdbus-1.so.3.32.4) and cannot be restarted safely",
                       "\(v?.findings ?? [])")
        let why = v?.findings.first { $0.kind == .serviceOutdated && $0.subject == "dbus.service" }?.explainedBy ?? []
        XCTAssertTrue(why.count == 1 && why[0].hasPrefix("libdbus-1-3 ") && why[0].hasSuffix("+pplab1"), "\(why)")

        // --reboot never: the run chose not to act; the summary says the patch is not in effect.
        let kept = try await rollout(t, host: host, reboot: .never, restart: true)
        let reason = "dbus.service runs code the patch replaced and cannot be restarted safely"
        XCTAssertEqual(kept.waves.first?.hosts.first?.rebooted, false)
        XCTAssertTrue(kept.waves.first?.hosts.first?.notInEffect?.contains(reason) ?? false, "\(String(describing: kept.waves.first?.hosts.first))")
        XCTAssertTrue(kept.lines().last?.hasPrefix("rollout complete: 1 wave passed, patch not in effect on 1 host: \(t.name) (") ?? false, "\(kept.lines())")
        let keptSummary = try String(contentsOfFile: kept.runFolder + "/summary.md", encoding: .utf8)
        XCTAssertTrue(keptSummary.contains("**Complete, patch not in effect on 1 host**"), keptSummary)

        // --reboot if-required: dbus is a reboot reason; the host reboots; needrestart is empty.
        let bootBefore = try await host.bootID()
        let report = try await rollout(t, host: host, reboot: .ifRequired, restart: true)
        let outcome = report.waves.first?.hosts.first
        XCTAssertEqual(outcome?.rebooted, true, "\(String(describing: outcome))")
        XCTAssertTrue(outcome?.rebootReasons.contains(reason) ?? false, "\(outcome?.rebootReasons ?? [])")
        XCTAssertEqual(outcome?.notInEffect, [])
        let line = RolloutReport.line(report.waves[0])
        XCTAssertTrue(line.contains("\(t.name): rebooted because ") && line.contains(reason), line)
        let summary = try String(contentsOfFile: report.runFolder + "/summary.md", encoding: .utf8)
        XCTAssertTrue(summary.contains("**Complete**: every wave passed."), summary)
        XCTAssertTrue(summary.contains("\(t.name): rebooted because ") && summary.contains(reason), summary)
        let bootAfter = try await host.bootID()
        XCTAssertNotEqual(bootBefore, bootAfter)
        let (after, afterText) = try await needrestartUnits(host)
        XCTAssertEqual(after, [], afterText)
    }

    /// Writes real outputs as fixtures when POSTPATCH_RECORD_FIXTURES=1.
    private func record(_ outputs: [String: String]) throws {
        guard ProcessInfo.processInfo.environment["POSTPATCH_RECORD_FIXTURES"] == "1" else { return }
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/collect")
        for (name, text) in outputs {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
            print("SandboxedInEffectTests: recorded \(folder.path)/\(name)")
        }
    }
}
