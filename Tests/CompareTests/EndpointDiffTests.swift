import Model
import XCTest
@testable import Compare

/// Learned endpoints of web1 (sshd, nginx on 80 and 443, PostgreSQL and Redis on loopback), each
/// test changing one answer in the current capture.
final class EndpointDiffTests: DiffTestCase {
    static let captured = TestSnapshots.web1().capturedAt
    static let certificate = CertificateInfo(subject: "CN=web1.example.test", issuer: "CN=Lab CA", san: ["web1.example.test"],
                                             notBefore: captured.addingTimeInterval(-86_400 * 30),
                                             notAfter: captured.addingTimeInterval(86_400 * 200), sha256: String(repeating: "ab", count: 32))
    static let tls13 = TLSInfo(version: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384", certificate: certificate)

    static func ssh(_ address: String, version: String = "9.2p1", line: String = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u1") -> EndpointAnswer {
        EndpointAnswer(address: address, port: 22, process: "sshd", method: .handshake, answered: true,
                       banner: BannerInfo(proto: "ssh", product: "OpenSSH", version: version, line: line))
    }

    static var endpoints: [EndpointAnswer] {
        [
            ssh("0.0.0.0"),
            EndpointAnswer(address: "0.0.0.0", port: 80, process: "nginx", method: .http, answered: true, http: HTTPAnswer(status: 200)),
            EndpointAnswer(address: "0.0.0.0", port: 443, process: "nginx", method: .tls, answered: true, tls: tls13,
                           http: HTTPAnswer(status: 302, location: "https://sso.example.test/auth?state=1f3a")),
            EndpointAnswer(address: "127.0.0.1", port: 5432, process: "postgres", method: .handshake, answered: true,
                           banner: BannerInfo(proto: "postgres", product: "PostgreSQL", line: "SSLRequest: N (no TLS)")),
            EndpointAnswer(address: "127.0.0.1", port: 6379, process: "redis-server", method: .handshake, answered: true,
                           banner: BannerInfo(proto: "redis", product: "Redis", line: "+PONG")),
            ssh("::"),
            EndpointAnswer(address: "::1", port: 5432, process: "postgres", method: .handshake, answered: true,
                           banner: BannerInfo(proto: "postgres", product: "PostgreSQL", line: "SSLRequest: N (no TLS)")),
        ]
    }

    /// web1 with its endpoints in both captures; `change` alters the current one's.
    func diffEndpoints(rules: CompareRules = CompareRules(), baseline changeBase: @escaping (inout [EndpointAnswer]) -> Void = { _ in },
                       _ change: @escaping (inout [EndpointAnswer]) -> Void) -> HostVerdict {
        diff(rules: rules, baseline: { s in
            s.endpoints = Self.endpoints
            changeBase(&s.endpoints)
        }) { s in
            s.endpoints = Self.endpoints.reversed()
            change(&s.endpoints)
        }
    }

    func change(_ port: Int, _ address: String = "0.0.0.0", in list: inout [EndpointAnswer], _ edit: (inout EndpointAnswer) -> Void) {
        list = replacing(list, where: { $0.port == port && $0.address == address }, with: edit)
    }

    func testUnchangedEndpointsWithNewVersionsGiveNoFinding() {
        let v = diffEndpoints { list in
            self.change(22, in: &list) { $0.banner?.version = "9.2p1"; $0.banner?.line = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3" }
        }
        XCTAssertEqual(v.findings, [])
        XCTAssertEqual(v.items.filter { $0.category == .section(.endpoints) }.map(\.subject),
                       ["tcp 0.0.0.0:22", "tcp 0.0.0.0:80", "tcp 0.0.0.0:443", "tcp 127.0.0.1:5432", "tcp 127.0.0.1:6379",
                        "tcp6 [::1]:5432", "tcp6 [::]:22"])
        let sockets = Set(TestSnapshots.sockets.map(\.endpoint))
        XCTAssertTrue(v.items.filter { $0.category == .section(.endpoints) }.allSatisfy { sockets.contains($0.subject) },
                      "an endpoint's subject is its socket's")
    }

    func testProxyAnswering502IsARegression() throws {
        let v = diffEndpoints { list in self.change(80, in: &list) { $0.http = HTTPAnswer(status: 502) } }
        XCTAssertEqual(v.summary, ["http-status-changed regression tcp 0.0.0.0:80"])
        let f = try XCTUnwrap(finding(v))
        XCTAssertEqual([f.before, f.after], ["200", "502"])
        XCTAssertEqual(f.message, "GET / on tcp 0.0.0.0:80 answers 502, was 200")
    }

    func testAnApplicationWarmingUpMightSettle() {
        XCTAssertTrue(Differ.mightSettle(diffEndpoints { self.change(80, in: &$0) { $0.http = HTTPAnswer(status: 502) } }))
        XCTAssertTrue(Differ.mightSettle(diffEndpoints { self.change(443, in: &$0) { $0.tls = TLSInfo(error: "connection reset"); $0.http = nil } }))
    }

    func testNoHTTPAnswerAfterAStatusIsARegressionAndNotAlsoSilence() throws {
        let v = diffEndpoints { list in
            self.change(80, in: &list) { $0.answered = false; $0.http = HTTPAnswer(error: "no answer within 5 s") }
        }
        XCTAssertEqual(v.summary, ["http-status-changed regression tcp 0.0.0.0:80"])
        XCTAssertEqual(finding(v)?.message, "GET / on tcp 0.0.0.0:80 gives no answer (no answer within 5 s), was 200")
    }

    func testOtherStatusChangesAreWarnings() {
        XCTAssertEqual(diffEndpoints(baseline: { self.change(80, in: &$0) { $0.http = HTTPAnswer(status: 404) } }) { _ in }.summary,
                       ["http-status-changed warning tcp 0.0.0.0:80"])
        XCTAssertEqual(diffEndpoints { self.change(80, in: &$0) { $0.http = HTTPAnswer(status: 301, location: "https://web1/") } }.summary,
                       ["http-status-changed warning tcp 0.0.0.0:80"])
        XCTAssertEqual(diffEndpoints(baseline: { self.change(80, in: &$0) { $0.http = HTTPAnswer(status: 500) } }) {
            self.change(80, in: &$0) { $0.http = HTTPAnswer(status: 503) }
        }.summary, ["http-status-changed warning tcp 0.0.0.0:80"])
    }

    func testARedirectElsewhereIsAWarningButItsQueryIsNotCompared() {
        let state = diffEndpoints { self.change(443, in: &$0) { $0.http?.location = "https://sso.example.test/auth?state=99cc" } }
        XCTAssertEqual(state.findings, [])
        let moved = diffEndpoints { self.change(443, in: &$0) { $0.http?.location = "https://web1.example.test/maintenance" } }
        XCTAssertEqual(moved.summary, ["http-status-changed warning tcp 0.0.0.0:443"])
        XCTAssertEqual(moved.findings.first?.message,
                       "GET / on tcp 0.0.0.0:443 redirects to https://web1.example.test/maintenance, was https://sso.example.test/auth?state=1f3a")
    }

    func testPolicyOverrideWinsOverTheChangeDependentSeverity() {
        let rules = CompareRules(severityOverrides: [.httpStatusChanged: .info])
        XCTAssertEqual(diffEndpoints(rules: rules) { self.change(80, in: &$0) { $0.http = HTTPAnswer(status: 502) } }.summary,
                       ["http-status-changed info tcp 0.0.0.0:80"])
        XCTAssertEqual(diffEndpoints(rules: rules) { self.change(80, in: &$0) { $0.http = HTTPAnswer(status: 204) } }.summary,
                       ["http-status-changed info tcp 0.0.0.0:80"])
    }

    func testFailedHandshakeIsOneRegressionNamingTheAlert() throws {
        let v = diffEndpoints { list in
            self.change(443, in: &list) { $0.tls = TLSInfo(error: "tlsv1 alert protocol version"); $0.http = nil }
        }
        XCTAssertEqual(v.summary, ["tls-handshake-failed regression tcp 0.0.0.0:443"])
        XCTAssertEqual(finding(v)?.message,
                       "tcp 0.0.0.0:443 completed a TLS handshake (TLSv1.3) in the baseline, fails it now: tlsv1 alert protocol version")
    }

    func testProtocolChangeCarriesItsCipherChange() {
        let v = diffEndpoints(baseline: { self.change(443, in: &$0) { $0.tls?.version = "TLSv1.2"; $0.tls?.cipher = "ECDHE-RSA-AES256-GCM-SHA384" } }) { _ in }
        XCTAssertEqual(v.summary, ["tls-protocol-changed warning tcp 0.0.0.0:443"])
        XCTAssertEqual(v.findings.first?.message,
                       "tcp 0.0.0.0:443 negotiates TLSv1.3 (TLS_AES_256_GCM_SHA384), was TLSv1.2 (ECDHE-RSA-AES256-GCM-SHA384)")
    }

    func testCipherChangeUnderTheSameProtocol() {
        let v = diffEndpoints { self.change(443, in: &$0) { $0.tls?.cipher = "TLS_CHACHA20_POLY1305_SHA256" } }
        XCTAssertEqual(v.summary, ["tls-cipher-changed warning tcp 0.0.0.0:443"])
    }

    func testAnotherCertificateIsInfo() throws {
        let v = diffEndpoints { self.change(443, in: &$0) { $0.tls?.certificate?.sha256 = String(repeating: "cd", count: 32) } }
        XCTAssertEqual(v.summary, ["tls-certificate-changed info tcp 0.0.0.0:443"])
    }

    func testExpiringCertificateWarnsInEveryVerifyAndRulesSetTheWindow() throws {
        // recaptured: the current capture is 1800 s after the baseline's.
        let now = Self.captured.addingTimeInterval(1800)
        func expiring(_ seconds: Double) -> (inout [EndpointAnswer]) -> Void {
            { self.change(443, in: &$0) { $0.tls?.certificate?.notAfter = now.addingTimeInterval(seconds) } }
        }
        let soon = diffEndpoints(baseline: expiring(3 * 86_400 + 10), expiring(3 * 86_400 + 10))
        XCTAssertEqual(soon.summary, ["tls-certificate-expiring warning tcp 0.0.0.0:443"], "already so in the baseline: still said")
        XCTAssertTrue(soon.findings.first?.message.contains("in 3 days") ?? false, soon.findings.first?.message ?? "")
        let expired = diffEndpoints(baseline: expiring(-10), expiring(-10))
        XCTAssertTrue(expired.findings.first?.message.contains("that expired on ") ?? false, "\(expired.findings)")
        XCTAssertEqual(diffEndpoints(expiring(20 * 86_400)).findings, [])
        let wide = diffEndpoints(rules: CompareRules(expiryWarningDays: 30), baseline: expiring(20 * 86_400), expiring(20 * 86_400))
        XCTAssertEqual(wide.summary, ["tls-certificate-expiring warning tcp 0.0.0.0:443"])
    }

    func testBannerProductChangeIsInfoAndVersionsOnlyWhenAsked() {
        let product = diffEndpoints { self.change(22, in: &$0) { $0.banner = BannerInfo(proto: "ssh", product: "dropbear", version: "2022.83", line: "SSH-2.0-dropbear_2022.83") } }
        XCTAssertEqual(product.summary, ["banner-changed info tcp 0.0.0.0:22"])
        XCTAssertEqual(product.findings.first?.message, "tcp 0.0.0.0:22 greets as ssh dropbear, was ssh OpenSSH")
        let version: (inout [EndpointAnswer]) -> Void = { self.change(22, in: &$0) { $0.banner?.version = "9.3p1" } }
        XCTAssertEqual(diffEndpoints(version).findings, [])
        XCTAssertEqual(diffEndpoints(rules: CompareRules(endpointVersions: true), version).summary, ["banner-changed info tcp 0.0.0.0:22"])
    }

    func testAPortThatAnsweredAndIsSilentNowIsARegression() throws {
        let v = diffEndpoints { self.change(6379, "127.0.0.1", in: &$0) { $0.answered = false; $0.banner = nil; $0.error = "no answer to PING within 5 s" } }
        XCTAssertEqual(v.summary, ["endpoint-silent regression tcp 127.0.0.1:6379"])
        XCTAssertEqual(finding(v)?.message, "tcp 127.0.0.1:6379 answered in the baseline (redis Redis), no answer now: no answer to PING within 5 s")
    }

    /// A greeting port of no known use (2525 is not in web1's sockets: the diff does not mind).
    static let greeter = EndpointAnswer(address: "0.0.0.0", port: 2525, method: .banner, answered: true,
                                        banner: BannerInfo(proto: "smtp", product: "Postfix", line: "220 web1 ESMTP Postfix"))

    func greeterNow(_ edit: @escaping (inout EndpointAnswer) -> Void) -> HostVerdict {
        diffEndpoints(baseline: { $0.append(Self.greeter) }) { list in
            var now = Self.greeter
            now.answered = false
            now.banner = nil
            edit(&now)
            list.append(now)
        }
    }

    func testASilenceThatIsProvenIsARegression() {
        // Refused (gone), closed without a word, or the probe's whole time waited for a greeting.
        for (method, why) in [(EndpointAnswer.Method.banner, "connect failed: Connection refused"),
                              (.banner, "closed the connection without a greeting"),
                              (.banner, "no greeting within 5 s"), (.banner, "no answer within 5 s"),
                              (.handshake, "no greeting within 5 s")] {
            let v = greeterNow { $0.method = method; $0.error = why }
            XCTAssertEqual(v.summary, ["endpoint-silent regression tcp 0.0.0.0:2525"], why)
            XCTAssertEqual(finding(v)?.message, "tcp 0.0.0.0:2525 answered in the baseline (smtp Postfix), no answer now: \(why)")
            XCTAssertTrue(Differ.mightSettle(v), why)
        }
    }

    func testAShortBannerWaitDoesNotProveSilence() throws {
        // Heard nothing within the short wait of a port of no known use, and nothing went wrong:
        // a capture that did not know the baseline (a verify would have waited the whole time).
        let v = greeterNow { _ in }
        XCTAssertEqual(v.summary, ["endpoint-silent info tcp 0.0.0.0:2525"])
        let f = try XCTUnwrap(finding(v))
        XCTAssertEqual(f.after, "no greeting within the short wait")
        XCTAssertTrue(f.message.contains("not proven silent"), f.message)
        XCTAssertEqual(v.count(.regression), 0)
        // The same for a port asked another way then (its process no longer seen: HTTP then, a banner wait now).
        let asked = diffEndpoints { list in
            self.change(80, in: &list) { $0.method = .banner; $0.answered = false; $0.http = nil }
        }
        XCTAssertEqual(asked.summary, ["endpoint-silent info tcp 0.0.0.0:80"])
    }

    func testAClosedSocketIsTheSocketsFindingAlone() {
        let v = diff(baseline: { $0.endpoints = Self.endpoints }) { s in
            s.endpoints = Self.endpoints.filter { $0.port != 6379 }
            s.sockets.removeAll { $0.port == 6379 }
        }
        XCTAssertEqual(v.summary, ["socket-closed regression tcp 127.0.0.1:6379"])
    }

    func testANewPortIsAnItemWithoutFindingAndASilentOneIsNoRegression() {
        let v = diffEndpoints(baseline: { $0.removeAll { $0.port == 6379 } }) { self.change(6379, "127.0.0.1", in: &$0) { $0.answered = false } }
        XCTAssertEqual(v.findings, [])
        XCTAssertTrue(v.items.contains { $0.subject == "tcp 127.0.0.1:6379" })
    }

    func testIgnoredPortsAndEphemeralPortsAreNotCompared() {
        let rules = CompareRules(ignore: IgnoreRules(endpoints: [PortRange(low: 80, high: 80), PortRange(low: 6000, high: 6999)]))
        let v = diffEndpoints(rules: rules) { list in
            self.change(80, in: &list) { $0.http = HTTPAnswer(status: 502) }
            self.change(6379, "127.0.0.1", in: &list) { $0.answered = false }
            list.append(EndpointAnswer(address: "0.0.0.0", port: 40000, method: .banner, answered: false))
        }
        XCTAssertEqual(v.findings, [])
        XCTAssertEqual(v.items.filter { $0.category == .section(.endpoints) }.map(\.subject),
                       ["tcp 0.0.0.0:22", "tcp 0.0.0.0:443", "tcp 127.0.0.1:5432", "tcp6 [::1]:5432", "tcp6 [::]:22"])
    }

    func testASectionNotCapturedIsNotCompared() {
        let off = CaptureGap(step: "", problem: "learning is off for this host (learn: { endpoints: false })", fix: "", skipped: true)
        let v = diff(baseline: { $0.endpoints = Self.endpoints }) { $0.notCaptured[.endpoints] = off }
        XCTAssertEqual(v.findings, [])
        XCTAssertFalse(v.items.contains { $0.category == .section(.endpoints) })
        XCTAssertTrue(v.notes.contains("endpoints not captured: learning is off for this host (learn: { endpoints: false })"), "\(v.notes)")
    }
}

/// The page behind the port: title, content type, server, a stable body.
final class HTTPPageDiffTests: XCTestCase {
    let maker = FindingMaker(host: "web1", rules: CompareRules())

    func testPageChanges() {
        let shop = HTTPAnswer(status: 200, contentType: "text/html", title: "Acme Shop", server: "nginx", body: "sha256:a", bodyStable: true)
        var welcome = shop
        welcome.title = "Welcome to nginx!"
        welcome.body = "sha256:b"
        let f = EndpointDiff.pageChanges(shop, welcome, "tcp 0.0.0.0:80", maker)
        XCTAssertEqual(f.map(\.kind), [.httpPageChanged], "the title says it: not also the body")
        XCTAssertEqual(f.first?.message, "GET / on tcp 0.0.0.0:80 now answers 'Welcome to nginx!', was 'Acme Shop'")
        var body = shop
        body.body = "sha256:c"
        XCTAssertEqual(EndpointDiff.pageChanges(shop, body, "s", maker).map(\.kind), [.httpBodyChanged])
        var volatile = shop
        volatile.bodyStable = false
        XCTAssertEqual(EndpointDiff.pageChanges(volatile, body, "s", maker), [], "a body that changed between baselines")
        volatile.bodyStable = nil
        XCTAssertEqual(EndpointDiff.pageChanges(volatile, body, "s", maker), [], "a first baseline: not known")
        var apache = shop
        apache.server = "apache"
        XCTAssertEqual(EndpointDiff.pageChanges(shop, apache, "s", maker).first?.message, "GET / on s the server is apache, was nginx")
        // A baseline from before pages were read: nothing to compare.
        XCTAssertEqual(EndpointDiff.pageChanges(HTTPAnswer(status: 200), welcome, "s", maker), [])
    }

    func testStabilityIsLearnedFromThePreviousBaseline() {
        func snapshot(_ body: String, stable: Bool? = nil) -> Snapshot {
            var s = Snapshot(host: "h")
            s.endpoints = [EndpointAnswer(address: "0.0.0.0", port: 80, method: .http, answered: true,
                                          http: HTTPAnswer(status: 200, body: body, bodyStable: stable))]
            return s
        }
        var same = snapshot("sha256:a")
        same.learnPageStability(from: snapshot("sha256:a"))
        XCTAssertEqual(same.endpoints[0].http?.bodyStable, true)
        var other = snapshot("sha256:b")
        other.learnPageStability(from: snapshot("sha256:a"))
        XCTAssertEqual(other.endpoints[0].http?.bodyStable, false)
        var again = snapshot("sha256:b")
        again.learnPageStability(from: snapshot("sha256:b", stable: false))
        XCTAssertEqual(again.endpoints[0].http?.bodyStable, false, "volatile for good")
    }
}
