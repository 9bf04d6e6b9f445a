import Foundation
import LabKit
import TestSupport
import XCTest

/// Declared HTTP checks end to end, as a user runs them: the `postpatch` binary, a checks file,
/// a real sshd on loopback, and a loopback HTTP server that wants basic auth. The password is
/// only in an environment variable; one check asks through the SSH session (`via: tunnel`),
/// one with the host's own curl (`via: host`). Baseline and verify pass; then the server answers
/// 500 and verify exits 1 with http-check-failed naming the check and its URL. Throughout, the
/// password (and its base64 form) is searched for in every process's argv, in the output of
/// every command, and in every file the runs wrote.
final class HTTPChecksEndToEndTests: E2ETestCase {
    func testBasicAuthFromTheEnvironmentThroughTunnelAndHost() async throws {
        _ = try LabSkip.tool("curl", package: "curl")
        let password = "pp-web-" + LabProcess.randomPassword(length: 20)
        let authorization = LabHTTPServer.basic("monitor", password)
        let secrets = [password, String(authorization.dropFirst("Basic ".count))]
        let healthy: LabHTTPServer.Handler = { request in
            request.header("Authorization") == authorization ? .text(200, "status: ok\n")
                : .respond(status: 401, headers: [("WWW-Authenticate", "Basic realm=\"lab\"")])
        }
        let server = try LabHTTPServer(handler: healthy)
        cleanup { server.stop() }
        let url = server.base + "/health"

        let cwd = lab.dir + "/httpchecks"
        try FileManager.default.createDirectory(atPath: cwd, withIntermediateDirectories: true)
        try """
            defaults: { user: \(Lab.user), known_hosts: \(knownHosts!), identity: \(key.privatePath) }
            hosts:
              web: { address: 127.0.0.1, port: \(sshd.port) }
            checks:
              http:
                - { name: health, url: "\(url)", status: 200, contains: "ok", basic_auth_env: PP_WEB_AUTH, timeout: 5 }
                - { name: health-from-host, url: "\(url)", status: 200, contains: "ok", via: host, basic_auth_env: PP_WEB_AUTH, timeout: 5 }

            """.write(toFile: cwd + "/checks.yaml", atomically: true, encoding: .utf8)
        let env = ["PP_WEB_AUTH": "monitor:" + password]
        let common = ["--config", cwd + "/checks.yaml"]
        let capture = ["--skip-pending-updates", "--baselines", cwd + "/baselines"]
        let reports = ["--json", "r.json", "--junit", "r.xml", "--markdown", "r.md", "--html", "r.html"]

        let watch = SecretsEverywhereTests.ArgvWatch(secrets)
        watch.start()
        var outputs: [String: String] = [:]
        func run(_ name: String, _ args: [String], expect: Int32) async throws -> String {
            let r = try await PostPatchCLI.run([args[0]] + common + args.dropFirst(), in: cwd, environment: env)
            XCTAssertEqual(r.status, expect, "\(name): " + r.stdout + r.stderr)
            outputs[name] = r.stdout + r.stderr
            return r.stdout + r.stderr
        }
        _ = try await run("script", ["script", "--host", "web"], expect: 0)
        _ = try await run("baseline", ["baseline"] + capture, expect: 0)
        let passing = try await run("verify", ["verify", "-v"] + capture + reports, expect: 0)
        server.setHandler { _ in .text(500, "backend down\n") }
        let failing = try await run("verify failing", ["verify", "-v"] + capture + reports.map { $0.replacingOccurrences(of: "r.", with: "failing.") },
                                    expect: 1)
        _ = try await run("drift", ["drift", "--prometheus", "drift.prom"] + capture, expect: 1)
        let (leaks, samples) = watch.stop()

        // Both checks really sent the credential and passed before the server broke.
        let baseline = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cwd + "/baselines/web.json")))
                                        as? [String: Any])
        let checks = try XCTUnwrap(baseline["httpChecks"] as? [[String: Any]])
        XCTAssertEqual(checks.map { $0["via"] as? String }, ["tunnel", "host"], "\(checks)")
        XCTAssertEqual(checks.map { ($0["failed"] as? [String])?.isEmpty }, [true, true], "\(checks)")
        XCTAssertEqual(checks.map { $0["status"] as? Int }, [200, 200], "\(checks)")
        let authorized = server.requests.filter { $0.header("Authorization") == authorization }
        XCTAssertGreaterThanOrEqual(authorized.count, 6, "both checks, in baseline, verify and the failing runs")
        XCTAssertFalse(passing.contains("http-check"), passing)

        for name in ["health", "health-from-host"] {
            XCTAssertTrue(failing.contains("http check \(name) (\(url)) failed: status 500, expected 200 (and 1 more)"), failing)
        }
        let json = try String(contentsOfFile: cwd + "/failing.json", encoding: .utf8)
        XCTAssertTrue(json.contains("http-check-failed"), json)
        let junit = try String(contentsOfFile: cwd + "/failing.xml", encoding: .utf8)
        XCTAssertTrue(junit.contains("health (\(url))"), junit)

        // checks.yaml too: it names the variable only.
        let files = SecretsEverywhereTests.assertNoSecret(secrets, argv: (leaks, samples), outputs: outputs, filesUnder: cwd)
        XCTAssertGreaterThanOrEqual(files, 10, "baselines, reports of both verify runs and the drift metrics were searched")
    }
}
