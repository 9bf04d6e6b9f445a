import Engine
import Foundation
import LabKit
import Model
import XCTest

/// The network and firewall sections on a real systemd host (systemd-nspawn in its own network
/// namespace, with CAP_NET_ADMIN so root inside configures that namespace; nothing of this
/// machine's is touched): an address removed from a bridge, a firewall rule changed, the
/// ruleset flushed: each exactly its finding. This kernel has no dummy driver, hence a bridge.
final class NetworkFirewallLabTests: E2ETestCase {
    static let address = "10.77.0.1/24"
    static let rules = """
    table inet filter {
        chain input {
            type filter hook input priority filter; policy accept;
            ct state established,related counter accept
            iif "lo" accept
            tcp dport 22 counter accept
            tcp dport 8443 counter accept
            meta l4proto icmp accept
        }
    }
    table ip nat {
        chain postrouting {
            type nat hook postrouting priority srcnat; policy accept;
            oifname "eth0" masquerade
        }
    }
    """

    private func load(_ rules: String, on host: SystemdHost) async throws {
        let quoted = "'" + rules.replacingOccurrences(of: "'", with: "'\\''") + "'"
        try await host.runAsRoot("nft flush ruleset && printf '%s\\n' \(quoted) | nft -f -")
    }

    func testAddressLostRuleChangedAndFlushedAreEachTheirFindingOnly() async throws {
        let host = try await bootSettledHost("netfw1", capabilities: ["CAP_NET_ADMIN"])
        let kh = host.knownHostsPath
        try await host.runAsRoot("ip link add br0 type bridge && ip addr add \(Self.address) dev br0 && ip link set br0 up")
        try await load(Self.rules, on: host)
        let t = systemdTarget(host, user: SystemdHost.sudoUser, sudo: true)
        let saved = try await baseline([t], knownHosts: kh)
        let base = try XCTUnwrap(saved.first)
        XCTAssertNil(base.gap(.network), "\(base.captureNotes)")
        XCTAssertNil(base.gap(.firewall), "\(base.captureNotes)")
        XCTAssertEqual(base.interfaces.first { $0.name == "br0" }?.addresses.map(\.address), [Self.address])
        XCTAssertEqual(base.interfaces.first { $0.name == "eth0" }?.addresses.map(\.address), ["\(host.address)/30"])
        XCTAssertEqual(base.firewall.backends, ["nftables"])
        XCTAssertEqual(base.firewall.ruleCount, 6)
        XCTAssertTrue(base.routes.contains { $0.destination == "198.18.0.0/15" && $0.gateway == host.namespace.hostAddress }, "\(base.routes)")
        assertFindings(verdict(try await verify([t], knownHosts: kh), t.name), [], "unchanged")

        try await host.runAsRoot("ip addr del \(Self.address) dev br0")
        assertFindings(verdict(try await verify([t], knownHosts: kh), t.name),
                       [.init(.addressLost, .regression, "br0 \(Self.address)")], "address removed from br0")
        try await host.runAsRoot("ip addr add \(Self.address) dev br0")

        try await load(Self.rules.replacingOccurrences(of: "dport 8443", with: "dport 8444"), on: host)
        let changed = verdict(try await verify([t], knownHosts: kh), t.name)
        assertFindings(changed, [.init(.firewallChanged, .warning, "firewall")], "a rule changed")
        XCTAssertEqual(changed?.findings.first?.message, "firewall rules changed: inet filter input (rules changed)")

        try await load(Self.rules, on: host)
        assertFindings(verdict(try await verify([t], knownHosts: kh), t.name), [], "the rules back, with other counters")

        try await host.runAsRoot("nft flush ruleset")
        let flushed = verdict(try await verify([t], knownHosts: kh), t.name)
        assertFindings(flushed, [.init(.firewallFlushed, .regression, "firewall")], "ruleset flushed")
        XCTAssertEqual(flushed?.findings.first?.message, "the firewall had 6 rules (nftables) and has none now")

        // Not root: the firewall is not read, and says so; the network is, all the same.
        let user = try await capture(systemdTarget(host), knownHosts: kh)
        XCTAssertEqual(user.gap(.firewall)?.skipped, true)
        XCTAssertTrue(user.captureNotes.contains { $0.hasPrefix("firewall not captured: not root (uid ") }, "\(user.captureNotes)")
        XCTAssertNil(user.gap(.network))
        XCTAssertEqual(user.interfaces, base.interfaces)
    }

    /// Issue 25: an admin's bridge is compared, Docker's are not. `br-lan` and a bridge shaped as
    /// Docker names its own (`br-` and twelve hex digits) are made at runtime, so a reboot loses
    /// both: the admin's loss is named, Docker's is not.
    func testAnAdminBridgeLostAcrossARebootIsNamedADockerBridgeIsNot() async throws {
        let host = try await bootSettledHost("netbr1", capabilities: ["CAP_NET_ADMIN"])
        let kh = host.knownHostsPath
        let lan = "10.78.0.1/24", docker = "br-3f2a9c0d1e4b"
        try await host.runAsRoot("ip link add br-lan type bridge && ip addr add \(lan) dev br-lan && ip link set br-lan up && "
                                 + "ip link add \(docker) type bridge && ip addr add 172.18.0.1/16 dev \(docker) && ip link set \(docker) up")
        let t = systemdTarget(host, user: SystemdHost.sudoUser, sudo: true)
        let saved = try await baseline([t], knownHosts: kh)
        let base = try XCTUnwrap(saved.first)
        XCTAssertEqual(base.interfaces.first { $0.name == "br-lan" }?.addresses.map(\.address), [lan], "\(base.interfaces.map(\.name))")
        XCTAssertNil(base.interfaces.first { $0.name == docker }, "Docker's bridge is left out")
        assertFindings(verdict(try await verify([t], knownHosts: kh), t.name), [], "unchanged")

        try await host.reboot()
        // Both bridges were made at runtime: a real server's reboot loses them. This lab host's
        // network namespace is the test's and outlives the reboot, so the test drops them as the
        // reboot would have.
        try await host.runAsRoot("ip link del br-lan && ip link del \(docker)")
        let run = try await verify([t], knownHosts: kh)
        let v = try XCTUnwrap(verdict(run, t.name))
        let network = v.findings.filter { $0.category == .section(.network) }
        XCTAssertFalse(network.isEmpty, "\(v.findings)")
        XCTAssertTrue(network.allSatisfy { $0.subject.hasPrefix("br-lan") }, "\(network)")
        XCTAssertTrue(network.contains { $0.severity == .regression && $0.message.contains("br-lan") }, "\(network)")
        XCTAssertFalse(v.findings.contains { $0.subject.contains(docker) || $0.message.contains(docker) }, "\(v.findings)")
    }

    /// A lab host as booted by default: root inside has no CAP_NET_ADMIN, as in many containers.
    func testRootWithoutNetAdminIsSkippedWithANote() async throws {
        let host = try await bootSettledHost("netfw2")
        let s = try await capture(systemdTarget(host, user: SystemdHost.sudoUser, sudo: true), knownHosts: host.knownHostsPath)
        XCTAssertEqual(s.gap(.firewall)?.skipped, true, "\(s.notCaptured)")
        XCTAssertEqual(s.gap(.firewall)?.step, "firewall.nft")
        XCTAssertTrue(s.captureNotes.contains { $0.hasPrefix("firewall not captured: nft list ruleset: Operation not permitted") }, "\(s.captureNotes)")
        XCTAssertNil(s.gap(.network))
        XCTAssertEqual(s.interfaces.map(\.name), ["eth0", "lo"])
    }
}
