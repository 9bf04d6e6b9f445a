import Foundation
import LabKit
import XCTest

/// Files PostPatch writes are 0644 or stricter: baselines, history, every report, the
/// rollout's run folder; `--umask 077` makes them owner-only (folders too); known_hosts that
/// `--accept-new-host-keys` creates is 0600 whatever the umask. A bad mask is a usage error.
final class FilePermissionsTests: E2ETestCase {
    /// path (relative to `root`) -> permission bits, for every file and folder below `root`.
    func modes(under root: String) throws -> [String: Int] {
        var out: [String: Int] = [:]
        let walker = FileManager.default.enumerator(atPath: root)
        while let rel = walker?.nextObject() as? String {
            let attrs = try FileManager.default.attributesOfItem(atPath: root + "/" + rel)
            out[rel] = (attrs[.posixPermissions] as? Int) ?? -1
        }
        return out
    }

    func isDirectory(_ path: String) -> Bool {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &d) && d.boolValue
    }

    func runAll(in cwd: String, extra: [String]) async throws {
        let host = "\(Lab.user)@127.0.0.1:\(sshd.port)"
        let common = ["-i", key.privatePath, "--skip-pending-updates"] + extra
        for args in [["baseline", "--baselines", cwd + "/b", "--keep", "2", "--accept-new-host-keys", "--known-hosts", cwd + "/kh/known_hosts", host],
                     ["baseline", "--baselines", cwd + "/b", "--keep", "2", "--known-hosts", knownHosts!, host],
                     ["verify", "--baselines", cwd + "/b", "--known-hosts", knownHosts!, "--junit", cwd + "/r/r.xml", "--json", cwd + "/r/r.json",
                      "--markdown", cwd + "/r/r.md", "--html", cwd + "/r/r.html", host],
                     ["snapshot", "--known-hosts", knownHosts!, "--out", cwd + "/s", host]] {
            let r = try await PostPatchCLI.run(args + common, in: cwd)
            XCTAssertEqual(r.status, 0, "\(args[0]): " + r.stdout + r.stderr)
        }
    }

    func testDefaultModesAndOwnerOnlyWithUmask077() async throws {
        for (mask, fileMode, dirMode) in [(nil, 0o644, 0o755), ("077", 0o600, 0o700)] as [(String?, Int, Int)] {
            let cwd = lab.dir + "/perm-\(mask ?? "default")"
            try FileManager.default.createDirectory(atPath: cwd + "/r", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: cwd + "/kh", withIntermediateDirectories: true)
            // The test process's own umask is 022: the CLI child inherits it.
            try await runAll(in: cwd, extra: mask.map { ["--umask", $0] } ?? [])
            let found = try modes(under: cwd)
            var checked = 0
            for (rel, mode) in found {
                let path = cwd + "/" + rel
                if rel.hasPrefix("kh/") {
                    XCTAssertEqual(mode, 0o600, "\(rel): known_hosts must be owner-only")
                } else if rel == "r" || rel == "kh" {
                    continue  // made by the test
                } else if rel.hasPrefix("r/") || rel.hasPrefix("b") || rel.hasPrefix("s") {
                    XCTAssertEqual(mode, isDirectory(path) ? dirMode : fileMode, "\(rel) with umask \(mask ?? "022")")
                    checked += 1
                }
            }
            XCTAssertTrue(found.keys.contains("b/history"), "\(found.keys.sorted())")
            XCTAssertGreaterThanOrEqual(checked, 9, "\(found.keys.sorted())")
        }
        let bad = try await PostPatchCLI.run(["baseline", "--umask", "0999", "local"], in: lab.dir)
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("--umask '0999'"), bad.stderr)
    }
}
