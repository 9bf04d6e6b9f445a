import Foundation
import LabKit
import TestSupport
import Model
import XCTest
@testable import Probe

/// Declared HTTP checks (`via: tunnel`) against real loopback servers, over plain sockets as
/// for the host `local` (in production the same bytes go through an SSH direct-tcpip channel).
final class HTTPCheckRunnerTests: XCTestCase {
    var servers: [LabHTTPServer] = []

    override func tearDown() {
        servers.forEach { $0.stop() }
        servers = []
    }

    func serve(address: String = "127.0.0.1", _ handler: @escaping LabHTTPServer.Handler) throws -> LabHTTPServer {
        let server = try LabHTTPServer(address: address, handler: handler)
        servers.append(server)
        return server
    }

    func run(_ check: HTTPCheck, environment: [String: String] = [:]) async -> HTTPCheckResult {
        await HTTPCheckRunner.run(check, environment: environment) { host, port, deadline in
            try await SocketStream.connect(host: host, port: port, deadline: deadline)
        }
    }

    func testStatusContainsAndHeadersSent() async throws {
        let server = try serve { _ in .text(200, "all systems ok\n") }
        let check = HTTPCheck(name: "health", url: server.base + "/health?full=1", status: 200, contains: "ok",
                              headers: ["Accept": "application/json", "X-Probe": "postpatch"])
        let r = await run(check)
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.containsMatched, true)
        XCTAssertEqual(r.failed, [])
        XCTAssertNil(r.error)
        XCTAssertNotNil(r.latencyMs)
        XCTAssertEqual(r.via, .tunnel)
        let sent = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(sent.method, "GET")
        XCTAssertEqual(sent.target, "/health?full=1")
        XCTAssertEqual(sent.header("Host"), "127.0.0.1:\(server.port)")
        XCTAssertEqual(sent.header("Accept"), "application/json")
        XCTAssertEqual(sent.header("X-Probe"), "postpatch")
        XCTAssertNil(sent.header("Authorization"))
    }

    func testDeclaredHostHeaderReplacesTheURLs() async throws {
        let server = try serve { _ in .text(200, "") }
        _ = await run(HTTPCheck(name: "vhost", url: server.base + "/", headers: ["Host": "www.example.test"]))
        XCTAssertEqual(server.requests.first?.headers.filter { $0.name.lowercased() == "host" }.map(\.value), ["www.example.test"])
    }

    func testStatusExpectations() async throws {
        let server = try serve { request in
            request.target == "/missing" ? .text(404, "no") : .text(502, "bad gateway")
        }
        let exact = await run(HTTPCheck(name: "s", url: server.base + "/", status: 200))
        XCTAssertEqual(exact.status, 502)
        XCTAssertEqual(exact.failed, ["status 502, expected 200"])
        let below400 = await run(HTTPCheck(name: "d", url: server.base + "/missing"))
        XCTAssertEqual(below400.failed, ["status 404, expected below 400"])
        let expected502 = await run(HTTPCheck(name: "e", url: server.base + "/", status: 502))
        XCTAssertEqual(expected502.failed, [], "a declared 502 is what was asked for")
    }

    func testBodyWithoutTheText() async throws {
        let server = try serve { _ in .text(500, "database unreachable") }
        let r = await run(HTTPCheck(name: "b", url: server.base + "/", status: 200, contains: "ok"))
        XCTAssertEqual(r.containsMatched, false)
        XCTAssertEqual(r.failed, ["status 500, expected 200", "body does not contain 'ok'"])
    }

    func testRedirectKeepsLocationAndPasses() async throws {
        let server = try serve { _ in .respond(status: 302, headers: [("Location", "/login?next=%2F")]) }
        let r = await run(HTTPCheck(name: "r", url: server.base + "/"))
        XCTAssertEqual(r.status, 302)
        XCTAssertEqual(r.location, "/login?next=%2F")
        XCTAssertEqual(r.failed, [], "302 is below 400: not followed, not failed")
        XCTAssertEqual(server.requests.count, 1, "redirects are not followed")
    }

    func testBasicAuthAcceptedAndRefused() async throws {
        let password = "pp-web-" + LabProcess.randomPassword(length: 16)
        let expected = LabHTTPServer.basic("monitor", password)
        let server = try serve { request in
            request.header("Authorization") == expected ? .text(200, "ok") : .respond(status: 401, headers: [("WWW-Authenticate", "Basic realm=\"lab\"")])
        }
        let check = HTTPCheck(name: "auth", url: server.base + "/", status: 200, basicAuthEnv: "PP_WEB_AUTH")
        let accepted = await run(check, environment: ["PP_WEB_AUTH": "monitor:" + password])
        XCTAssertEqual(accepted.failed, [])
        XCTAssertEqual(server.requests.last?.header("Authorization"), expected)
        let refused = await run(check, environment: ["PP_WEB_AUTH": "monitor:wrong-" + password])
        XCTAssertEqual(refused.status, 401)
        XCTAssertEqual(refused.failed, ["status 401, expected 200"])
        for r in [accepted, refused] {
            let json = String(decoding: try JSONEncoder().encode(r), as: UTF8.self)
            XCTAssertFalse(json.contains(password), json)
            XCTAssertFalse(json.contains(String(expected.dropFirst(6))), json)
        }
    }

    func testBearerToken() async throws {
        let token = "pp-token-" + LabProcess.randomPassword(length: 20)
        let server = try serve { request in request.header("Authorization") == "Bearer " + token ? .text(200, "ok") : .text(401, "") }
        let r = await run(HTTPCheck(name: "api", url: server.base + "/", bearerEnv: "PP_TOKEN"), environment: ["PP_TOKEN": token])
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.failed, [])
    }

    func testCredentialProblemsNameTheVariableAndSendNothing() async throws {
        let server = try serve { _ in .text(200, "ok") }
        let missing = await run(HTTPCheck(name: "m", url: server.base + "/", basicAuthEnv: "PP_NOT_SET"))
        XCTAssertEqual(missing.failed, ["PP_NOT_SET (basic_auth_env) is not set in PostPatch's environment: export it "
                                            + "before running postpatch; the check was not run"])
        let noColon = await run(HTTPCheck(name: "c", url: server.base + "/", basicAuthEnv: "PP_AUTH"), environment: ["PP_AUTH": "hunter2hunter2"])
        XCTAssertEqual(noColon.failed, ["PP_AUTH (basic_auth_env) must hold user:password on one line; the check was not run"])
        let badToken = await run(HTTPCheck(name: "t", url: server.base + "/", bearerEnv: "PP_TOKEN"), environment: ["PP_TOKEN": "abc\r\nX-Injected: 1"])
        XCTAssertEqual(badToken.failed.first?.hasPrefix("PP_TOKEN (bearer_env) holds characters a bearer token cannot have"), true)
        XCTAssertFalse(badToken.failed.joined().contains("Injected"))
        XCTAssertEqual(server.requests.count, 0, "no request without its credential")
    }

    func testSecretEchoedByTheServerIsRedacted() async throws {
        let password = "pp-echo-" + LabProcess.randomPassword(length: 16)
        let server = try serve { _ in .respond(status: 302, headers: [("Location", "/?leak=\(password)")]) }
        let r = await run(HTTPCheck(name: "echo", url: server.base + "/", basicAuthEnv: "PP_AUTH"), environment: ["PP_AUTH": "u:" + password])
        XCTAssertEqual(r.location, "/?leak=***")
    }

    func testSilentServerTimesOut() async throws {
        let silent = try SilentListener(fillBacklog: false)
        defer { silent.close() }
        let started = ContinuousClock.now
        let r = await run(HTTPCheck(name: "slow", url: "http://127.0.0.1:\(silent.port)/", timeout: 1))
        let took = started.duration(to: .now)
        XCTAssertEqual(r.failed, ["no answer within 1 s"])
        XCTAssertEqual(r.error, "no answer within 1 s")
        XCTAssertLessThan(took, .seconds(3))
        let speaking = try serve { _ in .silent }
        let r2 = await run(HTTPCheck(name: "mute", url: speaking.base + "/", timeout: 0.5))
        XCTAssertEqual(r2.failed, ["no answer within 0.5 s"])
    }

    func testFloodStaysBounded() async throws {
        let server = try serve { _ in .flood(bytes: 10 << 20) }
        let started = ContinuousClock.now
        let r = await run(HTTPCheck(name: "flood", url: server.base + "/", contains: "needle", timeout: 20))
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.failed, ["body does not contain 'needle' (first 1 MiB searched)"])
        XCTAssertLessThan(started.duration(to: .now), .seconds(10))
        let headOnly = await run(HTTPCheck(name: "head", url: server.base + "/", timeout: 20))
        XCTAssertEqual(headOnly.failed, [], "without contains the body is not read")
    }

    func testGarbageAndRefusal() async throws {
        let server = try serve { _ in .raw(Array("SSH-2.0-OpenSSH_9.2\r\n\u{1b}[31m".utf8)) }
        let garbage = await run(HTTPCheck(name: "g", url: server.base + "/"))
        XCTAssertEqual(garbage.error, "127.0.0.1:\(server.port) did not answer HTTP: 'SSH-2.0-OpenSSH_9.2...[31m'")
        let port = try LabProcess.freePort()
        let refused = await run(HTTPCheck(name: "closed", url: "http://127.0.0.1:\(port)/"))
        XCTAssertEqual(refused.error?.contains("refused"), true, refused.error ?? "")
        XCTAssertEqual(refused.failed, [refused.error])
    }

    func testIPv6Loopback() async throws {
        try LabSkip.unless((try? LoopbackSocket.open(.tcp, address: "::1")).map { close($0.fd); return true } ?? false,
                           "no IPv6 loopback", fix: "enable IPv6 on lo")
        let server = try serve(address: "::1") { _ in .text(200, "ok") }
        let r = await run(HTTPCheck(name: "v6", url: "http://[::1]:\(server.port)/", contains: "ok"))
        XCTAssertEqual(r.failed, [])
        XCTAssertEqual(server.requests.first?.header("Host"), "[::1]:\(server.port)")
    }

    // MARK: https

    func testHTTPSVerifiedWithCAFileAndRefusedWithout() async throws {
        let ca = try await LabTLS.makeCA()
        defer { ca.remove() }
        let server = try await LabTLSServer.start(try await ca.issue(commonName: "localhost", san: ["localhost", "127.0.0.1"]))
        let url = "https://localhost:\(server.port)/"
        let trusted = await run(HTTPCheck(name: "tls", url: url, status: 200, contains: "Ciphers", caFile: ca.certificate.path, timeout: 5))
        XCTAssertEqual(trusted.failed, [], "\(trusted)")
        XCTAssertEqual(trusted.tls?.succeeded, true)
        let untrusted = await run(HTTPCheck(name: "tls", url: url, timeout: 5))
        XCTAssertEqual(untrusted.failed.first?.hasPrefix("TLS verification failed: "), true, "\(untrusted)")
        let unverified = await run(HTTPCheck(name: "tls", url: url, status: 200, tlsVerify: false, timeout: 5))
        XCTAssertEqual(unverified.failed, [], "\(unverified)")
        await server.stop()
    }
}
