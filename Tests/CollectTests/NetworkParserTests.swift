import XCTest
import Model
@testable import Collect

/// The network section's parsers on real `ip` output: a scratch network namespace with a
/// bridge, a veth into a docker0 bridge, static, dynamic, temporary and link-local addresses,
/// multipath, blackhole and expiring routes (captured with iproute2 6.1 and busybox 1.35 on
/// Debian 12), and this machine's own.
final class NetworkParserTests: XCTestCase {
    func testJSONAddressesKeepWhatLastsAndDropLinkLocalAndTemporary() throws {
        let (items, notes) = NetworkParser.interfacesJSON(try Fixtures.local("lab-netns_ip-j-addr.json"))
        XCTAssertEqual(notes, [])
        XCTAssertEqual(items.map(\.name), ["lo", "veth9f3a2b1", "eth0", "br0", "docker0", "br1"])
        let eth0 = try XCTUnwrap(items.first { $0.name == "eth0" })
        XCTAssertEqual(eth0.state, .up)
        XCTAssertEqual(eth0.mtu, 1450)
        XCTAssertEqual(eth0.addresses, [
            InterfaceAddress(address: "192.0.2.10/24"),
            InterfaceAddress(address: "192.0.2.11/24", dynamic: true),
            InterfaceAddress(address: "2001:db8:1::10/64"),
            InterfaceAddress(address: "2001:db8:2::1/64", dynamic: true),
        ])
        XCTAssertEqual(items.first { $0.name == "lo" }?.addresses.map(\.address), ["127.0.0.1/8", "::1/128"])
        XCTAssertEqual(items.first { $0.name == "lo" }?.addresses.first?.scope, "host")
        XCTAssertEqual(items.first { $0.name == "veth9f3a2b1" }?.addresses, [], "link-local only")
        XCTAssertEqual(items.first { $0.name == "br1" }?.state, .down)
        XCTAssertEqual(items.first { $0.name == "br1" }?.addresses.map(\.address), ["10.40.0.1/24"])
    }

    func testTextFormsOfIproute2AndBusyboxGiveTheSameInterfaces() throws {
        let json = NetworkParser.interfacesJSON(try Fixtures.local("lab-netns_ip-j-addr.json")).items
        let text = NetworkParser.interfacesText(link: try Fixtures.local("lab-netns_ip-o-link.out"),
                                                addr: try Fixtures.local("lab-netns_ip-o-addr.out"))
        XCTAssertEqual(text.notes, [])
        XCTAssertEqual(text.items, json)
        // busybox marks IPv6 temporary addresses "secondary" (the same flag bit) and prints no state.
        let busybox = NetworkParser.interfacesText(link: try Fixtures.local("lab-netns_busybox-ip-o-link.out"),
                                                   addr: try Fixtures.local("lab-netns_busybox-ip-o-addr.out"))
        XCTAssertEqual(busybox.items, json)
    }

    func testThisMachinesInterfacesInBothForms() throws {
        let json = NetworkParser.interfacesJSON(try Fixtures.local("debian-12_ip-j-addr.json")).items
        let text = NetworkParser.interfacesText(link: try Fixtures.local("debian-12_ip-o-link.out"),
                                                addr: try Fixtures.local("debian-12_ip-o-addr.out")).items
        XCTAssertEqual(json, text)
        XCTAssertTrue(json.contains { $0.name == "lo" && $0.state == .up })
        XCTAssertFalse(json.flatMap(\.addresses).contains { $0.address.hasPrefix("fe80:") })
    }

    func testJSONRoutes() throws {
        let v4 = NetworkParser.routesJSON(try Fixtures.local("lab-netns_ip-j-route.json"), family: "inet").items
        XCTAssertEqual(v4.map(\.destination), ["default", "10.20.30.0/24", "10.97.0.0/16", "10.98.0.0/16", "10.99.0.0/16",
                                               "172.17.0.0/16", "192.0.2.0/24"])
        XCTAssertEqual(v4[0].path, "via 192.0.2.1 dev eth0")
        XCTAssertEqual(v4[1].proto, "kernel")
        XCTAssertEqual(v4[2].path, "blackhole")
        XCTAssertEqual(v4[3].path, "via 192.0.2.253 dev eth0; via 192.0.2.252 dev eth0")
        XCTAssertEqual(v4[4].metric, 50)
        let v6 = NetworkParser.routesJSON(try Fixtures.local("lab-netns_ip-j-6-route.json"), family: "inet6").items
        XCTAssertEqual(v6.map(\.destination), ["2001:db8:1::/64", "2001:db8:2::/64", "2001:db8:99::/48", "fd00:20::/64", "default"],
                       "fe80::/64 routes left out")
        XCTAssertEqual(v6.last?.path, "via 2001:db8:1::1 dev eth0")
    }

    func testTextRoutesMatchJSONOnceConnectedRoutesAreMarked() throws {
        let interfaces = NetworkParser.interfacesJSON(try Fixtures.local("lab-netns_ip-j-addr.json")).items
        func routes(_ v4: String, _ v6: String, json: Bool) throws -> [Route] {
            let parse = json ? NetworkParser.routesJSON : NetworkParser.routesText
            return NetworkParser.markConnected(parse(try Fixtures.local(v4), "inet").items + parse(try Fixtures.local(v6), "inet6").items,
                                               interfaces: interfaces)
        }
        let json = try routes("lab-netns_ip-j-route.json", "lab-netns_ip-j-6-route.json", json: true)
        let text = try routes("lab-netns_ip-route.out", "lab-netns_ip-6-route.out", json: false)
        XCTAssertEqual(text, json)
        // busybox: no proto (connected routes found by their address), no nexthops, table local's
        // multicast routes listed with -6 (left out).
        let busybox = try routes("lab-netns_busybox-ip-route.out", "lab-netns_busybox-ip-6-route.out", json: false)
        XCTAssertEqual(busybox.filter { $0.proto == "kernel" }.map(\.destination),
                       json.filter { $0.proto == "kernel" }.map(\.destination))
        XCTAssertEqual(busybox.map(\.destination), json.map(\.destination))
        XCTAssertEqual(busybox.first { $0.isDefault && !$0.isIPv6 }?.path, "via 192.0.2.1 dev eth0")
    }

