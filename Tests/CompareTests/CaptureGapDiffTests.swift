import XCTest
import Model
@testable import Compare

/// No report turns a failed step into a change: a section not captured is compared with nothing.
final class CaptureGapDiffTests: DiffTestCase {
    let timeout = CaptureGap(step: "updates.apt", problem: "timed out after 90 s", fix: "raise --updates-timeout")

    func testTimedOutUpdatesGiveOneWarningAndNoCleared() {
        let v = diff(baseline: { $0.pendingUpdates = [PendingUpdate(name: "libc6", arch: "amd64", currentVersion: "1", candidateVersion: "2", security: true)] }) {
            $0.pendingUpdates = []
            $0.notCaptured[.updates] = self.timeout
        }
        XCTAssertEqual(v.summary, ["capture-incomplete warning pending updates capture"])
        XCTAssertTrue(v.findings[0].message.contains("updates.apt"), v.findings[0].message)
        XCTAssertTrue(v.notes.contains { $0.contains("raise --updates-timeout") }, "\(v.notes)")
    }

    func testSkippedByChoiceIsNoFindingAndNoCleared() {
        let v = diff(baseline: { $0.pendingUpdates = [PendingUpdate(name: "libc6", arch: "amd64", currentVersion: "1", candidateVersion: "2", security: true)] }) {
            $0.pendingUpdates = []
            $0.notCaptured[.updates] = CaptureGap(step: "", problem: "not collected (--skip-pending-updates)", fix: "", skipped: true)
        }
        XCTAssertEqual(v.findings, [])
        XCTAssertEqual(v.items.filter { $0.category == .section(.updates) }, [])
    }

    func testBaselineGapIsInfoAndTheSectionIsNotCompared() {
        let v = diff(baseline: { $0.services = []; $0.notCaptured[.services] = CaptureGap(step: "services.systemd-units", problem: "timed out after 20 s", fix: "raise --step-timeout") }) { _ in }
        XCTAssertEqual(v.summary, ["baseline-incomplete info services baseline"])
    }

    func testServicesNotCapturedNowGiveNoStoppedFindings() {
        let v = diff {
            $0.services = []
            $0.notCaptured[.services] = CaptureGap(step: "services.systemd-units", problem: "timed out after 20 s", fix: "raise --step-timeout")
        }
        XCTAssertEqual(v.summary, ["capture-incomplete warning services capture"])
    }

    func testOutdatedServiceNewClearedAndUnchanged() {
        let ssh = OutdatedService(name: "ssh.service", kind: .unit, processes: ["sshd"], files: ["/usr/lib/x86_64-linux-gnu/libssl.so.3"], fileCount: 1)
        let pid1 = OutdatedService(name: "systemd", kind: .manager, processes: ["systemd"], files: ["/usr/lib/x86_64-linux-gnu/libc.so.6"], fileCount: 1)
        let new = diff { $0.outdated = [ssh, pid1] }
        XCTAssertEqual(new.summary, ["service-outdated warning ssh.service", "manager-outdated warning systemd"])
        XCTAssertEqual(new.findings[0].message, "ssh.service still runs code the patch replaced (libssl.so.3): restart it")
        XCTAssertEqual(diff(baseline: { $0.outdated = [ssh] }) { $0.outdated = [ssh] }.findings, [])
        XCTAssertEqual(diff(baseline: { $0.outdated = [ssh] }) { $0.outdated = [] }.summary, ["service-outdated-cleared info ssh.service"])
        // Not root now: what is absent may just be unreadable.
        XCTAssertEqual(diff(baseline: { $0.outdated = [ssh] }) { $0.outdated = []; $0.partial[.outdated] = "not root" }.findings, [])
        let rules = CompareRules(severityOverrides: [.serviceOutdated: .regression])
        XCTAssertEqual(diff(rules: rules) { $0.outdated = [ssh] }.findings.first?.severity, .regression)
    }

    func testRebootReasonsInTheFinding() {
        let v = diff {
            $0.system.rebootRequired = true
            $0.system.rebootReasons = ["core packages upgraded after the last boot: libc6"]
        }
        XCTAssertEqual(v.findings.first?.message, "reboot required: patched but not rebooted: core packages upgraded after the last boot: libc6")
    }

    func testRebootStillRequiredForTheSameReasonAfterAnUnrelatedPatchIsNoFinding() {
        let reasons = ["core packages upgraded after the last boot: libc6"]
        let unrelated = diff(baseline: { $0.system.rebootRequired = true; $0.system.rebootReasons = reasons }) {
            $0.system.rebootRequired = true
            $0.system.rebootReasons = reasons
            $0.packages.append(TestSnapshots.pkg("pp-lab-tool", "1.0-1"))
        }
        XCTAssertEqual(unrelated.summary, ["package-installed info pp-lab-tool"])
        let related = diff(baseline: { $0.system.rebootRequired = true; $0.system.rebootReasons = reasons }) {
            $0.system.rebootRequired = true
            $0.system.rebootReasons = reasons
            $0.packages = replacing($0.packages, where: { $0.name == "libc6" }, with: { $0.version = "2.36-9+deb12u99" })
        }
        XCTAssertEqual(related.findings.first?.kind, .rebootRequired, "\(related.summary)")
    }

    func testOldSnapshotWithoutNewSectionsReadsAsUnknownNotEmpty() throws {
        var json = String(decoding: try SnapshotCoding.encode(TestSnapshots.web1()), as: UTF8.self)
        json = json.replacingOccurrences(of: "\"outdated\" : [\n\n  ],\n", with: "").replacingOccurrences(of: "\"outdated\" : [],\n", with: "")
        XCTAssertFalse(json.contains("\"outdated\""), json)
        let old = try SnapshotCoding.decode(Data(json.utf8))
        XCTAssertEqual(old.gap(.outdated)?.skipped, true)
        var cur = TestSnapshots.recaptured(TestSnapshots.web1())
        cur.outdated = [OutdatedService(name: "cron.service", kind: .unit, processes: ["cron"], files: ["/x"], fileCount: 1)]
        XCTAssertEqual(Differ.compare(baseline: old, current: cur, rules: CompareRules()).findings, [])
    }
}
