import Foundation
import TestSupport
import XCTest
import Model
@testable import Collect

/// This machine's PID 1 is not systemd, so the script's systemd branch is exercised in a private
/// mount namespace: a tmpfs with /run/systemd/system appears and a stand-in `systemctl` that
/// prints the real captures is bind-mounted over /usr/bin/systemctl. Nothing outside changes.
final class SystemdBranchTests: XCTestCase {
    func runWithFakeSystemctl(version: Int, units: String, unitFiles: String) throws -> Snapshot {
        try LabSkip.requireRoot("a private mount namespace")
        let unshare = try LabSkip.tool("unshare", package: "util-linux")
        let dash = try LabSkip.tool("dash", package: "dash")
        try LabSkip.require("/usr/bin/systemctl", package: "systemd")
        try LabSkip.unless(FileManager.default.fileExists(atPath: "/run/systemd"), "/run/systemd is missing",
                           fix: "install systemd (`apt-get install -y systemd`)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pp-systemd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try units.write(to: dir.appendingPathComponent("units"), atomically: true, encoding: .utf8)
        try unitFiles.write(to: dir.appendingPathComponent("files"), atomically: true, encoding: .utf8)
        let fake = dir.appendingPathComponent("systemctl")
        try """
        #!/bin/sh
        case "$*" in
        --version) printf 'systemd \(version) (\(version)-1)\\n+PAM +AUDIT\\n' ;;
        *list-unit-files*) cat \(ShellQuote.quote(dir.path))/files ;;
        *list-units*) cat \(ShellQuote.quote(dir.path))/units ;;
        *) exit 1 ;;
        esac
        """.write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let setup = "mount -t tmpfs pp /run/systemd && mkdir /run/systemd/system && "
            + "mount --bind \(ShellQuote.quote(fake.path)) /usr/bin/systemctl && exec \(dash) -s"
        let script = CollectorScript.render(checks: CheckSet(), options: ScriptOptions(pendingUpdates: false), nonce: "sd")
        let run = try ShellRunner.run([unshare, "-m", "--propagation", "private", dash, "-c", setup], stdin: script)
        XCTAssertEqual(run.status, 0, run.stderr)
        return SnapshotParser.parse(stdout: run.stdout, host: "fake", nonce: "sd", checks: CheckSet())
    }

    func testOldSystemdGetsTheTextTables() throws {
        // systemd 219 (CentOS 7): below 246, so the plain tables are asked for and parsed.
        let s = try runWithFakeSystemctl(version: 219, units: try Fixtures.real("centos-7.7_systemctl.out"),
                                         unitFiles: try Fixtures.real("centos-7.7_systemctl-luf.out"))
        XCTAssertEqual(s.services.count, 98)
        XCTAssertTrue(s.services.allSatisfy { $0.source == .systemd })
        XCTAssertEqual(s.services.first { $0.name == "sshd.service" }?.enabled, "enabled")
        XCTAssertEqual(s.services.first { $0.name == "getty@tty1.service" }?.enabled, "enabled")
        XCTAssertFalse(s.notes.contains { $0.hasPrefix("services:") }, "\(s.notes)")
    }

    func testNewSystemdGetsJSON() throws {
        let units = #"[{"unit":"ssh.service","load":"loaded","active":"active","sub":"running","description":"OpenBSD Secure Shell server"},"#
            + #"{"unit":"getty@tty1.service","load":"loaded","active":"active","sub":"running","description":"Getty on tty1"}]"#
        let s = try runWithFakeSystemctl(version: 252, units: units,
                                         unitFiles: try Fixtures.local("debian-12_systemctl-list-unit-files.json"))
        XCTAssertEqual(s.services.map { "\($0.name) \($0.enabled ?? "-")" }, ["getty@tty1.service enabled", "ssh.service enabled"])
        XCTAssertFalse(s.notes.contains { $0.hasPrefix("services:") }, "\(s.notes)")
    }
}
