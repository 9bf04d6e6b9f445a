import Foundation
import Model
import XCTest

/// PendingUpdate's origin and advisories: written when known, absent (not null) when not, so
/// snapshots of earlier versions re-encode byte for byte (SchemaCompatibilityTests).
final class AdvisoryCodingTests: XCTestCase {
    func json(_ u: PendingUpdate) throws -> String {
        var s = Snapshot(host: "h", capturedAt: Date(timeIntervalSince1970: 1_800_000_000))
        s.pendingUpdates = [u]
        return String(decoding: try SnapshotCoding.encode(s), as: UTF8.self)
    }

    func testUnknownFieldsAreNotWritten() throws {
        let text = try json(PendingUpdate(name: "tzdata", candidateVersion: "2025a", security: false))
        XCTAssertFalse(text.contains("origin"), text)
        XCTAssertFalse(text.contains("advisories"), text)
    }

    func testAdvisoriesRoundTrip() throws {
        let u = PendingUpdate(name: "ppssl", arch: "noarch", currentVersion: "1.0-1", candidateVersion: "1.1-1", security: true,
                              origin: nil, advisories: [
                                  Advisory(id: "PPSA-2026:0101", type: .security, severity: .critical, issued: "2026-11-03",
                                           cves: ["CVE-2026-10001", "CVE-2026-10002"]),
                                  Advisory(id: "PPBA-2026:0103", type: .bugfix),
                              ])
        let data = try SnapshotCoding.encode({ var s = Snapshot(host: "h", capturedAt: Date(timeIntervalSince1970: 1_800_000_000)); s.pendingUpdates = [u]; return s }())
        let back = try SnapshotCoding.decode(data)
        XCTAssertEqual(back.pendingUpdates, [u])
        XCTAssertEqual(back.pendingUpdates.first?.severity, .critical)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"severity\" : \"critical\""), text)
        XCTAssertFalse(text.contains("\"issued\" : null"), text)
        let apt = try json(PendingUpdate(name: "libssl3", candidateVersion: "3.0.16-1~deb12u1", security: true,
                                         origin: "Debian-Security:12/stable-security"))
        XCTAssertTrue(apt.contains("\"origin\" : \"Debian-Security:12/stable-security\""), apt)
    }

    func testAnUnknownAdvisoryTypeReadsAsOther() throws {
        let decoded = try JSONDecoder().decode(Advisory.self, from: Data(#"{"id":"X-1","type":"security-ish","cves":[]}"#.utf8))
        XCTAssertEqual(decoded.type, .other)
        XCTAssertNil(decoded.severity)
    }

    func testSeverityOrderIsWorstFirst() {
        XCTAssertEqual([AdvisorySeverity.low, .critical, .moderate, .important].sorted(), [.critical, .important, .moderate, .low])
        XCTAssertNil(AdvisorySeverity(text: "None"))
        XCTAssertEqual(AdvisorySeverity(text: "Important"), .important)
    }
}
