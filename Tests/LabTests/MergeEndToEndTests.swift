import Foundation
import LabKit
import TestSupport
import Model
import XCTest

/// `postpatch merge`: the JSON reports of three `verify --shard I/3` runs give the same totals
/// and exit status as one unsharded verify of the same hosts, and the merged reports are the
/// verify reports (JUnit valid under both schemas).
final class MergeEndToEndTests: E2ETestCase {
    private struct Totals: Decodable, Equatable {
        var hosts, unchecked, items, regression, warning, info: Int
    }
    private struct JSONRun: Decodable {
        struct Host: Decodable { var host: String; var status: String }
        var totals: Totals
        var hosts: [Host]
    }

    func testThreeShardsMergeToTheUnshardedVerify() async throws {
        let listener = try listen(.tcp, port: try lowPort())
        let closed = try lowPort()
        let cwd = lab.dir + "/merge"
        try FileManager.default.createDirectory(atPath: cwd, withIntermediateDirectories: true)
        // Seven names, one machine: shard 1 {web3, cache1}, 2 {web1, web2, db2}, 3 {db1, edge1}
        // (FNV-1a of the name). Three of them lose a connectivity target; edge1 is unreachable.
        // Sockets are ignored: other tests open and close ports on this machine meanwhile.
        let config = """
            defaults: { user: \(Lab.user), identity: \(key.privatePath), known_hosts: \(knownHosts!) }
            hosts:
              web1: { address: 127.0.0.1, port: \(sshd.port) }
              web2: { address: 127.0.0.1, port: \(sshd.port), groups: [app] }
              web3: { address: 127.0.0.1, port: \(sshd.port) }
              db1: { address: 127.0.0.1, port: \(sshd.port), groups: [app] }
              db2: { address: 127.0.0.1, port: \(sshd.port) }
              cache1: { address: 127.0.0.1, port: \(sshd.port), groups: [app] }
              edge1: { address: 127.0.0.1, port: \(closed) }
            groups:
              app:
                checks:
                  connectivity:
                    - { target: 127.0.0.1, port: \(listener.port), timeout: 2 }
            ignore: { sockets: ["*"] }

            """
        try config.write(toFile: cwd + "/checks.yaml", atomically: true, encoding: .utf8)
        func postpatch(_ args: [String]) async throws -> PostPatchCLI.Result {
            try await PostPatchCLI.run([args[0], "--config", "checks.yaml", "--baselines", "b", "--skip-pending-updates"]
                                       + args.dropFirst(), in: cwd)
        }
        let base = try await postpatch(["baseline"])
        XCTAssertEqual(base.status, 3, base.stdout + base.stderr)  // edge1 cannot be reached
        listener.close()

        let whole = try await postpatch(["verify", "--json", "whole.json"])
        XCTAssertEqual(whole.status, 1, whole.stdout + whole.stderr)
        var shardFiles: [String] = []
        for i in 1...3 {
            let r = try await postpatch(["verify", "--shard", "\(i)/3", "--json", "shard\(i).json"])
            XCTAssertNotEqual(r.status, 0, r.stdout + r.stderr)
            shardFiles.append("shard\(i).json")
        }
        let merged = try await PostPatchCLI.run(["merge"] + shardFiles + ["--json", "merged.json", "--junit", "merged.xml",
                                                 "--markdown", "merged.md", "--html", "merged.html"], in: cwd)
        XCTAssertEqual(merged.status, whole.status, merged.stdout + merged.stderr)

        func read(_ name: String) throws -> JSONRun {
            try SnapshotCoding.decoder().decode(JSONRun.self, from: Data(contentsOf: URL(fileURLWithPath: cwd + "/" + name)))
        }
        let a = try read("whole.json"), b = try read("merged.json")
        XCTAssertEqual(a.totals, b.totals)
        XCTAssertEqual(a.totals.hosts, 7)
        XCTAssertEqual(a.totals.unchecked, 1)
        XCTAssertEqual(a.totals.regression, 3)
        XCTAssertEqual(Set(a.hosts.map { "\($0.host) \($0.status)" }), Set(b.hosts.map { "\($0.host) \($0.status)" }))
        for schema in ["junit-jenkins-10.xsd", "junit-windyroad.xsd"] {
            let path = PostPatchCLI.schemas.appendingPathComponent(schema).path
            if let problem = try await PostPatchCLI.validate(cwd + "/merged.xml", schema: path) { XCTFail("\(schema): \(problem)") }
        }
        let md = try String(contentsOfFile: cwd + "/merged.md", encoding: .utf8)
        XCTAssertTrue(md.contains("cache1") && md.contains("edge1"), md)

        // A host in two inputs: an error naming both files, exit 2, nothing written.
        try FileManager.default.copyItem(atPath: cwd + "/shard1.json", toPath: cwd + "/again.json")
        let twice = try await PostPatchCLI.run(["merge", "shard1.json", "shard2.json", "again.json", "--json", "twice.json"], in: cwd)
        XCTAssertEqual(twice.status, 2, twice.stdout + twice.stderr)
        XCTAssertTrue(twice.stderr.contains("shard1.json") && twice.stderr.contains("again.json"), twice.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cwd + "/twice.json"))
    }
}
