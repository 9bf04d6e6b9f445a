import XCTest
import Model
@testable import Compare

final class UnchangedHostTests: DiffTestCase {
    func testRecapturedHostHasZeroFindings() {
        let v = diff { _ in }
        XCTAssertEqual(v.findings, [], "\(v.summary)")
        XCTAssertNil(v.error)
        XCTAssertFalse(Differ.mightSettle(v))
    }

    func testIdenticalSnapshotsHaveZeroFindings() {
        let s = TestSnapshots.web1()
        XCTAssertEqual(Differ.compare(baseline: s, current: s, rules: CompareRules()).findings, [])
    }

    func testEveryCheckedThingIsAnItem() {
        let v = diff { _ in }
        func subjects(_ s: SnapshotSection) -> [String] { v.items.filter { $0.category == .section(s) }.map(\.subject) }
        XCTAssertEqual(subjects(.system), ["boot id", "kernel", "os", "reboot required"])
        XCTAssertEqual(subjects(.services).count, TestSnapshots.services.count)
        // Two nginx workers on :80 are one endpoint; the resolver's port 41873 is ephemeral noise.
        XCTAssertEqual(subjects(.sockets), [
            "tcp 0.0.0.0:22", "tcp 0.0.0.0:80", "tcp 0.0.0.0:443", "tcp 127.0.0.1:5432", "tcp 127.0.0.1:6379",
            "tcp6 [::1]:5432", "tcp6 [::]:22", "udp 0.0.0.0:68", "udp 127.0.0.1:323",
        ])
        XCTAssertEqual(subjects(.packages), ["installed packages (15)"])
        XCTAssertEqual(subjects(.updates), ["pending updates (2)"])
        XCTAssertEqual(subjects(.connectivity), ["db1.internal:5432", "ping 10.0.0.1"])
        XCTAssertEqual(subjects(.dns), ["db1.internal", "deb.debian.org A @10.0.0.53"])
        XCTAssertEqual(subjects(.databases), ["cache (redis 127.0.0.1:6379)", "orders (postgres 127.0.0.1:5432)"])
    }

    func testItemsAreSortedByCategoryThenSubject() {
        let v = diff { _ in }
        let categories = v.items.map(\.category)
        XCTAssertEqual(categories, categories.sorted())
        XCTAssertEqual(v.items.first?.category, .section(.system))
    }

    func testOutputIsDeterministicWhateverTheInputOrder() {
        let base = TestSnapshots.web1()
        var shuffled = TestSnapshots.web1()
        var rng = SystemRandomNumberGenerator()
        shuffled.services.shuffle(using: &rng)
        shuffled.sockets.shuffle(using: &rng)
        shuffled.packages.shuffle(using: &rng)
        shuffled.services.removeAll { $0.name == "nginx.service" }
        shuffled.packages.removeAll { $0.name == "curl" || $0.name == "libc6" }
        var sorted = shuffled
        sorted.canonicalize()
        let a = Differ.compare(baseline: base, current: shuffled, rules: CompareRules())
        let b = Differ.compare(baseline: base, current: sorted, rules: CompareRules())
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.summary.count, 4, "\(a.summary)")
    }

    func testRebootStillRequiredWithNothingPatchedIsNoFinding() {
        func flag(_ s: inout Snapshot) { s.system.rebootRequired = true; s.system.rebootRequiredPackages = ["libc6"] }
        let v = diff(baseline: flag, flag)
        XCTAssertEqual(v.findings, [])
    }

    func testFactsShowBothCaptureTimes() {
        let v = diff { $0.system.kernel = "6.1.0-18-amd64" }
        let facts = Dictionary(uniqueKeysWithValues: v.facts.map { ($0.name, $0.value) })
        XCTAssertEqual(v.facts.map(\.name), ["hostname", "os", "kernel", "arch", "boot id", "baseline captured", "current captured"])
        XCTAssertEqual(facts["hostname"], "web1")
        XCTAssertEqual(facts["kernel"], "6.1.0-17-amd64 → 6.1.0-18-amd64")
        XCTAssertEqual(facts["baseline captured"], "2025-11-21T10:13:20Z")
        XCTAssertEqual(facts["current captured"], "2025-11-21T10:43:20Z")
    }

    func testUncheckedHost() {
        let v = Differ.unchecked(host: "db9", error: "db9: connection refused on port 22: is sshd running?")
        XCTAssertEqual(v.host, "db9")
        XCTAssertEqual(v.error, "db9: connection refused on port 22: is sshd running?")
        XCTAssertEqual(v.items, [])
        XCTAssertFalse(Differ.mightSettle(v))
    }
}
