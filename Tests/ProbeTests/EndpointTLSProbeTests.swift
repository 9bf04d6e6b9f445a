import Foundation
import LabKit
import TestSupport
import Model
import XCTest
@testable import Probe

/// The TLS path of learned probes against `openssl s_server` on loopback: what a handshake records,
/// `GET /` inside it, and a TLS port that answers something else or nothing.
final class EndpointTLSProbeTests: XCTestCase {
    static let settings = EndpointProbe.Settings(httpHost: "lab.test", timeout: .seconds(3), bannerWait: .milliseconds(500))

    func probe(_ port: Int, after: EndpointPlan.AfterTLS = .http) async -> EndpointAnswer {
        await EndpointProbe.run(EndpointPlan(method: .tls, afterTLS: after, reason: "test"), address: "127.0.0.1", port: port,
                                process: nil, settings: Self.settings) { host, port, deadline in
            try await SocketStream.connect(host: host, port: port, deadline: deadline)
        }
    }

    /// A self-signed certificate for lab.test made with the openssl CLI, and its SHA-256
    /// fingerprint as `openssl x509 -fingerprint -sha256` says it (lowercase hex, no colons).
    func selfSigned(in dir: URL, days: Int = 30) async throws -> (cert: String, key: String, sha256: String) {
        let openssl = try LabSkip.tool("openssl", package: "openssl")
        let cert = dir.appendingPathComponent("lab.pem").path, key = dir.appendingPathComponent("lab.key").path
        let made = try await LabProcess.run(openssl, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                                      "-keyout", key, "-out", cert, "-subj", "/CN=lab.test/O=PostPatch Lab",
                                                      "-addext", "subjectAltName=DNS:lab.test,IP:127.0.0.1", "-days", String(days)])
        guard made.status == 0 else { throw LabError("openssl req: \(made.output)") }
        let print = try await LabProcess.run(openssl, ["x509", "-in", cert, "-noout", "-fingerprint", "-sha256"])
        let hex = print.output.split(separator: "=").last.map { $0.replacingOccurrences(of: ":", with: "").lowercased() } ?? ""
        return (cert, key, hex.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `openssl s_server -www` with `extra` options, until the test ends.
    func server(_ extra: [String] = []) async throws -> (port: Int, sha256: String) {
        let openssl = try LabSkip.tool("openssl", package: "openssl")
        let running = try await LabServer.inTempDir("endpoint-tls") { dir -> (LabServer, Int, String) in
            let (cert, key, sha256) = try await selfSigned(in: dir)
            let port = try LabProcess.freePort()
            let server = try await LabServer.launch("openssl s_server", openssl,
                                                    ["s_server", "-quiet", "-accept", "127.0.0.1:\(port)", "-cert", cert, "-key", key, "-www"] + extra,
                                                    directory: dir, logName: "s_server.log", timeout: .seconds(15)) {
                LabProcess.isListening(port: port)
            }
            return (server, port, sha256)
        }
        addTeardownBlock { await running.0.stop() }
        return (running.1, running.2)
    }

    func testHandshakeFieldsAndGETInsideIt() async throws {
        let (port, sha256) = try await server()
        let answer = await probe(port)
        XCTAssertTrue(answer.answered)
        let tls = try XCTUnwrap(answer.tls)
        XCTAssertTrue(tls.succeeded, "\(tls)")
        XCTAssertEqual(tls.version, "TLSv1.3")
        XCTAssertNotNil(tls.cipher)
        XCTAssertEqual(tls.certificate?.sha256, sha256)
        XCTAssertTrue(tls.certificate?.subject.contains("CN=lab.test") ?? false, "\(String(describing: tls.certificate))")
        XCTAssertEqual(tls.certificate?.san.contains("lab.test"), true)
        XCTAssertNotNil(tls.certificate?.notAfter)
        XCTAssertEqual(answer.http?.status, 200)
    }

    func testAServerLimitedToTLS12IsObservedNotRefused() async throws {
        let (port, _) = try await server(["-tls1_2"])
        let answer = await probe(port, after: .nothing)
        XCTAssertEqual(answer.tls?.version, "TLSv1.2")
        XCTAssertNil(answer.http, "no GET where the plan says nothing follows")
    }

    func testATLSPortAnsweringPlainHTTPFailsTheHandshakeButAnswered() async throws {
        let busybox = try LabSkip.tool("busybox", package: "busybox")
        let httpd = try await LabServer.inTempDir("endpoint-plain") { dir -> (LabServer, Int) in
            let port = try LabProcess.freePort()
            let server = try await LabServer.launch("busybox httpd", busybox, ["httpd", "-f", "-p", "127.0.0.1:\(port)", "-h", dir.path],
                                                    directory: dir, logName: "httpd.log", timeout: .seconds(10)) {
                LabProcess.isListening(port: port)
            }
            return (server, port)
        }
        addTeardownBlock { await httpd.0.stop() }
        let answer = await probe(httpd.1)
        XCTAssertFalse(answer.tls?.succeeded ?? true)
        XCTAssertNotNil(answer.tls?.error)
        XCTAssertTrue(answer.answered, "an HTTP error page is an answer, just not TLS")
        XCTAssertNil(answer.http)
    }

    func testASilentTLSPortIsBounded() async throws {
        let silent = try SilentListener(fillBacklog: false)
        defer { silent.close() }
        let started = ContinuousClock.now
        let answer = await probe(silent.port)
        XCTAssertLessThan(ContinuousClock.now - started, .milliseconds(3600))
        XCTAssertFalse(answer.answered)
        XCTAssertNotNil(answer.tls?.error)
    }

    /// SSLRequest answered 'S': the probe completes TLS (the certificate is worth knowing) and
    /// closes with close_notify, which PostgreSQL does not log (no startup packet: "don't
    /// clutter the log"); cutting the connection after 'S' would log an SSL error.
    func testPostgreSQLOfferingTLSShowsItsCertificateAndLogsNothing() async throws {
        let pg = try await PostgresLab.start(tls: true)
        addTeardownBlock { await pg.stop() }
        try await waitUntil("PostgreSQL to log that it is ready", timeout: .seconds(10)) {
            ((try? String(contentsOf: pg.log, encoding: .utf8)) ?? "").contains("ready to accept connections")
        }
        let before = (try? String(contentsOf: pg.log, encoding: .utf8)) ?? ""
        let answer = await EndpointProbe.run(EndpointPolicy.plan(port: pg.port, process: "postgres"), address: "127.0.0.1", port: pg.port,
                                             process: "postgres", settings: Self.settings) { host, port, deadline in
            try await SocketStream.connect(host: host, port: port, deadline: deadline)
        }
        XCTAssertEqual(answer.banner, BannerInfo(proto: "postgres", product: "PostgreSQL", line: "SSLRequest: S (TLS offered)"))
        XCTAssertTrue(answer.tls?.succeeded ?? false, "\(String(describing: answer.tls))")
        XCTAssertEqual(answer.tls?.certificate?.subject, "CN=localhost")
        // The quiet period is the assertion ("PostgreSQL logs nothing"), not a wait for a condition.
        try await Task.sleep(for: .milliseconds(500))
        let after = (try? String(contentsOf: pg.log, encoding: .utf8)) ?? ""
        XCTAssertEqual(String(after.dropFirst(before.count)), "")
    }
}
