import Model
import XCTest
@testable import Probe

/// Which probe a port gets: HTTP only where it is known to be welcome; a known service's own
/// handshake, its greeting, or a silent connect; otherwise a banner wait with nothing sent.
final class EndpointPolicyTests: XCTestCase {
    private func plan(_ port: Int, _ process: String? = nil) -> EndpointPlan { EndpointPolicy.plan(port: port, process: process) }

    /// A plan in a few words: "handshake ssh", "greeting", "banner", "connect", "tls http", "http first-listen".
    private func said(_ p: EndpointPlan) -> String {
        switch p.method {
        case .handshake: return "handshake \(p.handshake?.rawValue ?? "?")"
        case .banner: return p.greetingExpected ? "greeting" : "banner"
        case .tls: return "tls \(p.afterTLS.rawValue)"
        case .http: return p.listenFirst ? "http first-listen" : "http"
        case .connect: return "connect"
        }
    }

    private func check(_ cases: [(Int, String?, String)], file: StaticString = #filePath, line: UInt = #line) {
        for (port, process, expected) in cases {
            XCTAssertEqual(said(plan(port, process)), expected, "port \(port), process \(process ?? "unknown")", file: file, line: line)
        }
    }

    func testKnownServicesGetTheirOwnHandshakeWhateverTheirPort() {
        check([(22, nil, "handshake ssh"), (2222, "sshd", "handshake ssh"),
               (443, "dropbear", "handshake ssh"),  // a process known to speak SSH is never sent TLS
               (5432, nil, "handshake postgres"), (15432, "postgres", "handshake postgres"),
               (6379, nil, "handshake redis"),
               (8080, "redis-server", "handshake redis"),  // Redis on an HTTP port still gets PING, never HTTP
               (3306, nil, "greeting"), (13306, "mariadbd", "greeting"), (11211, nil, "connect"), (27017, nil, "connect"),
               (389, nil, "connect"), (53, "dnsmasq", "connect"), (111, nil, "connect"), (9000, "php-fpm8.2", "connect")])
    }

    func testAKnownServicePortBehindAWebServerOrProxyIsStillThatService() {
        // nginx's stream module or haproxy in TCP mode pass the bytes on to the real service.
        check([(5432, "nginx", "handshake postgres"), (25, "haproxy", "greeting"), (6379, "envoy", "handshake redis")])
    }

    func testTLSPortsAndWhatFollowsTheHandshake() {
        XCTAssertEqual(plan(443), EndpointPlan(method: .tls, afterTLS: .http, reason: "known HTTPS port 443"))
        check([(8443, "nginx", "tls http"), (6443, nil, "tls http"), (993, nil, "tls greeting"), (465, nil, "tls greeting"),
               (995, "dovecot", "tls greeting"), (636, nil, "tls nothing"), (853, "unbound", "tls nothing"),
               (443, "dovecot", "tls nothing")])  // a mail server on 443 gets TLS but no HTTP
    }

    func testHTTPGoesOnlyToHTTPPortsAndWebServers() {
        check([80, 8080, 8000, 8008, 8081, 8888, 3000, 5000, 9090].map { ($0, nil, "http") })
        check([(8181, "nginx", "http first-listen"),  // a proxy on a port of no known use: listen first
               (9100, "prometheus-node", "http first-listen"),  // comm is cut at 15 characters
               (80, "exim4", "banner"), (8080, "systemd-resolve", "banner")])  // never HTTP to a mail or DNS server
    }

    func testUnknownPortsAreOnlyListenedTo() {
        check([(9000, nil, "banner"), (9100, nil, "banner"), (12345, nil, "banner"), (12345, "mydaemon", "banner"), (2024, nil, "banner")])
    }

    // MARK: what the baseline learned

    private func answer(_ port: Int, _ method: EndpointAnswer.Method, answered: Bool = true, proto: String? = nil,
                        http: Int? = nil) -> EndpointAnswer {
        EndpointAnswer(address: "127.0.0.1", port: port, method: method, answered: answered,
                       banner: proto.map { BannerInfo(proto: $0, line: "\($0) greeting") },
                       http: http.map { HTTPAnswer(status: $0) })
    }

