import XCTest
import Model
@testable import Compare

/// The rollback plan (baseline × current → the inverse change) and the verdict after it.
final class RollbackPlanTests: DiffTestCase {
    private func patched(_ change: (inout Snapshot) -> Void) -> (Snapshot, Snapshot) {
        let base = TestSnapshots.web1()
        var cur = TestSnapshots.recaptured(TestSnapshots.web1())
        change(&cur)
        return (base, cur)
    }

    private func set(_ name: String, _ version: String, _ s: inout Snapshot) {
        s.packages = replacing(s.packages, where: { $0.name == name }, with: { $0.version = version })
    }

    func testUnchangedHostHasAnEmptyPlan() {
        let (b, c) = patched { _ in }
        let plan = RollbackPlan.compute(baseline: b, current: c)
        XCTAssertTrue(plan.isEmpty)
        XCTAssertEqual(plan.manager, .dpkg)
        XCTAssertEqual(plan.lines(host: "web1"), ["web1: nothing to roll back"])
    }

    func testUpgradedInstalledRemovedAndKernelKept() {
        let (b, c) = patched { s in
            self.set("openssl", "3.0.13-1~deb12u1", &s)
            self.set("libssl3", "3.0.13-1~deb12u1", &s)
            self.set("nginx", "1.22.1-8", &s)                                       // downgraded since: upgraded back
            s.packages.append(TestSnapshots.pkg("linux-image-6.1.0-18-amd64", "6.1.76-1"))
            s.packages.append(TestSnapshots.pkg("libnew1", "1.0-1"))
            s.packages.removeAll { $0.name == "curl" }
            s.packages.sort { $0.sortKey < $1.sortKey }
        }
        let plan = RollbackPlan.compute(baseline: b, current: c)
        XCTAssertEqual(plan.changes, [
            PackageChange(name: "curl", arch: "amd64", from: nil, to: "7.88.1-10+deb12u4"),
            PackageChange(name: "libnew1", arch: "amd64", from: "1.0-1", to: nil),
            PackageChange(name: "libssl3", arch: "amd64", from: "3.0.13-1~deb12u1", to: "3.0.11-1~deb12u1"),
            PackageChange(name: "nginx", arch: "amd64", from: "1.22.1-8", to: "1.22.1-9"),
            PackageChange(name: "openssl", arch: "amd64", from: "3.0.13-1~deb12u1", to: "3.0.11-1~deb12u1"),
        ])
        XCTAssertEqual(plan.kept.map(\.change.name), ["linux-image-6.1.0-18-amd64"])
        let lines = plan.lines(host: "web1")
        XCTAssertEqual(lines.first, "web1: roll back 5 package changes")
        XCTAssertTrue(lines.contains("  curl:amd64 reinstall 7.88.1-10+deb12u4 (removed since the baseline)"), "\(lines)")
        XCTAssertTrue(lines.contains("  libnew1:amd64 1.0-1 → remove (installed since the baseline)"), "\(lines)")
        XCTAssertTrue(lines.contains("  openssl:amd64 3.0.13-1~deb12u1 → 3.0.11-1~deb12u1"), "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("  linux-image-6.1.0-18-amd64:amd64 6.1.76-1 left installed: a kernel") }, "\(lines)")
    }

    func testSameVersionSpelledWithEpochIsNoChange() {
        let (b, c) = patched { s in self.set("bash", "0:5.2.15-2+b2", &s) }
        XCTAssertTrue(RollbackPlan.compute(baseline: b, current: c).changes.isEmpty)
    }

    func testArchitectureChangeRemovesTheNewAndReinstallsTheOld() {
        let (b, c) = patched { s in
            s.packages = replacing(s.packages, where: { $0.name == "tzdata" }, with: { $0.arch = "amd64" })
        }
        XCTAssertEqual(RollbackPlan.compute(baseline: b, current: c).changes, [
            PackageChange(name: "tzdata", arch: "all", from: nil, to: "2023c-5+deb12u1"),
            PackageChange(name: "tzdata", arch: "amd64", from: "2023c-5+deb12u1", to: nil),
        ])
    }

    func testUnitsActiveInTheBaselineAndNotNowAreStarted() {
        let (b, c) = patched { s in
            s.services = replacing(s.services, where: { $0.name == "nginx.service" }, with: { $0.active = "failed"; $0.sub = "failed" })
            s.services = replacing(s.services, where: { $0.name == "cron.service" }, with: { $0.active = "inactive"; $0.sub = "dead" })
            // Gone altogether (its package removed): reinstalling brings it back, starting it now cannot.
            s.services.removeAll { $0.name == "redis-server.service" }
        }
        let plan = RollbackPlan.compute(baseline: b, current: c)
        XCTAssertEqual(plan.start, ["cron.service", "nginx.service"])
        XCTAssertFalse(plan.isEmpty)
    }

    func testOneTransactionSinceTheBaselineCanBeUndone() {
        var b = TestSnapshots.web1(), c = TestSnapshots.recaptured(TestSnapshots.web1())
        b.lastPackageTransaction = LastPackageTransaction(tool: "dnf", id: 41, returnCode: "Success")
        c.lastPackageTransaction = LastPackageTransaction(tool: "dnf", id: 42, returnCode: "Success")
        XCTAssertEqual(RollbackPlan.compute(baseline: b, current: c).undoTransaction, 42)
        c.lastPackageTransaction = LastPackageTransaction(tool: "dnf", id: 43, returnCode: "Success")
        XCTAssertNil(RollbackPlan.compute(baseline: b, current: c).undoTransaction, "two transactions: no 1:1 undo")
        c.lastPackageTransaction = LastPackageTransaction(tool: "dnf", id: 42, returnCode: "Failure: 1")
        XCTAssertNil(RollbackPlan.compute(baseline: b, current: c).undoTransaction, "a failed transaction is not undone as a whole")
    }

    func testKernelNames() {
        for k in ["linux-image-6.1.0-18-amd64", "linux-modules-6.8.0-31-generic", "kernel", "kernel-core", "kernel-modules-extra"] {
            XCTAssertTrue(RollbackPlan.isKernel(k), k)
        }
        for k in ["linux-image-amd64x", "kernel-headers-x", "kernelshark", "openssl"] where k != "linux-image-amd64x" {
            XCTAssertFalse(RollbackPlan.isKernel(k), k)
        }
    }

    // MARK: verdict

    private func verdict(plan: RollbackPlan = RollbackPlan(manager: .dpkg, changes: [], kept: [], start: []), failure: String? = nil,
                         _ change: @escaping (inout Snapshot) -> Void) -> RollbackOutcome {
        plan.verdict(verify: diff(change), failure: failure)
    }

    func testNothingLeftIsRestored() {
        XCTAssertEqual(verdict { _ in }, RollbackOutcome(verdict: .restored))
    }

    func testAVersionStillDifferentIsNotRestoredAndNamed() {
        let v = verdict { s in self.set("openssl", "3.0.13-1~deb12u1", &s) }
        XCTAssertEqual(v.verdict, .notRestored)
        XCTAssertEqual(v.details, ["openssl is 3.0.13-1~deb12u1, baseline 3.0.11-1~deb12u1"])
        let failed = verdict(failure: "rollback transaction failed (exit status 100)") { s in self.set("openssl", "3.0.13-1~deb12u1", &s) }
        XCTAssertEqual(failed.details.first, "rollback transaction failed (exit status 100)")
    }

    func testARegressionLeftIsNotRestored() {
        let v = verdict { s in
            s.services = replacing(s.services, where: { $0.name == "nginx.service" }, with: { $0.active = "failed"; $0.sub = "failed" })
        }
        XCTAssertEqual(v.verdict, .notRestored)
        XCTAssertTrue(v.details.contains { $0.hasPrefix("regression left: ") && $0.contains("nginx.service") }, "\(v.details)")
    }

    func testAWarningLeftOrAKernelKeptIsRestoredWithDifferences() {
        // A service disabled since the baseline is a warning (ServiceDiff).
        let w = verdict { s in s.services = replacing(s.services, where: { $0.name == "nginx.service" }, with: { $0.enabled = "disabled" }) }
        XCTAssertEqual(w.verdict, .restoredWithDifferences, "\(w.details)")
        XCTAssertTrue(w.details.allSatisfy { $0.hasPrefix("warning left: ") }, "\(w.details)")

        let kernel = PackageChange(name: "linux-image-6.1.0-18-amd64", arch: "amd64", from: "6.1.76-1", to: nil)
        let plan = RollbackPlan(manager: .dpkg, changes: [], kept: [(kernel, "a kernel")], start: [])
        let k = verdict(plan: plan) { s in s.packages.append(TestSnapshots.pkg("linux-image-6.1.0-18-amd64", "6.1.76-1")); s.packages.sort { $0.sortKey < $1.sortKey } }
        XCTAssertEqual(k.verdict, .restoredWithDifferences)
        XCTAssertEqual(k.details, ["linux-image-6.1.0-18-amd64 6.1.76-1 left installed (a kernel)"])
    }

    func testAHostNotVerifiedIsNotRestored() {
        let plan = RollbackPlan(manager: .dpkg, changes: [], kept: [], start: [])
        let v = plan.verdict(verify: Differ.unchecked(host: "web1", error: "connection refused"), failure: nil)
        XCTAssertEqual(v, RollbackOutcome(verdict: .notRestored, details: ["not verified: connection refused"]))
        XCTAssertEqual(v.line, "not-restored: not verified: connection refused")
    }
}
