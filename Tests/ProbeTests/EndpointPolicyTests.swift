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
