import XCTest
import Model
@testable import Compare

/// Interfaces and routes: each change gives exactly its finding; the noise rules none.
final class NetworkDiffTests: DiffTestCase {
    /// web1's network, as a Debian 12 host with a bridge for local VMs and Docker shows it.
    static func network(_ s: inout Snapshot) {
        s.interfaces = [
            NetworkInterface(name: "lo", state: .up, mtu: 65536, addresses: [InterfaceAddress(address: "127.0.0.1/8", scope: "host"),
                                                                              InterfaceAddress(address: "::1/128", scope: "host")]),
            NetworkInterface(name: "eth0", state: .up, mtu: 1500, addresses: [InterfaceAddress(address: "10.0.1.20/24"),
                                                                              InterfaceAddress(address: "10.0.1.21/24", dynamic: true)]),
            NetworkInterface(name: "br0", state: .up, mtu: 1500, addresses: [InterfaceAddress(address: "10.20.30.1/24")]),
            NetworkInterface(name: "docker0", state: .up, mtu: 1500, addresses: [InterfaceAddress(address: "172.17.0.1/16")]),
            NetworkInterface(name: "veth3c1d2e0", state: .up, mtu: 1500),
        ]
        s.routes = [
            Route(family: "inet", destination: "default", gateway: "10.0.1.1", device: "eth0", metric: 100, proto: "dhcp"),
            Route(family: "inet", destination: "10.0.1.0/24", device: "eth0", proto: "kernel"),
            Route(family: "inet", destination: "10.20.30.0/24", device: "br0", proto: "kernel"),
            Route(family: "inet", destination: "10.99.0.0/16", gateway: "10.0.1.254", device: "eth0"),
            Route(family: "inet", destination: "172.17.0.0/16", device: "docker0", proto: "kernel"),
            Route(family: "inet6", destination: "default", gateway: "fe80::1", device: "eth0", metric: 1024, proto: "ra"),
        ]
    }

    func net(rules: CompareRules = CompareRules(), _ change: (inout Snapshot) -> Void) -> HostVerdict {
        diff(rules: rules, baseline: Self.network) { s in Self.network(&s); change(&s) }
    }

    func testUnchangedNetworkHasNoFindingsAndOneItemPerInterfaceAndRoute() {
        let v = net { _ in }
        XCTAssertEqual(v.findings, [])
        let subjects = v.items.filter { $0.category == .section(.network) }.map(\.subject)
        XCTAssertEqual(subjects, ["br0", "default route (IPv4)", "default route (IPv6)", "eth0", "lo", "route 10.99.0.0/16"],
                       "docker0 and veth* ignored by default; connected routes compared as addresses")
    }

    func testAddressRemovedIsAddressLostOnly() {
        let v = net { s in
            s.interfaces[2].addresses = []
            s.routes.removeAll { $0.destination == "10.20.30.0/24" }
        }
        let f = finding(v)
        XCTAssertEqual(f?.kind, .addressLost)
        XCTAssertEqual(f?.severity, .regression)
        XCTAssertEqual(f?.subject, "br0 10.20.30.1/24")
        XCTAssertEqual(f?.message, "10.20.30.1/24 is no longer on br0")
    }

    func testInterfaceDownCarriesItsAddressesInOneFinding() {
        let v = net { s in s.interfaces[2].state = .down; s.interfaces[2].addresses = [] }
        XCTAssertEqual(v.summary, ["interface-down regression br0"])
        XCTAssertEqual(v.findings.first?.message, "br0 is down now, was up (its addresses 10.20.30.1/24 went with it)")
        let gone = net { s in s.interfaces.remove(at: 2) }
        XCTAssertEqual(gone.summary, ["interface-down regression br0"])
        XCTAssertEqual(gone.findings.first?.after, "gone")
    }

    func testDefaultRouteLostAndRouteChanged() {
        let lost = net { s in s.routes.removeAll { $0.isDefault && !$0.isIPv6 } }
        XCTAssertEqual(lost.summary, ["default-route-lost regression default route (IPv4)"])
        XCTAssertEqual(lost.findings.first?.message, "default route (IPv4) (via 10.0.1.1 dev eth0) is gone")
        let moved = net { s in s.routes[0].gateway = "10.0.1.2" }
        XCTAssertEqual(moved.summary, ["route-changed warning default route (IPv4)"])
        let gone = net { s in s.routes.removeAll { $0.destination == "10.99.0.0/16" } }
        XCTAssertEqual(gone.summary, ["route-changed warning route 10.99.0.0/16"])
        let added = net { s in s.routes.append(Route(family: "inet", destination: "10.98.0.0/16", gateway: "10.0.1.254", device: "eth0")) }
        XCTAssertEqual(added.findings, [], "a new route is no finding")
    }

    func testMTUAndAddedAddress() {
        let v = net { s in
            s.interfaces[1].mtu = 9000
            s.interfaces[1].addresses.append(InterfaceAddress(address: "10.0.1.22/24"))
        }
        XCTAssertEqual(v.summary, ["mtu-changed warning eth0", "address-added info eth0 10.0.1.22/24"])
        XCTAssertEqual(v.findings.first { $0.kind == .mtuChanged }?.message, "eth0 MTU is 9000 now, was 1500")
    }

    func testIgnoredInterfacesDefaultsAndConfig() {
        let docker = net { s in s.interfaces.removeAll { $0.name.hasPrefix("veth") || $0.name == "docker0" } }
        XCTAssertEqual(docker.findings, [])
        let rules = CompareRules(ignore: IgnoreRules([.network: ["br*"]]))
        XCTAssertEqual(net(rules: rules) { s in s.interfaces[2].state = .down }.findings, [])
        XCTAssertEqual(net(rules: rules) { _ in }.items.filter { $0.category == .section(.network) }.map(\.subject).contains("br0"), false)
    }

    func testNetworkNotCapturedIsNotCompared() {
        let v = net { s in
            s.interfaces = []; s.routes = []
            s.notCaptured[.network] = CaptureGap(step: "network.route", problem: "ip -f inet route timed out after 20 s",
                                                                         fix: "raise --step-timeout")
        }
        XCTAssertEqual(v.summary, ["capture-incomplete warning network capture"])
    }
}
