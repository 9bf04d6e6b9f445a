import Foundation
import LabKit
import XCTest

/// The lab material for "services still running replaced code" and the reboot reasons, checked
/// on real systemd hosts with shell commands only (no PostPatch code): a library upgraded under
/// a running daemon, needrestart's view of it, and dummy kernel and core packages installed
/// after boot. With POSTPATCH_RECORD_FIXTURES=1 the real outputs are saved under
/// Tests/Fixtures/collect/ for the parser tests.
/// (An E2ETestCase for its lab and cleanups only: no PostPatch code runs here.)
final class OutdatedCodeLabTests: E2ETestCase {
    private func bootHost(_ name: String, persistentDisk: Bool = false) async throws -> SystemdHost {
        let host = try await SystemdHost.boot(lab: lab, name: name, authorizedKeys: [], persistentDisk: persistentDisk)
        cleanup { await host.stop() }
        let settled = try await host.ssh("systemctl is-system-running --wait", timeout: .seconds(60))
        XCTAssertEqual(settled.output.trimmingCharacters(in: .whitespacesAndNewlines), "running", settled.output)
        return host
    }

    private func debs() async throws -> LabOutdatedKit.Debs {
        let started = ContinuousClock.now
        let debs = try await LabOutdatedKit.build(in: URL(fileURLWithPath: lab.dir).appendingPathComponent("debs"))
        print("OutdatedCodeLabTests: built \(debs.packages.count + 1) packages in \(ContinuousClock.now - started)")
        return debs
    }

    func testLibraryUpgradeLeavesTheDaemonOnTheDeletedLibraryUntilRestarted() async throws {
        let debs = try await debs()
        let host = try await bootHost("outdated1")
        var started = ContinuousClock.now
        try await host.installNeedrestart()
        print("OutdatedCodeLabTests: needrestart installed in \(ContinuousClock.now - started)")
        let before = try await host.needrestartBatch()
        print("OutdatedCodeLabTests: needrestart -b on the fresh host:\n\(before)")

        try await host.install(debs: [debs.libraryOld, debs.daemon])
        let pid = try await host.mainPID(of: LabOutdatedKit.unit)
        var maps = try await host.runAsRoot("cat /proc/\(pid)/maps").output
        XCTAssertTrue(maps.contains(debs.libraryPath), maps)
        XCTAssertFalse(maps.contains("(deleted)"), maps)
        try await assertGreeting(host, LabOutdatedKit.oldVersion)
        let installed = try await host.needrestartBatch()
        XCTAssertFalse(installed.contains(LabOutdatedKit.unit), installed)

        started = ContinuousClock.now
        try await host.install(debs: [debs.libraryNew])
        print("OutdatedCodeLabTests: library upgraded in \(ContinuousClock.now - started)")
        let unchanged = try await host.mainPID(of: LabOutdatedKit.unit)
        XCTAssertEqual(unchanged, pid, "dpkg must not restart the daemon")
        maps = try await host.runAsRoot("cat /proc/\(pid)/maps").output
        XCTAssertTrue(maps.contains("\(debs.libraryPath) (deleted)"), maps)
        try await assertGreeting(host, LabOutdatedKit.newVersion)  // a new process loads the new file
        let cgroup = try await host.runAsRoot("cat /proc/\(pid)/cgroup").output
        // This machine runs hybrid cgroups: v1 controllers and name=systemd beside the unified "0::" line.
        XCTAssertTrue(cgroup.split(separator: "\n").contains("0::/system.slice/\(LabOutdatedKit.unit)"), cgroup)

        started = ContinuousClock.now
        let after = try await host.needrestartBatch()
        print("OutdatedCodeLabTests: needrestart -b after the upgrade (\(ContinuousClock.now - started)):\n\(after)")
        XCTAssertEqual(serviceLines(after).subtracting(serviceLines(before)), ["NEEDRESTART-SVC: \(LabOutdatedKit.unit)"], after)
        try record(["needrestart-b-lab.out": after, "maps-deleted-lib-lab.out": maps, "cgroup-hybrid-lab.out": cgroup])

        try await assertRestartClears(host, debs: debs, pid: pid, needrestartBefore: before)
    }

    /// After `systemctl restart`, the new process maps the new library and needrestart is back
    /// to its baseline; then the packages purge cleanly. Last, needrestart with a newer kernel
    /// package: it skips kernel (and microcode) checks inside a container, so it says nothing.
    private func assertRestartClears(_ host: SystemdHost, debs: LabOutdatedKit.Debs, pid: Int,
                                     needrestartBefore before: String) async throws {
        try await host.runAsRoot("systemctl restart \(LabOutdatedKit.unit)")
        let restarted = try await host.mainPID(of: LabOutdatedKit.unit)
        XCTAssertNotEqual(restarted, pid)
        let maps = try await host.runAsRoot("cat /proc/\(restarted)/maps").output
        XCTAssertTrue(maps.contains(debs.libraryPath), maps)
        XCTAssertFalse(maps.contains("(deleted)"), maps)
        // On the lab's overlayfs root, maps shows another device than stat (00:28 against 00:29 or
        // 00:2a: upper and lower layers) but the same inode: only inodes can say "replaced" here.
        let mapped = try await mappingsAndStat(host, pid: restarted)
        let rows = mapped.split(separator: "\n").map { $0.split(separator: " ") }
        XCTAssertEqual(rows.count, 4, mapped)  // pp-greetd, libppgreet, libc, ld.so
        XCTAssertTrue(rows.allSatisfy { $0.count == 5 && $0[2] == $0[4] }, mapped)
        print("OutdatedCodeLabTests: mapped files against stat (path, maps dev, inode, stat dev, inode):\n\(mapped)")
        try record(["maps-vs-stat-overlay-lab.out": mapped])
        let cleared = try await host.needrestartBatch()
        XCTAssertEqual(serviceLines(cleared), serviceLines(before), cleared)

        try await host.purge(packages: [debs.daemon.package, debs.libraryNew.package])
        let unit = try await host.ssh("systemctl is-active \(LabOutdatedKit.unit)")
        XCTAssertNotEqual(unit.output, "active\n", "purged, the unit must be stopped")
        let file = try await host.ssh("test -e \(debs.libraryPath)")
        XCTAssertNotEqual(file.status, 0, "purged, \(debs.libraryPath) must be gone")

        try await host.install(debs: [debs.kernel])
        let kernel = try await host.needrestartBatch()
        print("OutdatedCodeLabTests: needrestart -b with \(debs.kernel.package) installed:\n\(kernel)")
        XCTAssertFalse(kernel.contains("NEEDRESTART-K"), "needrestart skips kernel checks in a container: \(kernel)")
        try record(["needrestart-b-kernel-lab.out": kernel])
    }

