import Model
import XCTest
@testable import Probe

/// Which probe a port gets: HTTP only where it is known to be welcome; a known service's own
/// handshake, its greeting, or a silent connect; otherwise a banner wait with nothing sent.
final class EndpointPolicyTests: XCTestCase {
    private func plan(_ port: Int, _ process: String? = nil) -> EndpointPlan { EndpointPolicy.plan(port: port, process: process) }

    func testKnownServicesGetTheirOwnHandshakeWhateverTheirPort() {
        XCTAssertEqual(plan(22).handshake, .ssh)
        XCTAssertEqual(plan(2222, "sshd").handshake, .ssh)
        XCTAssertEqual(plan(443, "dropbear").handshake, .ssh, "a process known to speak SSH is never sent TLS")
        XCTAssertEqual(plan(5432).handshake, .postgres)
        XCTAssertEqual(plan(15432, "postgres").handshake, .postgres)
        XCTAssertEqual(plan(6379).handshake, .redis)
        XCTAssertEqual(plan(8080, "redis-server").handshake, .redis, "Redis on an HTTP port still gets PING, never HTTP")
        XCTAssertEqual(plan(3306).method, .banner)
        XCTAssertTrue(plan(3306).greetingExpected)
        XCTAssertEqual(plan(13306, "mariadbd").method, .banner)
        XCTAssertEqual(plan(11211).method, .connect)
        XCTAssertEqual(plan(27017).method, .connect)
        XCTAssertEqual(plan(389).method, .connect)
        XCTAssertEqual(plan(53, "dnsmasq").method, .connect)
        XCTAssertEqual(plan(111).method, .connect)
        XCTAssertEqual(plan(9000, "php-fpm8.2").method, .connect)
    }

    func testAKnownServicePortBehindAWebServerOrProxyIsStillThatService() {
        // nginx's stream module or haproxy in TCP mode pass the bytes on to the real service.
        XCTAssertEqual(plan(5432, "nginx").handshake, .postgres)
        XCTAssertEqual(plan(25, "haproxy").method, .banner)
        XCTAssertEqual(plan(6379, "envoy").handshake, .redis)
    }

    func testTLSPortsAndWhatFollowsTheHandshake() {
        XCTAssertEqual(plan(443), EndpointPlan(method: .tls, afterTLS: .http, reason: "known HTTPS port 443"))
        XCTAssertEqual(plan(8443, "nginx").afterTLS, .http)
        XCTAssertEqual(plan(6443).afterTLS, .http)
        XCTAssertEqual(plan(993).afterTLS, .greeting)
        XCTAssertEqual(plan(465).afterTLS, .greeting)
        XCTAssertEqual(plan(995, "dovecot").afterTLS, .greeting)
        XCTAssertEqual(plan(636).afterTLS, .nothing)
        XCTAssertEqual(plan(853, "unbound").afterTLS, .nothing)
        XCTAssertEqual(plan(443, "dovecot").afterTLS, .nothing, "a mail server on 443 gets TLS but no HTTP")
    }

    func testHTTPGoesOnlyToHTTPPortsAndWebServers() {
        for port in [80, 8080, 8000, 8008, 8081, 8888, 3000, 5000, 9090] {
            XCTAssertEqual(plan(port).method, .http, "\(port)")
            XCTAssertFalse(plan(port).listenFirst)
        }
        let nginx = plan(8181, "nginx")
        XCTAssertEqual(nginx.method, .http)
        XCTAssertTrue(nginx.listenFirst, "a proxy on a port of no known use: listen first")
        XCTAssertEqual(plan(9100, "prometheus-node").method, .http, "comm is cut at 15 characters")
        XCTAssertEqual(plan(80, "exim4").method, .banner, "a mail server never gets HTTP")
        XCTAssertEqual(plan(8080, "systemd-resolve").method, .banner)
    }

    func testUnknownPortsAreOnlyListenedTo() {
        for (port, process) in [(9000, nil), (9100, nil), (12345, nil), (12345, "mydaemon"), (2024, nil)] as [(Int, String?)] {
            let p = plan(port, process)
            XCTAssertEqual(p.method, .banner, "\(port) \(process ?? "")")
            XCTAssertFalse(p.greetingExpected)
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
