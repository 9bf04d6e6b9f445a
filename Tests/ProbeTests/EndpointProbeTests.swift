import Foundation
import LabKit
import TestSupport
import Model
import XCTest
@testable import Probe

/// Learned endpoint probes over loopback sockets (as for the host `local`), against scripted
/// servers for silence and odd answers, and real ones: busybox httpd, sshd, dropbear, Redis,
/// MariaDB, PostgreSQL, whose own logs must show no error for the probe.
final class EndpointProbeTests: XCTestCase {
    static let settings = EndpointProbe.Settings(httpHost: "lab.test", timeout: .seconds(3), bannerWait: .milliseconds(700))

    /// Probes `port` on 127.0.0.1 (the socket bound there) with `plan`, or the policy's plan.
    func probe(_ port: Int, process: String? = nil, plan: EndpointPlan? = nil, address: String = "127.0.0.1",
               settings: EndpointProbe.Settings = settings) async -> EndpointAnswer {
        await EndpointProbe.run(plan ?? EndpointPolicy.plan(port: port, process: process), address: address, port: port,
                                process: process, settings: settings) { host, port, deadline in
            try await SocketStream.connect(host: host, port: port, deadline: deadline)
        }
    }

    // MARK: scripted servers

    func testAGreetingOnAnUnknownPortIsLearnedAndAnsweredWithQUIT() async throws {
        let server = try ScriptedServer(.greet(Array("220 (vsFTPd 3.0.3)\r\n".utf8)))
        defer { server.stop() }
        let answer = await probe(server.port)
        XCTAssertEqual(answer.method, .banner)
        XCTAssertTrue(answer.answered)
        XCTAssertNil(answer.error)
        XCTAssertEqual(answer.banner, BannerInfo(proto: "ftp", product: "vsFTPd", version: "3.0.3", line: "220 (vsFTPd 3.0.3)"))
        XCTAssertEqual(answer.subject, "tcp 127.0.0.1:\(server.port)")
    }

    func testASilentListenerIsProbedWithinItsWaitAndNothingIsSent() async throws {
        let silent = try SilentListener(fillBacklog: false)
        defer { silent.close() }
        let started = ContinuousClock.now
        let answer = await probe(silent.port)
        let took = ContinuousClock.now - started
        XCTAssertFalse(answer.answered)
        XCTAssertNil(answer.error, "accepted and said nothing: silent, not failed")
        XCTAssertNil(answer.banner)
        XCTAssertGreaterThanOrEqual(took, .milliseconds(650))
        XCTAssertLessThan(took, .milliseconds(1500), "the banner wait, not the probe's timeout")
    }

    /// A busy greeting server on a port of no known use, 1.2 s late (past the 700 ms banner wait):
    /// silent to a probe that knows nothing, heard by one told that the port greeted in the
    /// baseline. A prompt greeting ends the wait at once either way; a mute server is silent at
    /// the probe's timeout, and says so.
    func testAPortThatGreetedInTheBaselineIsGivenTheProbesWholeTime() async throws {
        let greeted = EndpointAnswer(address: "127.0.0.1", port: 0, method: .banner, answered: true,
                                     banner: BannerInfo(proto: "smtp", product: "Postfix", line: "220 lab.test ESMTP Postfix"))
        func informed(_ port: Int) -> EndpointPlan { EndpointPolicy.plan(port: port, process: nil, baseline: greeted) }
        func timed(_ port: Int, _ plan: EndpointPlan) async -> (EndpointAnswer, Duration) {
            let started = ContinuousClock.now
            let answer = await probe(port, plan: plan)
            return (answer, ContinuousClock.now - started)
        }

        let late = try LabBannerServer(banner: "220 lab.test ESMTP Postfix")
        defer { late.stop() }
        late.delay = .milliseconds(1200)
        let (blind, _) = await timed(late.port, EndpointPolicy.plan(port: late.port, process: nil))
        XCTAssertFalse(blind.answered, "\(blind)")
        XCTAssertNil(blind.error, "the short wait ended: no evidence either way")

        let late2 = try LabBannerServer(banner: "220 lab.test ESMTP Postfix")
        defer { late2.stop() }
        late2.delay = .milliseconds(1200)
        let (heard, tookLate) = await timed(late2.port, informed(late2.port))
        XCTAssertTrue(heard.answered, "\(heard)")
        XCTAssertEqual(heard.banner?.product, "Postfix")
        XCTAssertLessThan(tookLate, .milliseconds(2900), "the greeting ends the wait")

        let prompt = try LabBannerServer(banner: "220 lab.test ESMTP Postfix")
        defer { prompt.stop() }
        let (quick, tookPrompt) = await timed(prompt.port, informed(prompt.port))
        XCTAssertTrue(quick.answered)
        XCTAssertLessThan(tookPrompt, .milliseconds(700), "a prompt greeting costs no wait")

        let mute = try LabBannerServer(banner: "220 lab.test ESMTP Postfix")
        defer { mute.stop() }
        mute.mute = true
        let (nothing, tookMute) = await timed(mute.port, informed(mute.port))
        XCTAssertFalse(nothing.answered)
        XCTAssertEqual(nothing.error, "no greeting within 3 s")
        XCTAssertGreaterThanOrEqual(tookMute, .milliseconds(2900))
        XCTAssertLessThan(tookMute, .milliseconds(3600), "bounded by the 3 s timeout")
    }

