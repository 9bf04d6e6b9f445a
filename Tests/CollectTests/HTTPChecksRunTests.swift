import Foundation
import LabKit
import TestSupport
import XCTest
import Model
@testable import Collect

/// `via: host` HTTP checks: the fragment runs for real under dash and busybox ash against
/// loopback servers, with this machine's curl, GNU wget and busybox wget as the host's clients
/// (a client is hidden by redefining `pp_has`, the script's one "is this tool here" test).
final class HTTPChecksRunTests: XCTestCase {
    var servers: [LabHTTPServer] = []
    var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("pp-httpchecks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        servers.forEach { $0.stop() }
        try? FileManager.default.removeItem(at: tmp)
    }

    func serve(_ handler: @escaping LabHTTPServer.Handler) throws -> LabHTTPServer {
        let server = try LabHTTPServer(handler: handler)
        servers.append(server)
        return server
    }

    /// The credential prelude, the real preamble, `setup` (tool overrides), the HTTP steps.
    func script(_ checks: [HTTPCheck], environment: [String: String] = [:], setup: String = "") -> String {
        "TMPDIR=\(ShellQuote.quote(tmp.path)); export TMPDIR\n"
            + HTTPChecksSection.credentials(checks, environment: environment)
            + ScriptFraming.preamble(nonce: "web", stepTimeout: 10) + setup
            + HTTPChecksSection.fragment(checks) + ScriptFraming.epilogue
    }

