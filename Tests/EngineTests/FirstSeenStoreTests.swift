import Foundation
import Model
@testable import Engine
import XCTest

/// The first sight of each pending security fix, kept per host in the baselines folder.
final class FirstSeenStoreTests: XCTestCase {
    var dir = ""
    override func setUp() {
        dir = NSTemporaryDirectory() + "pp-first-seen-" + UUID().uuidString
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func snapshot(at t: TimeInterval, _ updates: [PendingUpdate], host: String = "web1") -> Snapshot {
        var s = Snapshot(host: host, capturedAt: Date(timeIntervalSince1970: t))
        s.pendingUpdates = updates
        return s
    }

    let ssl = PendingUpdate(name: "libssl3", arch: "amd64", candidateVersion: "3.0.15-1", security: true)
    let tool = PendingUpdate(name: "pptool", arch: "all", candidateVersion: "1.1-1", security: false)
    let curl = PendingUpdate(name: "curl", arch: "amd64", candidateVersion: "7.88.1-10+deb12u8", security: true)

    func testAFixKeepsItsFirstDateUntilItIsNoLongerPending() throws {
        let store = FirstSeenStore(baselines: dir)
        var first = snapshot(at: 1000, [ssl, tool])
        XCTAssertNil(store.stamp(&first))
        XCTAssertEqual(first.pendingUpdates.map(\.firstSeen), [Date(timeIntervalSince1970: 1000), nil], "security fixes only")
        var second = snapshot(at: 5000, [ssl, curl, tool])
        store.stamp(&second)
        XCTAssertEqual(second.pendingUpdates.map(\.firstSeen), [Date(timeIntervalSince1970: 1000), Date(timeIntervalSince1970: 5000), nil])
        // libssl3 patched: dropped; if it comes back, it is new again.
        var third = snapshot(at: 9000, [curl])
        store.stamp(&third)
        var fourth = snapshot(at: 12000, [ssl, curl])
        store.stamp(&fourth)
        XCTAssertEqual(fourth.pendingUpdates.map(\.firstSeen), [Date(timeIntervalSince1970: 12000), Date(timeIntervalSince1970: 5000)])
        // A capture that did not ask for updates leaves the file alone.
        var skipped = snapshot(at: 13000, [])
        skipped.notCaptured[.updates] = CaptureGap(step: "updates", problem: "skipped", fix: "", skipped: true)
        let before = try Data(contentsOf: URL(fileURLWithPath: store.path(for: "web1")))
        store.stamp(&skipped)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: store.path(for: "web1"))), before)
    }

    func testAnUnusableFileIsANoteAndDatesRestart() throws {
        let store = FirstSeenStore(baselines: dir)
        try FileManager.default.createDirectory(atPath: store.directory, withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: store.path(for: "web1")))
        var s = snapshot(at: 2000, [ssl])
        XCTAssertEqual(store.stamp(&s), "first-seen dates: \(store.path(for: "web1")) is not a first-seen file; they restart from this capture")
        XCTAssertEqual(s.pendingUpdates[0].firstSeen, Date(timeIntervalSince1970: 2000))
        // Another host's file under this name is not trusted either.
        var other = snapshot(at: 3000, [ssl], host: "db1")
        store.stamp(&other)
        try FileManager.default.copyItem(atPath: store.path(for: "db1"), toPath: store.path(for: "web2"))
        var web2 = snapshot(at: 4000, [ssl], host: "web2")
        XCTAssertEqual(store.stamp(&web2), "first-seen dates: \(store.path(for: "web2")) is db1's, not web2's; they restart from this capture")
    }

    func testBounded() {
        let store = FirstSeenStore(baselines: dir)
        let many = (0..<(FirstSeenStore.maxEntries + 10)).map { PendingUpdate(name: "p\($0)", candidateVersion: "1", security: true) }
        var s = snapshot(at: 1, many)
        store.stamp(&s)
        XCTAssertEqual(s.pendingUpdates.filter { $0.firstSeen != nil }.count, FirstSeenStore.maxEntries)
    }
}
