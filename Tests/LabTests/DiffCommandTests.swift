import Foundation
import LabKit
import TestSupport
import XCTest

/// `postpatch diff` on the real Ubuntu 18.04 before/after-patch snapshots: two files, two
/// folders (hosts paired by file name, a host in one folder only reported as not checked), and
/// a file with a folder refused as a usage error.
final class DiffCommandTests: XCTestCase {
    func testFilesFoldersAndAMixRefused() async throws {
        let dir = try LabProcess.makeTempDir("diff").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fm = FileManager.default
        for d in ["old", "new"] { try fm.createDirectory(atPath: "\(dir)/\(d)", withIntermediateDirectories: true) }
        try copyFixtures(["ubuntu1804-baseline": "old/web1.json", "ubuntu1804-after-patch": "new/web1.json"], to: dir)
        try copyFixtures(["ubuntu1804-baseline": "old/retired.json"], to: dir)

        let files = try await PostPatchCLI.run(["diff", "old/web1.json", "new/web1.json"], in: dir)
        XCTAssertEqual(files.status, 1, files.stdout + files.stderr)
        XCTAssertTrue(files.stdout.contains("rsyslog.service was active (running), now failed"), files.stdout)

        let folders = try await PostPatchCLI.run(["diff", "old", "new", "--junit", "r.xml"], in: dir)
        XCTAssertEqual(folders.status, 1, folders.stdout + folders.stderr)
        XCTAssertTrue(folders.stdout.contains("2 hosts: 3 regressions"), folders.stdout)
        XCTAssertTrue(folders.stdout.contains("no snapshot new/retired.json for the baseline old/retired.json"), folders.stdout)
        XCTAssertTrue(folders.stderr.contains("diff: 2 hosts: read, decoded and compared in"), folders.stderr)
        XCTAssertTrue(fm.fileExists(atPath: "\(dir)/r.xml"))

        let mixed = try await PostPatchCLI.run(["diff", "old", "new/web1.json"], in: dir)
        XCTAssertEqual(mixed.status, 2)
        XCTAssertTrue(mixed.stderr.contains("two snapshot files or two folders"), mixed.stderr)
    }

    /// `diff --config` and `verify` read the same file the same way: a misspelt `policy:` kind
    /// is refused at its line and column, with the kind it probably meant.
    func testMisspeltPolicyKindRefusedAsVerifyDoes() async throws {
        let dir = try LabProcess.makeTempDir("diff-policy").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try copyFixtures(["ubuntu1804-baseline": "a.json", "ubuntu1804-after-patch": "b.json"], to: dir)
        try "policy: { servce-stopped: warning }\n".write(toFile: "\(dir)/bad.yaml", atomically: true, encoding: .utf8)

        for args in [["diff", "a.json", "b.json", "--config", "bad.yaml"], ["verify", "--config", "bad.yaml", "local"]] {
            let run = try await PostPatchCLI.run(args, in: dir)
            XCTAssertEqual(run.status, 2, "\(args): " + run.stdout + run.stderr)
            XCTAssertTrue(run.stderr.contains("bad.yaml:1:11"), "\(args): " + run.stderr)
            XCTAssertTrue(run.stderr.contains("unknown finding kind 'servce-stopped'"), "\(args): " + run.stderr)
            XCTAssertTrue(run.stderr.contains("did you mean 'service-stopped'?"), "\(args): " + run.stderr)
        }
    }

    /// Copies CompareTests/Fixtures/<name>.json to <dir>/<path> for each pair.
    private func copyFixtures(_ copies: [String: String], to dir: String) throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("CompareTests/Fixtures").path
        for (name, path) in copies {
            try FileManager.default.copyItem(atPath: "\(fixtures)/\(name).json", toPath: "\(dir)/\(path)")
        }
    }
}
