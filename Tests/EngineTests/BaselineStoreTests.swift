import Engine
import Foundation
import Model
import XCTest

final class BaselineStoreTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "pp-store-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        chmod(dir, 0o755)
        try? FileManager.default.removeItem(atPath: dir)
    }

    func snapshot(_ host: String, kernel: String, at seconds: TimeInterval) -> Snapshot {
        Snapshot(host: host, capturedAt: Date(timeIntervalSince1970: seconds),
                 system: SystemFacts(hostname: host, kernel: kernel, bootID: "b"),
                 packages: [InstalledPackage(name: "openssl", arch: "amd64", version: "3.0.11-1~deb12u2", manager: .dpkg)])
    }

    func testWriteIsPrettySortedAndReadsBack() throws {
        let store = BaselineStore(directory: dir)
        let s = snapshot("web1", kernel: "6.1.0-18-amd64", at: 1_700_000_000)
        try store.write(s)
        let text = try String(contentsOfFile: store.path(for: "web1"), encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("{\n  \"capturedAt\" : \"2023-11-14T22:13:20Z\""), text)
        XCTAssertTrue(text.hasSuffix("}\n"))
        XCTAssertEqual(try store.read(host: "web1"), s)
        let mode = try FileManager.default.attributesOfItem(atPath: store.path(for: "web1"))[.posixPermissions] as? Int
        XCTAssertEqual(mode.map { $0 & 0o022 }, 0, "not group/world writable")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }, [])
    }

    func testHostNamesBecomeSafeFileNames() {
        XCTAssertEqual(BaselineStore.fileName(for: "web1"), "web1.json")
        XCTAssertEqual(BaselineStore.fileName(for: "web_1.example-2.com"), "web_1.example-2.com.json", "plain names keep their names")
        XCTAssertEqual(BaselineStore.fileName(for: "root@db1"), "root@db1.json")
        XCTAssertEqual(BaselineStore.fileName(for: "[::1]:2222"), "%5B%3A%3A1%5D%3A2222.json")
        XCTAssertEqual(BaselineStore.fileName(for: "../etc/passwd"), "%2E.%2Fetc%2Fpasswd.json")
        XCTAssertEqual(BaselineStore.fileName(for: "$(touch x);reboot"), "%24%28touch%20x%29%3Breboot.json")
        XCTAssertEqual(BaselineStore.fileName(for: "100%"), "100%25.json")
        XCTAssertEqual(BaselineStore.fileName(for: "é"), "%C3%A9.json")
    }

    /// Issue 12 point 4: `a/b` and `a_b` both became `a_b.json` and one baseline was lost.
    func testNoTwoHostsShareAFile() throws {
        let names = ["a/b", "a_b", "a%2Fb", "a b", "a:b", "a_b_", ".a", "_a", "%2Ea", "a.", ""]
        XCTAssertEqual(Set(names.map(BaselineStore.fileName(for:))).count, names.count)
        let store = BaselineStore(directory: dir)
        for (i, name) in names.dropLast().enumerated() { try store.write(snapshot(name, kernel: "k\(i)", at: 0)) }
        for (i, name) in names.dropLast().enumerated() {
            XCTAssertEqual(try store.read(host: name).system.kernel, "k\(i)", name)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).count, names.count - 1)
    }

    /// Baselines written under the old names still read, but only by the host they belong to,
    /// and the next write replaces the old file with the new name (history kept).
    func testLegacyNamesStillReadForTheirOwnHost() throws {
        let store = BaselineStore(directory: dir, keep: 2)
        try store.prepare()
        let old = try SnapshotCoding.encode(snapshot("[::1]:2222", kernel: "old", at: 1_700_000_000))
        try old.write(to: URL(fileURLWithPath: dir + "/___1__2222.json"))
        XCTAssertEqual(try store.read(host: "[::1]:2222").system.kernel, "old")
        XCTAssertThrowsError(try store.read(host: "[::1]_2222"), "another host mapping to the old name does not read it")
        try store.write(snapshot("[::1]:2222", kernel: "new", at: 1_700_003_600))
        XCTAssertEqual(try store.read(host: "[::1]:2222").system.kernel, "new")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/___1__2222.json"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/history").count, 1)
    }

    /// Issue 12 point 3: a snapshot file is refused by size before it is read or decoded.
    func testSnapshotFilesOverTheSizeLimitAreRefusedBeforeDecoding() throws {
        let path = dir + "/big.json"
        FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x20, count: (1 << 20) + 1))
        XCTAssertThrowsError(try SnapshotCoding.read(path: path, environment: ["POSTPATCH_MAX_SNAPSHOT_MB": "1"])) {
            XCTAssertEqual("\($0)", "\(path): larger than the 1 MiB snapshot size limit; if it is a real snapshot, "
                + "raise the limit with POSTPATCH_MAX_SNAPSHOT_MB=<MiB>")
        }
        XCTAssertEqual(try SnapshotCoding.read(path: path, environment: ["POSTPATCH_MAX_SNAPSHOT_MB": "2"]).count, (1 << 20) + 1)
        XCTAssertThrowsError(try SnapshotCoding.read(path: path, environment: ["POSTPATCH_MAX_SNAPSHOT_MB": "0"])) {
            XCTAssertTrue("\($0)".contains("POSTPATCH_MAX_SNAPSHOT_MB must be a whole number"), "\($0)")
        }
        XCTAssertThrowsError(try SnapshotCoding.read(path: dir)) { XCTAssertTrue("\($0)".contains("is a directory"), "\($0)") }
        // Under the size cap, a 15 MB host (it heads every finding) made a diff take 15 GB.
        let long = try SnapshotCoding.encode(snapshot(String(repeating: "h", count: 2000), kernel: "k", at: 0))
        XCTAssertThrowsError(try SnapshotCoding.decode(long)) {
            XCTAssertTrue("\($0)".contains("host is 2000 bytes long; a host is at most 1024"), "\($0)")
        }
        let store = BaselineStore(directory: dir)
        try Data(repeating: 0x20, count: (SnapshotCoding.defaultMaxFileMB << 20) + 1).write(to: URL(fileURLWithPath: store.path(for: "big")))
        XCTAssertThrowsError(try store.read(host: "big")) { XCTAssertTrue("\($0)".contains("snapshot size limit"), "\($0)") }
    }

    func testKeepMovesPreviousBaselinesToHistoryAndPrunes() throws {
        let store = BaselineStore(directory: dir, keep: 2)
        try store.prepare()
        for i in 0..<4 { try store.write(snapshot("db1", kernel: "k\(i)", at: 1_700_000_000 + Double(i) * 3600)) }
        let history = try FileManager.default.contentsOfDirectory(atPath: dir + "/history").sorted()
        XCTAssertEqual(history, ["db1.2023-11-14T231320Z.json", "db1.2023-11-15T001320Z.json"], "k1 and k2: the two before the current k3")
        XCTAssertEqual(try store.read(host: "db1").system.kernel, "k3")
    }

    func testMissingCorruptAndNewerBaselinesAreClearErrors() throws {
        let store = BaselineStore(directory: dir)
        XCTAssertThrowsError(try store.read(host: "web9")) {
            XCTAssertTrue("\($0)".contains("take one with `postpatch baseline web9`"), "\($0)")
        }
        try store.write(snapshot("web1", kernel: "k", at: 0))
        let full = try Data(contentsOf: URL(fileURLWithPath: store.path(for: "web1")))
        try full.prefix(full.count / 2).write(to: URL(fileURLWithPath: store.path(for: "web1")))
        XCTAssertThrowsError(try store.read(host: "web1")) {
            XCTAssertTrue("\($0)".contains("unusable") && "\($0)".contains("truncated or corrupt"), "\($0)")
        }
        let newer = String(decoding: full, as: UTF8.self).replacingOccurrences(of: "\"schemaVersion\" : 1", with: "\"schemaVersion\" : 7")
        try newer.write(toFile: store.path(for: "web1"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try store.read(host: "web1")) {
            XCTAssertTrue("\($0)".contains("schemaVersion 7") && "\($0)".contains("upgrade postpatch"), "\($0)")
        }
    }

    /// A folder that cannot be written: the error is clear and the old baseline stays as it was.
    func testFailedWriteKeepsTheOldBaseline() throws {
        guard getuid() != 0 else {
            // root writes anywhere; use a full "disk" instead: a file path under a regular file.
            let store = BaselineStore(directory: dir + "/not-a-dir")
            FileManager.default.createFile(atPath: dir + "/not-a-dir", contents: Data("x".utf8))
            XCTAssertThrowsError(try store.write(snapshot("web1", kernel: "k", at: 0))) {
                XCTAssertTrue("\($0)".contains("untouched"), "\($0)")
            }
            XCTAssertEqual(try String(contentsOfFile: dir + "/not-a-dir", encoding: .utf8), "x")
            return
        }
        let store = BaselineStore(directory: dir)
        try store.write(snapshot("web1", kernel: "old", at: 0))
        let before = try Data(contentsOf: URL(fileURLWithPath: store.path(for: "web1")))
        chmod(dir, 0o555)
        XCTAssertThrowsError(try store.write(snapshot("web1", kernel: "new", at: 1)))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: store.path(for: "web1"))), before)
    }

    func testSecondLockWaitsThenGivesUpNamingTheHolder() async throws {
        let first = try await FolderLock.acquire(folder: dir, wait: .seconds(1)) { _ in }
        let told = Told()
        do {
            _ = try await FolderLock.acquire(folder: dir, wait: .milliseconds(500)) { told.text = $0 }
            XCTFail("the second lock must not be granted")
        } catch {
            XCTAssertTrue("\(error)".contains("pid \(getpid())"), "\(error)")
        }
        XCTAssertTrue(told.text.contains("waiting for another postpatch run"), told.text)
        first.release()
        let again = try await FolderLock.acquire(folder: dir, wait: .seconds(1)) { _ in }
        again.release()
    }
}

final class Told: @unchecked Sendable { var text = "" }