    func testAListenerThatNeverAcceptsEndsAtTheProbesTimeout() async throws {
        let stuck = try SilentListener(fillBacklog: true)
        defer { stuck.close() }
        for plan in [EndpointPolicy.plan(port: 80, process: nil), EndpointPolicy.plan(port: 22, process: nil)] {
            let started = ContinuousClock.now
            let answer = await probe(stuck.port, plan: plan)
            let took = ContinuousClock.now - started
            XCTAssertFalse(answer.answered, "\(plan.method)")
            XCTAssertLessThan(took, .milliseconds(3600), "\(plan.method): bounded by the 3 s timeout")
            let said = (answer.error ?? "") + (answer.http?.error ?? "")
            XCTAssertTrue(said.contains("3 s"), "\(answer)")
        }
    }

    func testAClosedPortSaysSo() async throws {
        let port = try LabProcess.freePort()
        let answer = await probe(port)
        XCTAssertFalse(answer.answered)
        XCTAssertTrue(answer.error?.lowercased().contains("refused") ?? false, "\(answer)")
    }

    func testARedirectKeepsItsLocation() async throws {
        let reply = "HTTP/1.1 302 Found\r\nLocation: /login?next=%2F\u{1B}[31m\r\nContent-Length: 0\r\n\r\n"
        let server = try ScriptedServer(.answer(Array(reply.utf8)))
        defer { server.stop() }
        let answer = await probe(server.port, plan: EndpointPolicy.plan(port: 8080, process: nil))
        XCTAssertTrue(answer.answered)
        XCTAssertEqual(answer.http, HTTPAnswer(status: 302, location: "/login?next=%2F.[31m"))
    }

    func testAProxyThatSpeaksFirstIsNotSentHTTP() async throws {
        let server = try ScriptedServer(.greet(Array("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n".utf8)))
        defer { server.stop() }
        let plan = EndpointPolicy.plan(port: server.port, process: "haproxy")
        XCTAssertTrue(plan.listenFirst)
        let answer = await probe(server.port, process: "haproxy")
        XCTAssertNil(answer.http)
        XCTAssertEqual(answer.banner?.product, "OpenSSH")
        XCTAssertTrue(answer.answered)
    }

    func testAWebServerOnAPortOfNoKnownUseGetsGETAfterListening() async throws {
        let server = try ScriptedServer(.answer(Array("HTTP/1.0 404 Not Found\r\n\r\n".utf8)))
        defer { server.stop() }
        let answer = await probe(server.port, process: "nginx")
        XCTAssertEqual(answer.method, .http)
        XCTAssertEqual(answer.http?.status, 404)
        XCTAssertNil(answer.banner)
    }