    func testKernelAndCorePackagesInstalledAfterBootAreNewerThanTheBootUntilReboot() async throws {
        let debs = try await debs()
        let host = try await bootHost("reasons1", persistentDisk: true)
        let booted = try await host.bootEpoch()
        let lists = [debs.kernel, debs.core].map { "/var/lib/dpkg/info/\($0.package).list" }

        try await host.install(debs: [debs.kernel, debs.core])
        let facts = try await host.ssh("uname -r; ls /boot; stat -c %Y \(lists.joined(separator: " "))").output
        print("OutdatedCodeLabTests: after installing the dummy kernel and core packages:\n\(facts)")
        let lines = facts.split(separator: "\n").map(String.init)
        let running = try XCTUnwrap(lines.first)
        XCTAssertTrue(lines.contains("vmlinuz-\(LabOutdatedKit.kernelRelease)"), facts)
        let older = try await host.ssh("dpkg --compare-versions \(running) lt \(LabOutdatedKit.kernelRelease)")
        XCTAssertEqual(older.status, 0, "running kernel \(running) must sort before the dummy one")
        let installed = lines.suffix(2).compactMap { Int($0) }
        XCTAssertEqual(installed.count, 2, facts)
        XCTAssertTrue(installed.allSatisfy { $0 > booted }, "installed \(installed) vs boot \(booted)")

        try await host.purge(packages: [debs.kernel.package, debs.core.package])
        let purged = try await host.ssh("ls /boot; ls \(lists.joined(separator: " "))")
        XCTAssertFalse(purged.output.contains("vmlinuz-"), purged.output)
        XCTAssertNotEqual(purged.status, 0, "purged, dpkg's .list files must be gone: \(purged.output)")

        try await host.install(debs: [debs.kernel, debs.core])
        let mtimes = try await host.ssh("stat -c %Y \(lists.joined(separator: " "))").output
            .split(separator: "\n").compactMap { Int($0) }
        let started = ContinuousClock.now
        try await host.reboot()
        let rebooted = try await host.bootEpoch()
        print("OutdatedCodeLabTests: rebooted in \(ContinuousClock.now - started); boot \(booted) -> \(rebooted), .list mtimes \(mtimes)")
        XCTAssertTrue(mtimes.count == 2 && mtimes.allSatisfy { $0 < rebooted }, "\(mtimes) vs \(rebooted)")
        // The persistent disk keeps the packages, their .list mtimes and /boot across the reboot.
        let kept = try await host.ssh("ls /boot; stat -c %Y \(lists.joined(separator: " "))")
        XCTAssertEqual(kept.output, "vmlinuz-\(LabOutdatedKit.kernelRelease)\n" + mtimes.map { "\($0)\n" }.joined(), kept.output)
        let version = try await host.installedVersion(of: debs.kernel.package)
        XCTAssertEqual(version, debs.kernel.version)
        try await host.purge(packages: [debs.kernel.package, debs.core.package])
    }

    /// Each mapped file of `pid` as "path maps-dev maps-inode stat-dev stat-inode" (devs in
    /// maps' hex form), for the "replaced file" test a collector may use besides " (deleted)".
    private func mappingsAndStat(_ host: SystemdHost, pid: Int) async throws -> String {
        let script = """
            awk '$5 != 0 && $6 ~ /^\\// && NF == 6 {print $4, $5, $6}' /proc/\(pid)/maps | sort -u |
            while read dev ino path; do
                now=$(stat -Lc '%Hd %Ld %i' "$path") || { echo "$path $dev $ino - -"; continue; }
                set -- $now
                printf '%s %s %s %02x:%02x %s\\n' "$path" "$dev" "$ino" "$1" "$2" "$3"
            done
            """
        return try await host.runAsRoot(script).output
    }

    private func assertGreeting(_ host: SystemdHost, _ version: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        let once = try await host.ssh("\(LabOutdatedKit.daemonPath) --once")
        XCTAssertEqual(once.output, LabOutdatedKit.greeting(version) + "\n", file: file, line: line)
    }

    private func serviceLines(_ output: String) -> Set<String> {
        Set(output.split(separator: "\n").map(String.init).filter { $0.hasPrefix("NEEDRESTART-SVC:") })
    }

    /// Writes real outputs as fixtures when POSTPATCH_RECORD_FIXTURES=1.
    private func record(_ outputs: [String: String]) throws {
        guard ProcessInfo.processInfo.environment["POSTPATCH_RECORD_FIXTURES"] == "1" else { return }
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/collect")
        for (name, text) in outputs {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
            print("OutdatedCodeLabTests: recorded \(folder.path)/\(name)")
        }
    }
}
