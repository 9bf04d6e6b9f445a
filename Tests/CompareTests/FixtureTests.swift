import XCTest
import Foundation
import Model
@testable import Compare

/// A snapshot pair stored as JSON (SnapshotCoding.encode's output), built from the real Ubuntu
/// 18.04 captures in ../shared/fixtures/real by Fixtures/make-ubuntu1804-pair.py: 116 units,
/// 73 sockets, 614 packages, then one patch night (see the script).
final class FixtureTests: XCTestCase {
    let names = ["ubuntu1804-baseline.json", "ubuntu1804-after-patch.json"]

    func load(_ name: String) throws -> (Data, Snapshot) {
        let data = try Data(contentsOf: TestSnapshots.fixtures.appendingPathComponent(name))
        return (data, try SnapshotCoding.decode(data))
    }

    func testPatchNightOnUbuntu() throws {
        let (_, base) = try load(names[0])
        let (_, cur) = try load(names[1])
        XCTAssertEqual(base.packages.count, 614)
        let v = Differ.compare(baseline: base, current: cur, rules: CompareRules())
        XCTAssertEqual(v.summary, [
            "host-rebooted info boot id",
            "kernel-changed info kernel",
            "service-failed regression rsyslog.service",
            "socket-closed regression tcp 0.0.0.0:3306",
            "package-upgraded info libssl1.1",
            "package-installed info linux-image-4.15.0-141-generic",
            "package-upgraded info linux-image-generic",
            "package-upgraded info openssl",
            "update-cleared info libssl1.1",
            "update-cleared info openssl",
            "database-down regression app (mysql 127.0.0.1:3306)",
        ])
        XCTAssertEqual(v.findings.first { $0.subject == "openssl" }?.message,
                       "openssl upgraded 1.1.1-1ubuntu2.1~18.04.9 → 1.1.1-1ubuntu2.1~18.04.10")
        XCTAssertEqual(v.findings.first { $0.category == .section(.sockets) }?.message, "tcp 0.0.0.0:3306 (mysqld) no longer listening")
        XCTAssertTrue(v.items.contains { $0.subject == "installed packages (615)" && $0.findings.isEmpty })
        XCTAssertFalse(Differ.mightSettle(v), "a failed unit does not settle")
        XCTAssertEqual(v.items.filter { $0.category == .section(.services) }.count, 116)
    }

    func testBaselineAgainstItselfRecapturedIsSilent() throws {
        let (_, base) = try load(names[0])
        let v = Differ.compare(baseline: base, current: TestSnapshots.recaptured(base), rules: CompareRules())
        XCTAssertEqual(v.findings, [])
    }

    /// The files are exactly what SnapshotCoding.encode writes. Run once with
    /// POSTPATCH_WRITE_FIXTURES=1 after regenerating them with the script.
    func testFixturesAreCanonicalEncoding() throws {
        for name in names {
            let (data, snapshot) = try load(name)
            let encoded = try SnapshotCoding.encode(snapshot)
            if ProcessInfo.processInfo.environment["POSTPATCH_WRITE_FIXTURES"] == "1" {
                try encoded.write(to: TestSnapshots.fixtures.appendingPathComponent(name))
                continue
            }
            XCTAssertEqual(data, encoded, "\(name) is not in canonical form: rerun with POSTPATCH_WRITE_FIXTURES=1")
        }
    }
}
