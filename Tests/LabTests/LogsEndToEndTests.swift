import Engine
import Foundation
import LabKit
import TestSupport
import Model
import XCTest

/// The logs section end to end on real systemd hosts (systemd-nspawn, minbase rootfs), verified
/// as root through pplab-sudo: a unit that logs an error on start, and a process killed with
/// SIGSEGV whose core file the kernel writes where the host's core_pattern says.
final class LogsEndToEndTests: E2ETestCase {
    private func target(_ host: SystemdHost, rules: CompareRules = CompareRules()) -> HostTarget {
        var t = systemdTarget(host, user: SystemdHost.sudoUser, sudo: true)
        t.rules = rules
        return t
    }

    /// Installs a unit file and reloads, before the baseline: a oneshot that ends, so starting it
    /// later changes no service state (an inactive unit coming and going is no finding).
    private func install(_ unit: String, _ text: String, on host: SystemdHost) async throws {
        try await host.runAsRoot("cat > /etc/systemd/system/\(unit) <<'EOF'\n\(text)EOF\nsystemctl daemon-reload")
    }

    func testAUnitThatLogsAnErrorOnStartIsLogErrorsNewAndNothingElse() async throws {
        let host = try await bootSettledHost("logerr1")
        let kh = host.knownHostsPath
        let line = "pp-lab-logerr: cannot read /etc/pp-lab-logerr.conf: No such file or directory"
        try await install("pp-lab-logerr.service", """
            [Unit]
            Description=PostPatch lab: logs an error on start
            [Service]
            Type=oneshot
            ExecStart=/bin/sh -c 'echo "<3>\(line)"; echo "<3>\(line)"; echo "<6>pp-lab-logerr: carrying on"'

            """, on: host)
        let t = target(host)
        let base = try await baseline([t], knownHosts: kh)
        XCTAssertTrue(base.first?.isCaptured(.logs) ?? false, "\(base.first?.captureNotes ?? [])")
        XCTAssertNil(base.first?.partialReason(.logs))
        let quiet = try await verify([t], knownHosts: kh)
        assertFindings(verdict(quiet, t.name), [], "unchanged")
        XCTAssertTrue(verdict(quiet, t.name)?.notes.contains("containers not captured: no docker or podman on the host") ?? false,
                      "\(verdict(quiet, t.name)?.notes ?? [])")

        try await host.runAsRoot("systemctl start pp-lab-logerr.service")
        let v = verdict(try await verify([t], knownHosts: kh), t.name)
        assertFindings(v, [.init(.logErrorsNew, .warning, "pp-lab-logerr.service")], "after the unit logged at err")
        XCTAssertEqual(v?.findings.first?.message,
                       "pp-lab-logerr.service logged 2 message(s) at priority err or worse this boot, none in the baseline's: \"\(line)\"")

        // The known-issue list drops the line: nothing new.
        let known = target(host, rules: CompareRules(ignore: IgnoreRules([.logs: [#"cannot read /etc/pp-lab-logerr\.conf"#]])))
        assertFindings(verdict(try await verify([known], knownHosts: kh), t.name), [], "with ignore: { logs: [...] }")

        // Once in the baseline, more of the same is no change.
        _ = try await baseline([t], knownHosts: kh)
        try await host.runAsRoot("systemctl start pp-lab-logerr.service")
        assertFindings(verdict(try await verify([t], knownHosts: kh), t.name), [], "errors the baseline already had")
    }

    /// The machine's core_pattern is the lab host's too (it is the kernel's), and is never
    /// changed: with a file name there (the kernel's default `core`), the kernel writes the core
    /// into the crashing process's working directory, `/` for a service. A pipe would hand the
    /// container's dump to a program outside it: then this cannot be exercised, and says so.
    func testACoreDumpFromAProcessKilledWithSIGSEGVIsCrashDumpNew() async throws {
        let pattern = try String(contentsOfFile: "/proc/sys/kernel/core_pattern", encoding: .utf8).trimmingCharacters(in: .newlines)
        try LabSkip.unless(!pattern.hasPrefix("|"), "this machine's core_pattern pipes to a program (\(pattern)): a lab host's core dump leaves the host",
                           fix: "run the lab tests on a machine whose core_pattern is a file name (the kernel's default `core`)")
        let host = try await bootSettledHost("crash1")
        let kh = host.knownHostsPath
        // The inner shell kills itself with SIGSEGV and dumps core; the unit itself succeeds,
        // so the crash is the only change.
        try await host.runAsRoot("printf '#!/bin/sh\\n/bin/sh -c \\047kill -SEGV $$\\047\\nexit 0\\n' > /usr/local/bin/pp-lab-crash && chmod 755 /usr/local/bin/pp-lab-crash")
        try await install("pp-lab-crash.service", """
            [Unit]
            Description=PostPatch lab: a child killed with SIGSEGV
            [Service]
            Type=oneshot
            LimitCORE=infinity
            ExecStart=/usr/local/bin/pp-lab-crash

            """, on: host)
        let t = target(host)
        _ = try await baseline([t], knownHosts: kh)
        assertFindings(verdict(try await verify([t], knownHosts: kh), t.name), [], "unchanged")

        try await host.runAsRoot("systemctl start pp-lab-crash.service")
        let cores = try await host.runAsRoot("ls -1 /core* 2>/dev/null", allowFailure: true).output
        let v = verdict(try await verify([t], knownHosts: kh), t.name)
        let subject = v?.findings.first?.subject ?? ""
        XCTAssertTrue(subject.hasPrefix("crash /core"), "core files on the host: [\(cores)]; findings: \(v?.findings ?? [])")
        assertFindings(v, [.init(.crashDumpNew, .warning, subject)], "after the SIGSEGV")
        XCTAssertTrue(v?.findings.first?.message.hasPrefix("core file \(subject.dropFirst(6)) written at ") ?? false, "\(v?.findings ?? [])")
    }
}