    func results(_ argv: [String], _ checks: [HTTPCheck], environment: [String: String] = [:],
                 setup: String = "") throws -> (results: [String: HTTPCheckResult], run: ShellRun) {
        let run = try ShellRunner.run(argv, stdin: script(checks, environment: environment, setup: setup))
        XCTAssertEqual(run.status, 0, run.stderr)
        let parsed = HTTPChecksParser.parse(ScriptOutput.parse(run.stdout, nonce: "web"), checks: checks)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path), [], "the script left files behind")
        return (Dictionary(uniqueKeysWithValues: parsed.map { ($0.name, $0) }), run)
    }

    /// A routing server: `/ok`, `/fail` (500), `/moved` (302), `/private` (basic auth).
    func routes(password: String) throws -> LabHTTPServer {
        let expected = LabHTTPServer.basic("monitor", password)
        return try serve { request in
            switch request.target {
            case "/ok": return .text(200, "status: ok\n")
            case "/fail": return .text(500, "backend down\n")
            case "/moved": return .respond(status: 302, headers: [("Location", "/login")])
            case "/private": return request.header("Authorization") == expected ? .text(200, "ok") : .text(401, "who?")
            default: return .text(404, "")
            }
        }
    }

    func testCurlOnTheHost() throws {
        _ = try LabSkip.tool("curl", package: "curl")
        let password = "pp-host-" + LabProcess.randomPassword(length: 16)
        let server = try routes(password: password)
        let closed = try LabProcess.freePort()
        let checks = [
            HTTPCheck(name: "ok", url: server.base + "/ok", status: 200, contains: "ok", headers: ["X-Probe": "pp", "X-Empty": ""], via: .host),
            HTTPCheck(name: "fail", url: server.base + "/fail", status: 200, contains: "ok", via: .host),
            HTTPCheck(name: "moved", url: server.base + "/moved", via: .host),
            HTTPCheck(name: "private", url: server.base + "/private", status: 200, via: .host, basicAuthEnv: "PP_WEB"),
            HTTPCheck(name: "unset", url: server.base + "/private", via: .host, basicAuthEnv: "PP_UNSET"),
            HTTPCheck(name: "closed", url: "http://127.0.0.1:\(closed)/", via: .host, timeout: 3),
            HTTPCheck(name: "tunnelled", url: server.base + "/ok"),
        ]
        // Every argument curl is started with, recorded by a wrapper first in PATH.
        let wrap = try LabProcess.makeTempDir("curl-argv")
        defer { try? FileManager.default.removeItem(at: wrap) }
        let argvLog = wrap.appendingPathComponent("argv").path
        let realCurl = try LabSkip.tool("curl", package: "curl")
        try "#!/bin/sh\nprintf '%s\\n' \"$@\" >>\(ShellQuote.quote(argvLog))\nexec \(realCurl) \"$@\"\n"
            .write(toFile: wrap.appendingPathComponent("curl").path, atomically: true, encoding: .utf8)
        chmod(wrap.appendingPathComponent("curl").path, 0o755)
        let setup = "PATH=\(ShellQuote.quote(wrap.path)):$PATH\n"
        for argv in try ShellRunner.shells() {
            let label = argv.joined(separator: " ")
            let (r, run) = try results(argv, checks, environment: ["PP_WEB": "monitor:" + password], setup: setup)
            XCTAssertEqual(Set(r.keys), ["ok", "fail", "moved", "private", "unset", "closed"], "via: tunnel is not the script's")
            XCTAssertEqual(r["ok"]?.failed, [], "\(label): \(String(describing: r["ok"]))")
            XCTAssertEqual(r["ok"]?.containsMatched, true)
            XCTAssertEqual(r["ok"]?.via, .host)
            XCTAssertEqual(r["fail"]?.failed, ["status 500, expected 200", "body does not contain 'ok'"], label)
            XCTAssertEqual(r["moved"]?.status, 302, label)
            XCTAssertEqual(r["moved"]?.location, "/login", label)
            XCTAssertEqual(r["moved"]?.failed, [], label)
            XCTAssertEqual(r["private"]?.failed, [], "\(label): \(String(describing: r["private"]))")
            XCTAssertEqual(r["unset"]?.failed, ["PP_UNSET (basic_auth_env) is not set in PostPatch's environment: export it "
                                                    + "before running postpatch; the check was not run"], label)
            XCTAssertEqual(r["closed"]?.error?.hasPrefix("curl: (7) Failed to connect to 127.0.0.1 port \(closed)"), true,
                           "\(label): \(String(describing: r["closed"]))")
            XCTAssertFalse(String(decoding: run.stdout, as: UTF8.self).contains(password), label)
        }
        let okRequest = try XCTUnwrap(server.requests.first { $0.target == "/ok" })
        XCTAssertEqual(okRequest.header("X-Probe"), "pp")
        XCTAssertEqual(okRequest.header("X-Empty"), "", "an empty header is sent, not dropped")
        XCTAssertEqual(server.requests.filter { $0.target == "/private" }.count, 2, "one per shell; none for the unset variable")
        let argvSeen = try String(contentsOfFile: argvLog, encoding: .utf8)
        XCTAssertTrue(argvSeen.contains("-K"), "curl was called through the recording function")
        XCTAssertFalse(argvSeen.contains(password), "the credential reached curl's argv")
        XCTAssertFalse(argvSeen.contains(String(LabHTTPServer.basic("monitor", password).dropFirst(6))), "the base64 reached curl's argv")
    }

    func testWgetWhenTheHostHasNoCurl() throws {
        let server = try routes(password: "unused")
        let checks = [
            HTTPCheck(name: "ok", url: server.base + "/ok", status: 200, contains: "ok", via: .host),
            HTTPCheck(name: "fail", url: server.base + "/fail", status: 200, via: .host),
            HTTPCheck(name: "moved", url: server.base + "/moved", via: .host),
            HTTPCheck(name: "private", url: server.base + "/private", via: .host, basicAuthEnv: "PP_WEB"),
        ]
        let noCurl = "pp_has() { [ \"$1\" != curl ] && command -v \"$1\" >/dev/null 2>&1; }\n"
        _ = try LabSkip.tool("wget", package: "wget")
        // busybox's wget: an applet named wget first in PATH (what a busybox host has).
        let applets = try LabProcess.makeTempDir("busybox-wget")
        defer { try? FileManager.default.removeItem(at: applets) }
        try FileManager.default.createSymbolicLink(atPath: applets.appendingPathComponent("wget").path,
                                                   withDestinationPath: try LabSkip.tool("busybox", package: "busybox"))
        let clients = [("GNU wget", noCurl), ("busybox wget", noCurl + "PATH=\(ShellQuote.quote(applets.path)):$PATH\n")]
        for (client, setup) in clients {
            for argv in try ShellRunner.shells() {
                let label = "\(client) under \(argv.joined(separator: " "))"
                let (r, _) = try results(argv, checks, environment: ["PP_WEB": "monitor:x"], setup: setup)
                XCTAssertEqual(r["ok"]?.failed, [], "\(label): \(String(describing: r["ok"]))")
                XCTAssertEqual(r["fail"]?.status, 500, label)
                XCTAssertEqual(r["fail"]?.failed, ["status 500, expected 200"], label)
                XCTAssertEqual(r["moved"]?.status, 302, "\(label): \(String(describing: r["moved"]))")
                XCTAssertEqual(r["moved"]?.location, "/login", label)
                XCTAssertEqual(r["private"]?.failed, ["only wget on the host, which would show the credential in the process list: "
                                                          + "install curl there, or use 'via: tunnel'"], label)
            }
        }
    }

    func testNoClientOnTheHost() throws {
        let checks = [HTTPCheck(name: "h", url: "http://127.0.0.1:9/", via: .host)]
        let (r, _) = try results(try ShellRunner.dash(), checks, setup: "pp_has() { case $1 in curl|wget) return 1 ;; esac; command -v \"$1\" >/dev/null 2>&1; }\n")
        XCTAssertEqual(r["h"]?.failed, ["no curl or wget on the host"])
    }

    func testTimeoutAndFloodStayBounded() throws {
        _ = try LabSkip.tool("curl", package: "curl")
        let silent = try serve { _ in .silent }
        let flood = try serve { _ in .flood(bytes: 10 << 20) }
        let checks = [
            HTTPCheck(name: "silent", url: silent.base + "/", via: .host, timeout: 1),
            HTTPCheck(name: "flood", url: flood.base + "/", contains: "needle", via: .host, timeout: 20),
        ]
        let (r, run) = try results(try ShellRunner.dash(), checks)
        XCTAssertEqual(r["silent"]?.failed, ["no answer within 1 s"])
        XCTAssertEqual(r["flood"]?.status, 200)
        XCTAssertEqual(r["flood"]?.failed, ["body does not contain 'needle' (first 1 MiB searched)"])
        XCTAssertLessThan(run.stdout.count, 4096, "the body stays on the host")
        XCTAssertLessThan(run.wallSeconds, 12)
    }

    func testHTTPSWithTheHostsCurl() async throws {
        _ = try LabSkip.tool("curl", package: "curl")
        let ca = try await LabTLS.makeCA()
        defer { ca.remove() }
        let server = try await LabTLSServer.start(try await ca.issue(commonName: "localhost", san: ["localhost", "127.0.0.1"]))
        let url = "https://127.0.0.1:\(server.port)/"
        let checks = [
            HTTPCheck(name: "verified", url: url, via: .host, timeout: 5),
            HTTPCheck(name: "unverified", url: url, status: 200, contains: "Ciphers", tlsVerify: false, via: .host, timeout: 5),
        ]
        let (r, _) = try results(try ShellRunner.dash(), checks)
        await server.stop()
        XCTAssertEqual(r["verified"]?.failed.first?.hasPrefix("TLS verification failed: curl: (60) SSL certificate problem"), true,
                       "\(String(describing: r["verified"]))")
        XCTAssertEqual(r["unverified"]?.failed, [], "\(String(describing: r["unverified"]))")
    }

    func testScriptWithoutThePreludeNeverRunsACredentialCheck() throws {
        let checks = [HTTPCheck(name: "p", url: "http://127.0.0.1:9/", via: .host, bearerEnv: "PP_TOKEN")]
        let run = try ShellRunner.run(try ShellRunner.dash(), stdin: ScriptFraming.preamble(nonce: "web", stepTimeout: 5)
                                          + HTTPChecksSection.fragment(checks) + ScriptFraming.epilogue)
        let r = HTTPChecksParser.parse(ScriptOutput.parse(run.stdout, nonce: "web"), checks: checks)
        XCTAssertEqual(r.first?.failed, ["the credential was not handed to the script: run the check through postpatch"])
    }

    func testCredentialPreludeQuotesAndNamesOnly() {
        let checks = [HTTPCheck(name: "a", url: "http://x/", via: .host, basicAuthEnv: "A"),
                      HTTPCheck(name: "b", url: "http://x/", via: .host, bearerEnv: "B"),
                      HTTPCheck(name: "c", url: "http://x/", basicAuthEnv: "A")]
        let unset = "B (bearer_env) is not set in PostPatch's environment: export it before running postpatch; the check was not run"
        XCTAssertEqual(HTTPChecksSection.credentials(checks, environment: ["A": "u:p'w"]),
                       "PP_HA0='Basic dTpwJ3c='\nPP_HE1=\(ShellQuote.quote(unset))\n", "tunnel checks need no prelude")
        let printed = CollectorScript.render(checks: CheckSet(http: checks), options: ScriptOptions(), nonce: "n")
        XCTAssertTrue(printed.contains("\"$PP_HA0\""))
        XCTAssertFalse(printed.contains("PP_HA0="), "the printed script holds no credential")
    }
}
