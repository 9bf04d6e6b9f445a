import Foundation
import LabKit
import TestSupport
import Model
import XCTest

/// The CLI driven by a checks file, as in production: a host with its group's checks (a Redis
/// that wants a password, named by `password_env`, and a DNS name), a `policy:` override and an
/// `ignore:` glob, through baseline and verify with every report format. The password must
/// reach the probe and appear nowhere: not in output, baselines or reports.
final class ConfigEndToEndTests: E2ETestCase {
    private struct JSONRun: Decodable {
        struct Host: Decodable { var host: String; var status: String; var items: [Item] }
        struct Item: Decodable { var findings: [Finding] }
        var hosts: [Host]
    }

    func testChecksFileDrivesProbesPolicyAndIgnoreWithoutLeakingThePassword() async throws {
        let redis = try await RedisLab.start(requirePassword: true)
        cleanup { await redis.stop() }
        let password = try XCTUnwrap(redis.password)
        let dns = try await startDNS(["app.e2e.test": ["192.0.2.10"]])
        let (raised, ignored) = (try lowPort(), try lowPort())
        let cwd = lab.dir + "/config"
        try FileManager.default.createDirectory(atPath: cwd, withIntermediateDirectories: true)
        let config = """
            defaults: { user: \(Lab.user), identity: \(key.privatePath), known_hosts: \(knownHosts!) }
            hosts:
              lab: { address: 127.0.0.1, port: \(sshd.port), groups: [cache] }
            groups:
              cache:
                checks:
                  databases:
                    - { name: cache, kind: redis, port: \(redis.port), password_env: E2E_REDIS_PASSWORD, timeout: 3 }
                  dns:
                    - { name: app.e2e.test, server: "\(dns.server)" }
            policy: { socket-opened: regression }
            ignore: { sockets: ["tcp 127.0.0.1:\(ignored)"] }

            """
        try config.write(toFile: cwd + "/checks.yaml", atomically: true, encoding: .utf8)
        let env = ["E2E_REDIS_PASSWORD": password]
        func postpatch(_ args: [String]) async throws -> PostPatchCLI.Result {
            try await PostPatchCLI.run(args + ["--config", cwd + "/checks.yaml", "--skip-pending-updates", "--baselines", cwd + "/b"],
                                       in: cwd, environment: env)
        }

        let base = try await postpatch(["baseline"])
        XCTAssertEqual(base.status, 0, base.stdout + base.stderr)
        let snapshot = try SnapshotCoding.decode(try Data(contentsOf: URL(fileURLWithPath: cwd + "/b/lab.json")))
        XCTAssertEqual(snapshot.databases.first?.up, true, "\(snapshot.databases)")
        XCTAssertEqual(snapshot.databases.first?.version, redis.version, "AUTH worked: INFO answered")
        XCTAssertEqual(snapshot.dns.first?.answers, ["192.0.2.10"])

        _ = try listen(.tcp, port: raised)
        _ = try listen(.tcp, port: ignored)
        let reports = ["--junit", "r.xml", "--json", "r.json", "--markdown", "r.md", "--html", "r.html"].map { $0.hasPrefix("r.") ? cwd + "/" + $0 : $0 }
        let run = try await postpatch(["verify", "-v"] + reports)
        XCTAssertEqual(run.status, 1, "policy raised socket-opened to a regression: " + run.stdout + run.stderr)
        let json = try JSONDecoder().decode(JSONRun.self, from: Data(contentsOf: URL(fileURLWithPath: cwd + "/r.json")))
        let findings = json.hosts.flatMap { $0.items.flatMap(\.findings) }
        XCTAssertEqual(findings.filter { !E2ENoise.isForeign($0) }.map { "\($0.kind.rawValue) \($0.severity.rawValue) \($0.subject)" },
                       ["socket-opened regression tcp 127.0.0.1:\(raised)"])
        XCTAssertEqual(json.hosts.map(\.status), ["regression"])

        // The password: used, never shown.
        var seen = ["stdout": base.stdout + run.stdout, "stderr": base.stderr + run.stderr]
        for file in ["b/lab.json", "r.xml", "r.json", "r.md", "r.html"] {
            seen[file] = try String(contentsOfFile: cwd + "/" + file, encoding: .utf8)
        }
        for (place, text) in seen {
            XCTAssertFalse(text.contains(password), "the Redis password appears in \(place)")
        }
    }
}
