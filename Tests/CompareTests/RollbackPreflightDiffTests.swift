import Foundation
import Model
import XCTest
@testable import Compare

/// `rollback-unavailable`: before the patch every pending update that cannot be rolled back; at
/// verify only those the patch applied; `ignore: packages` and `policy:` apply; the field is not
/// written when nil and round-trips when set.
final class RollbackPreflightDiffTests: XCTestCase {
    let at = Date(timeIntervalSince1970: 1_800_000_000)

    func update(_ name: String, _ rollback: RollbackCheck?) -> PendingUpdate {
        PendingUpdate(name: name, arch: "all", currentVersion: "1.0-1", candidateVersion: "1.1-1", security: false, rollback: rollback)
    }

    func package(_ name: String, _ version: String) -> InstalledPackage {
        InstalledPackage(name: name, arch: "all", version: version, manager: .dpkg)
    }

    func baseline() -> Snapshot {
        var s = Snapshot(host: "h", capturedAt: at)
        s.pendingUpdates = [update("pp-lab-daemon", .notObtainable), update("glibc", .unsafe), update("ppkeep", .ok),
                            update("linux-image-amd64", .sideBySide), update("ppold", nil)]
        s.packages = ["pp-lab-daemon", "glibc", "ppkeep", "linux-image-amd64", "ppold"].map { package($0, "1.0-1") }
        return s
    }

    func testBeforeThePatchEveryBlockedUpdateIsNamed() {
        let f = RollbackPreflightDiff.findings(snapshot: baseline(), rules: CompareRules())
        XCTAssertEqual(f.map(\.subject), ["pp-lab-daemon", "glibc"])
        XCTAssertEqual(f.map(\.severity), [.warning, .warning])
        XCTAssertEqual(f.first?.message, "pp-lab-daemon 1.0-1 is no longer obtainable from any source or the package cache: this patch cannot be rolled back")
        XCTAssertEqual(f.last?.message, "glibc 1.0-1 cannot be downgraded safely by its package manager (unsupported for glibc): this patch cannot be rolled back through it")
        XCTAssertEqual(f.first?.category, .section(.updates))
        // ignore: packages drops it; policy: raises it.
        let ignored = CompareRules(ignore: IgnoreRules([.packages: ["pp-*"]]))
        XCTAssertEqual(RollbackPreflightDiff.findings(snapshot: baseline(), rules: ignored).map(\.subject), ["glibc"])
        let raised = CompareRules(severityOverrides: [.rollbackUnavailable: .regression])
        XCTAssertEqual(RollbackPreflightDiff.findings(snapshot: baseline(), rules: raised).first?.severity, .regression)
    }

    func testAtVerifyOnlyTheAppliedUpdatesAreNamed() {
        let b = baseline()
        var c = b
        c.capturedAt = at.addingTimeInterval(600)
        c.pendingUpdates = [update("glibc", .unsafe)]
        c.packages = [package("pp-lab-daemon", "1.1-1"), package("glibc", "1.0-1"), package("ppkeep", "1.1-1"),
                      package("linux-image-amd64", "1.1-1"), package("ppold", "1.1-1")]
        let v = Differ.compare(baseline: b, current: c, rules: CompareRules())
        let found = v.findings.filter { $0.kind == .rollbackUnavailable }
        XCTAssertEqual(found.map(\.subject), ["pp-lab-daemon"], "\(v.findings)")
        // Nothing patched: nothing to say at verify.
        XCTAssertEqual(Differ.compare(baseline: b, current: b, rules: CompareRules()).findings.filter { $0.kind == .rollbackUnavailable }, [])
    }

    /// A host a point release behind: ten lines, then how many more.
    func testTerminalLinesAreBounded() {
        var s = Snapshot(host: "h", capturedAt: at)
        s.pendingUpdates = (1...23).map { update("pkg\($0)", .notObtainable) }
        let lines = RollbackPreflightDiff.lines(RollbackPreflightDiff.findings(snapshot: s, rules: CompareRules()))
        XCTAssertEqual(lines.count, 11)
        XCTAssertEqual(lines.last, "and 13 more updates that cannot be rolled back (each in the snapshot's pendingUpdates, rollback)")
        s.pendingUpdates = [update("one", .notObtainable)]
        XCTAssertEqual(RollbackPreflightDiff.lines(RollbackPreflightDiff.findings(snapshot: s, rules: CompareRules())).count, 1)
    }

    func testTheFieldIsWrittenOnlyWhenKnown() throws {
        var s = Snapshot(host: "h", capturedAt: at)
        s.pendingUpdates = [update("a", nil)]
        XCTAssertFalse(String(decoding: try SnapshotCoding.encode(s), as: UTF8.self).contains("rollback"))
        s.pendingUpdates = [update("a", .notObtainable), update("b", .sideBySide)]
        let data = try SnapshotCoding.encode(s)
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("\"rollback\" : \"not-obtainable\""))
        XCTAssertEqual(try SnapshotCoding.decode(data).pendingUpdates, s.pendingUpdates)
    }
}