    func testAServerStreamingGarbageIsCutAtTheBudget() async throws {
        let garbage = [UInt8](repeating: UInt8(ascii: "x"), count: 2 << 20)
        let server = try ScriptedServer(.greet(garbage))
        defer { server.stop() }
        let started = ContinuousClock.now
        let answer = await probe(server.port)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(1))
        XCTAssertEqual(answer.banner?.proto, "unknown")
        XCTAssertLessThanOrEqual(answer.banner?.line.count ?? 0, 201)
        let http = await probe(server.port, plan: EndpointPolicy.plan(port: 80, process: nil))
        XCTAssertNotNil(http.http?.error, "\(http)")
        XCTAssertNil(http.http?.status)
    }

    // MARK: real servers

    func testBusyboxHttpdAnswersGET() async throws {
        let busybox = try LabSkip.tool("busybox", package: "busybox")
        let httpd = try await LabServer.inTempDir("httpd") { dir -> (LabServer, Int) in
            try Data("hello\n".utf8).write(to: dir.appendingPathComponent("index.html"))
            let port = try LabProcess.freePort()
            let server = try await LabServer.launch("busybox httpd", busybox, ["httpd", "-f", "-vv", "-p", "127.0.0.1:\(port)", "-h", dir.path],
                                                    directory: dir, logName: "httpd.log", timeout: .seconds(10)) {
                LabProcess.isListening(port: port)
            }
            return (server, port)
        }
        let answer = await probe(httpd.1, plan: EndpointPolicy.plan(port: 80, process: nil))
        await httpd.0.stop()
        XCTAssertTrue(answer.answered)
        XCTAssertEqual(answer.http, HTTPAnswer(status: 200, contentType: "text/html", body: "sha256:" + SHA256.hex("hello\n")))
        XCTAssertNil(answer.error)
    }

    func testSSHDLogsNoErrorForTheProbeButDoesForAClientThatSaysNothing() async throws {
        try LabSkip.require("/usr/sbin/sshd", package: "openssh-server")
        let lab = try Lab()
        defer { lab.stop() }
        let key = try lab.makeKey("ed25519")
        let sshd = try lab.startSSHD(authorizedKeys: [key], logLevel: "INFO")
        let log = "\(lab.dir)/sshd-\(sshd.port)/sshd.log"
        // "Server listening", then the start-up check's bare connect (two lines).
        let before = try await settledLog(log, lines: 3)
        for _ in 0..<3 {
            let answer = await probe(sshd.port, process: "sshd")
            XCTAssertEqual(answer.method, .handshake)
            XCTAssertTrue(answer.answered, "\(answer)")
            XCTAssertEqual(answer.banner?.proto, "ssh")
            XCTAssertEqual(answer.banner?.product, "OpenSSH")
        }
        let probes = Array(try await settledLog(log, lines: before.count + 3).dropFirst(before.count))
        XCTAssertEqual(probes.count, 3, probes.joined(separator: "\n"))
        XCTAssertTrue(probes.allSatisfy { $0.hasPrefix("Connection closed by 127.0.0.1 port ") && $0.hasSuffix(" [preauth]") },
                      probes.joined(separator: "\n"))
        XCTAssertEqual(problems(probes), [])

        // The check is live: a client that closes without identifying itself is logged as an error.
        let bare = await probe(sshd.port, plan: .init(method: .connect, reason: "bare connect"))
        XCTAssertTrue(bare.answered)
        let afterBare = try await settledLog(log, lines: before.count + 5)
        XCTAssertEqual(afterBare.filter { $0.contains("kex_exchange_identification") }.count, 2, afterBare.joined(separator: "\n"))
    }

    func testDropbearLogsAnOrdinaryExitForTheProbe() async throws {
        try LabSkip.require("/usr/sbin/dropbear", package: "dropbear-bin")
        let lab = try Lab()
        defer { lab.stop() }
        let key = try lab.makeKey("ed25519")
        let dropbear = try lab.startDropbear(authorizedKeys: [key])
        let log = "\(lab.dir)/dropbear-\(dropbear.port)/dropbear.log"
        // "Not backgrounding", then the start-up check's connect (two lines).
        let before = try await settledLog(log, lines: 3)
        let answer = await probe(dropbear.port, process: "dropbear")
        XCTAssertEqual(answer.banner, BannerInfo(proto: "ssh", product: "dropbear", version: "2022.83", line: "SSH-2.0-dropbear_2022.83"))
        let probe = Array(try await settledLog(log, lines: before.count + 2).dropFirst(before.count))
        XCTAssertEqual(probe.count, 2, probe.joined(separator: "\n"))
        XCTAssertTrue(probe.last?.contains("Exit before auth") == true && probe.last?.hasSuffix("Exited normally") == true,
                      probe.joined(separator: "\n"))
        XCTAssertEqual(problems(probe), [])
    }

    func testRedisAnswersPINGAndLogsNothing() async throws {
        for password in [false, true] {
            let redis = try await RedisLab.start(requirePassword: password)
            let before = try await settledLog(redis.log.path, lines: 1, until: "Ready to accept connections")
            let answer = await probe(redis.port, process: "redis-server")
            let expected = password ? "-NOAUTH Authentication required." : "+PONG"
            XCTAssertEqual(answer.banner, BannerInfo(proto: "redis", product: "Redis", line: expected))
            XCTAssertTrue(answer.answered)
            // The quiet period is the assertion ("Redis logs nothing"), not a wait for a condition.
            try await Task.sleep(for: .milliseconds(300))
            let after = try logLines(redis.log.path)
            await redis.stop()
            XCTAssertEqual(Array(after.dropFirst(before.count)), [], "password \(password)")
        }
    }

    /// MariaDB logs a warning for every connection that does not log in, at its default
    /// log_warnings=2, whatever the client did (a bare connect too, as any TCP health check):
    /// reading the greeting costs that line and nothing more.
    func testMariaDBGreetingIsReadAndTheServerLogsOnlyItsUsualWarning() async throws {
        let db = try await MariaDBLab.start()
        let before = try await settledLog(db.log.path, lines: 1, until: "Aborted connection")
        let answer = await probe(db.port, process: "mariadbd")
        let after = try await settledLog(db.log.path, lines: before.count + 1)
        await db.stop()
        XCTAssertEqual(answer.banner?.proto, "mysql")
        XCTAssertEqual(answer.banner?.product, "MariaDB")
        XCTAssertEqual(answer.banner?.version, db.version.split(separator: "-").first.map(String.init))
        let new = Array(after.dropFirst(before.count))
        XCTAssertEqual(new.count, 1, new.joined(separator: "\n"))
        XCTAssertTrue(new.allSatisfy { $0.contains("[Warning] Aborted connection") && $0.hasSuffix("(This connection closed normally without authentication)") },
                      new.joined(separator: "\n"))
    }

    func testPostgreSQLAnswersSSLRequestAndLogsNothing() async throws {
        let pg = try await PostgresLab.start(auth: .scram)
        let before = try logLines(pg.log.path)
        let answer = await probe(pg.port, process: "postgres")
        let connect = await probe(pg.port, plan: .init(method: .connect, reason: "zero bytes"))
        // The quiet period is the assertion ("PostgreSQL logs nothing"), not a wait for a condition.
        try await Task.sleep(for: .milliseconds(300))
        let after = try logLines(pg.log.path)
        await pg.stop()
        XCTAssertEqual(answer.banner, BannerInfo(proto: "postgres", product: "PostgreSQL", line: "SSLRequest: N (no TLS)"))
        XCTAssertTrue(connect.answered)
        XCTAssertEqual(Array(after.dropFirst(before.count)), [])
    }

    func testIPv6LoopbackSocketIsReachedThroughColonColonOne() async throws {
        let server = try ScriptedServer(.greet(Array("+OK Dovecot (Debian) ready.\r\n".utf8)), ipv6: true)
        defer { server.stop() }
        let answer = await probe(server.port, address: "::")
        XCTAssertEqual(answer.subject, "tcp6 [::]:\(server.port)")
        XCTAssertEqual(answer.banner?.proto, "pop3")
        XCTAssertEqual(answer.banner?.product, "Dovecot")
    }

    // MARK: helpers

    func logLines(_ path: String) throws -> [String] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        // sshd -e ends its lines with CR LF.
        return text.split(whereSeparator: \.isNewline).map(String.init)
    }

    /// The log once it holds at least `lines` lines (and a line containing `until`, if given):
    /// servers write after the client is gone.
    func settledLog(_ path: String, lines: Int, until marker: String? = nil) async throws -> [String] {
        try await waitUntil("\(lines) lines in \(path)\(marker.map { ", one with \"\($0)\"" } ?? "")", timeout: .seconds(5),
                            poll: .milliseconds(100)) {
            let now = try logLines(path)
            return now.count >= lines && (marker.map { m in now.contains { $0.contains(m) } } ?? true)
        }
        // A quiet period after the awaited lines, so a line that would follow them is seen too.
        try await Task.sleep(for: .milliseconds(200))
        return try logLines(path)
    }

    /// Lines that look like a complaint about a client.
    func problems(_ lines: [String]) -> [String] {
        lines.filter { line in
            let l = line.lowercased()
            return ["error", "kex_exchange_identification", "bad protocol", "did not receive", "failed", "invalid"]
                .contains { l.contains($0) }
        }
    }
}
