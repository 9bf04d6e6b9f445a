import Foundation
import Model
@testable import Compare
import XCTest
import TestSupport

/// Snapshots and baselines written by earlier versions still load and compare. The files under
/// Tests/Fixtures/schema/<commit>/ were written by postpatch at that commit (`baseline`,
/// `snapshot`, `snapshot --skip-pending-updates` and `verify --json` of `local` with
/// checks.yaml beside them); the ubuntu1804 pair predates endpoints, mounts and the later sections.
final class SchemaCompatibilityTests: XCTestCase {
    static let kept = FuzzCorpus.packageRoot.appendingPathComponent("Tests/Fixtures/schema/b4d43cb")

    func load(_ name: String, in folder: URL = kept) throws -> (Data, Snapshot) {
        let data = try SnapshotCoding.read(path: folder.appendingPathComponent(name).path)
        return (data, try SnapshotCoding.decode(data))
    }

    /// The registry writes the same JSON the stored properties did: byte for byte, once the one
    /// renamed key (`notCaptured.pendingUpdates`, now `updates`) is accounted for.
    func testKeptSnapshotsLoadAndWriteTheSameJSON() throws {
        for name in ["baseline.json", "snapshot.json", "snapshot-skip-updates.json"] {
            let (data, snapshot) = try load(name)
            XCTAssertFalse(snapshot.packages.isEmpty, name)
            XCTAssertFalse(snapshot.services.isEmpty, name)
            XCTAssertEqual(snapshot.commands.map(\.name), ["kernel-release"], name)
            XCTAssertEqual(snapshot.httpChecks.map(\.name), ["nothing-listens"], name)
            XCTAssertEqual(snapshot.gap(.containers)?.skipped, true, name)
            let again = String(decoding: try SnapshotCoding.encode(snapshot), as: UTF8.self)
            let old = String(decoding: data, as: UTF8.self)
                .replacingOccurrences(of: "\"pendingUpdates\" : {", with: "\"updates\" : {")
            XCTAssertEqual(again, old, name)
        }
        let (_, skipped) = try load("snapshot-skip-updates.json")
        XCTAssertEqual(skipped.gap(.updates)?.problem, "not collected (--skip-pending-updates)")
        XCTAssertEqual(skipped.gap(.updates)?.skipped, true)
    }

    func testKeptBaselineComparesWithKeptSnapshot() throws {
        let (_, baseline) = try load("baseline.json")
        let (_, current) = try load("snapshot-skip-updates.json")
        let verdict = Differ.compare(baseline: baseline, current: current, rules: CompareRules())
        XCTAssertNil(verdict.error)
        // Pending updates were skipped now: not compared, and no finding says so (a deliberate skip).
        XCTAssertFalse(verdict.items.contains { $0.category == .section(.updates) })
        XCTAssertTrue(verdict.items.contains { $0.category == .section(.packages) })
        XCTAssertTrue(verdict.items.contains { $0.category == .section(.outdated) })
        // The one declared check that fails did so in the baseline too: still a failure; the rest
        // is what moved on this machine between the two captures (a process that restarted), no regression.
        XCTAssertEqual(verdict.findings.filter { $0.severity == .regression }.map(\.kind), [.httpCheckFailed])
        let same = Differ.compare(baseline: baseline, current: baseline, rules: CompareRules())
        XCTAssertEqual(same.findings.map(\.kind), [.httpCheckFailed])
    }

    /// A snapshot from before endpoints, mounts, network, modules, firewall, containers and logs:
    /// those sections are not captured in it (unknown), never empty, so nothing is invented.
    func testSnapshotFromBeforeTheLaterSectionsLoadsWithGaps() throws {
        let folder = FuzzCorpus.packageRoot.appendingPathComponent("Tests/CompareTests/Fixtures")
        let (_, old) = try load("ubuntu1804-baseline.json", in: folder)
        for section in [SnapshotSection.endpoints, .mounts, .network, .modules, .firewall, .containers, .logs] {
            XCTAssertEqual(old.gap(section)?.problem, "the snapshot was taken by an older postpatch", "\(section)")
        }
        let (_, current) = try load("baseline.json")
        let verdict = Differ.compare(baseline: old, current: current, rules: CompareRules())
        XCTAssertFalse(verdict.findings.contains { $0.kind.section == .mounts || $0.kind.section == .network }, "\(verdict.findings)")
    }
}