    private func informed(_ port: Int, _ process: String? = nil, baseline: EndpointAnswer?) -> String {
        said(EndpointPolicy.plan(port: port, process: process, baseline: baseline))
    }

    func testAPortThatGreetedInTheBaselineIsGivenTheWholeTimeToGreetAgain() {
        // A busy daemon of no known use that greeted in the baseline: not judged after the short wait.
        XCTAssertEqual(informed(12345, baseline: answer(12345, .banner, proto: "ssh")), "greeting")
        XCTAssertEqual(informed(12345, "mydaemon", baseline: answer(12345, .banner, proto: "unknown")), "greeting")
        // The same sshd seen by its process in the baseline (--sudo), not now: its identification was a greeting.
        XCTAssertEqual(informed(2222, baseline: answer(2222, .handshake, proto: "ssh")), "greeting")
        // A proxy that passed a greeting in the baseline is awaited, and never sent HTTP.
        XCTAssertEqual(informed(8181, "haproxy", baseline: answer(8181, .http, proto: "smtp")), "greeting")
        let plan = EndpointPolicy.plan(port: 12345, process: nil, baseline: answer(12345, .banner, proto: "ssh"))
        XCTAssertTrue(plan.reason.hasPrefix("no known use of port 12345; greeted in the baseline"), plan.reason)
    }

    func testWhatTheBaselineDidNotHearFirstKeepsTheShortWait() {
        // Silent in the baseline, or new since: the short wait (nothing is learned by waiting longer).
        XCTAssertEqual(informed(12345, baseline: nil), "banner")
        XCTAssertEqual(informed(12345, baseline: answer(12345, .banner, answered: false)), "banner")
        // Answers to our own request, or a greeting inside TLS, are not heard by a plain banner wait.
        XCTAssertEqual(informed(15432, baseline: answer(15432, .handshake, proto: "postgres")), "banner")
        XCTAssertEqual(informed(16379, baseline: answer(16379, .handshake, proto: "redis")), "banner")
        XCTAssertEqual(informed(12993, baseline: answer(12993, .tls, proto: "imap")), "banner")
        XCTAssertEqual(informed(12345, baseline: answer(12345, .http, http: 200)), "banner")
        XCTAssertEqual(informed(12345, baseline: answer(12345, .connect)), "banner")
        // A web server that answered HTTP in the baseline keeps its short listen, then GET /.
        XCTAssertEqual(informed(8181, "nginx", baseline: answer(8181, .http, http: 200)), "http first-listen")
    }

    func testKnownPlansAreNotChangedByTheBaseline() {
        for (port, process) in [(22, nil), (2222, "sshd"), (25, nil), (443, nil), (80, nil), (5432, nil), (11211, nil)] as [(Int, String?)] {
            XCTAssertEqual(EndpointPolicy.plan(port: port, process: process, baseline: answer(port, .banner, proto: "ssh")),
                           EndpointPolicy.plan(port: port, process: process), "port \(port)")
        }
    }

    func testEveryTableEntryIsCoherent() {
        XCTAssertTrue(EndpointPolicy.httpPorts.isDisjoint(with: EndpointPolicy.tlsPorts.keys))
        XCTAssertTrue(EndpointPolicy.httpPorts.isDisjoint(with: EndpointPolicy.servicePorts.keys))
        XCTAssertTrue(Set(EndpointPolicy.tlsPorts.keys).isDisjoint(with: EndpointPolicy.servicePorts.keys))
        let services = EndpointPolicy.serviceProcesses.flatMap(\.names)
        XCTAssertEqual(Set(services).count, services.count)
        XCTAssertTrue(EndpointPolicy.webProcesses.isDisjoint(with: services))
        XCTAssertTrue(EndpointPolicy.notHTTPProcesses.isDisjoint(with: services))
        XCTAssertTrue(EndpointPolicy.notHTTPProcesses.isDisjoint(with: EndpointPolicy.webProcesses))
        XCTAssertEqual(EndpointProbe.connectAddress(for: "0.0.0.0"), "127.0.0.1")
        XCTAssertEqual(EndpointProbe.connectAddress(for: "::"), "::1")
        XCTAssertEqual(EndpointProbe.connectAddress(for: "10.1.2.3"), "10.1.2.3")
    }
}