    /// The batch's `route show table all` (captured in a lab netns holding routes of both families
    /// in tables main and 100, v4 and v6 defaults without a gateway, blackhole, unreachable and
    /// multipath routes) gives the routes `ip -f inet` and `ip -f inet6 route show` gave there.
    func testBatchRoutesOfAllTablesEqualThePerFamilyLists() throws {
        let batch = try Fixtures.local("lab-netns-routes_ip-j-batch.out").lines().map(String.init)
        XCTAssertEqual(batch.count, 2)
        let all = NetworkParser.routesAllTablesJSON(batch[1])
        XCTAssertEqual(all.notes, [])
        let v4 = NetworkParser.routesJSON(try Fixtures.local("lab-netns-routes_ip-j-route.json"), family: "inet").items
        let v6 = NetworkParser.routesJSON(try Fixtures.local("lab-netns-routes_ip-j-6-route.json"), family: "inet6").items
        XCTAssertEqual(all.items.filter { !$0.isIPv6 }, v4)
        XCTAssertEqual(all.items.filter(\.isIPv6), v6)
        XCTAssertEqual(all.items.filter(\.isDefault).map { "\($0.family) \($0.path)" }.sorted(),
                       ["inet dev br1", "inet via 192.0.2.1 dev eth0", "inet6 dev br1", "inet6 via 2001:db8:1::1 dev eth0"])
        XCTAssertFalse(all.items.contains { $0.destination.hasPrefix("10.50.") || $0.destination.hasPrefix("2001:db8:50:") },
                       "table 100 left out, as ip route show leaves it")
        XCTAssertEqual(NetworkParser.family(of: ["dst": "default", "via": ["family": "inet6", "host": "fe80::1"]]), "inet",
                       "an IPv4 route through an IPv6 next hop stays IPv4")
        let section = NetworkSection.parse(output(batch.joined(separator: "\n")), stepTimeout: 20)
        XCTAssertNil(section.gap)
        XCTAssertEqual(section.interfaces.map(\.name), ["lo", "eth0", "br1"])
        XCTAssertEqual(section.routes.count, v4.count + v6.count)
    }

    func testSectionReadsBothFormsAndSaysWhatFailed() throws {
        let json = try Fixtures.local("lab-netns_ip-j-addr.json").trimmingCharacters(in: .whitespacesAndNewlines)
        let routes = "@inet\n" + (try Fixtures.local("lab-netns_ip-route.out")) + "@inet6\n" + (try Fixtures.local("lab-netns_ip-6-route.out"))
        let text = "@link\n" + (try Fixtures.local("lab-netns_ip-o-link.out")) + "@addr\n" + (try Fixtures.local("lab-netns_ip-o-addr.out"))
        let ok = NetworkSection.parse(output(text + routes), stepTimeout: 20)
        XCTAssertNil(ok.gap)
        XCTAssertEqual(ok.interfaces.map(\.name), ["lo", "eth0", "br0", "br1"], "veth* and docker* left out")
        XCTAssertFalse(ok.routes.contains { $0.device == "docker0" })
        XCTAssertEqual(ok.routes.filter(\.isDefault).count, 2)
        let busybox = "@link\n" + (try Fixtures.local("lab-netns_busybox-ip-o-link.out")) + "@addr\n" + (try Fixtures.local("lab-netns_busybox-ip-o-addr.out"))
        XCTAssertEqual(NetworkSection.parse(output(busybox + routes), stepTimeout: 20).interfaces, ok.interfaces)
        XCTAssertEqual(NetworkSection.parse(output(json), stepTimeout: 20).interfaces, ok.interfaces, "the batch's address list")
        XCTAssertEqual(NetworkSection.parse(output(json), stepTimeout: 20).gap?.problem, "ip -j listed no routes")

        let noV6 = NetworkSection.parse(output(text + "@inet\n@inet6\n@failed inet6 2\n",
                                               stderr: "RTNETLINK answers: Address family not supported by protocol"), stepTimeout: 20)
        XCTAssertNil(noV6.gap)
        XCTAssertEqual(noV6.notes, ["network: no IPv6 on the host (ip -6 route: address family not supported)"])
        let slow = NetworkSection.parse(output(text + "@inet\n@failed inet 124\n"), stepTimeout: 20)
        XCTAssertEqual(slow.gap?.problem, "ip -f inet route timed out after 20 s")
        XCTAssertEqual(slow.routes, [], "unknown, not empty")
        let noAddr = NetworkSection.parse(output("@link\n" + (try Fixtures.local("lab-netns_ip-o-link.out")) + "@addr\n@failed addr 1\n" + routes),
                                          stepTimeout: 20)
        XCTAssertEqual(noAddr.gap?.problem, "ip -o addr failed (exit 1)")
        XCTAssertEqual(NetworkSection.parse(output("garbage"), stepTimeout: 20).gap?.problem, "ip listed no interfaces")
    }

    private func output(_ stdout: String, stderr: String = "") -> ScriptOutput {
        var out = ScriptOutput()
        out.steps["network.ip"] = StepOutput(name: "network.ip", stdout: stdout, stderr: stderr, status: 0)
        return out
    }
}
