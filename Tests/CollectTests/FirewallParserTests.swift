import Foundation
import XCTest
import Model
import TestSupport
@testable import Collect

/// The firewall section's parsers on real output from scratch network namespaces: an nftables
/// ruleset with counters, named sets (one filled dynamically, one wrapped over many lines),
/// a named counter and NAT; iptables-nft and iptables-legacy saves (with and without `-c`);
/// and nft's view of iptables-nft's tables (iptables 1.8.9, nftables 1.0.6, Debian 12).
final class FirewallParserTests: XCTestCase {
    func testNftChainsAndObjectsWithCounts() throws {
        let parsed = FirewallParser.nft(try Fixtures.local("lab-netns_nft-list-ruleset.out"))
        let byKey = Dictionary(uniqueKeysWithValues: parsed.chains.map { ($0.key, $0) })
        XCTAssertEqual(Set(byKey.keys), ["inet filter counter ssh_hits", "inet filter set allowed_v4", "inet filter set blocked",
                                         "inet filter set office", "inet filter input", "inet filter forward",
                                         "inet filter output", "ip nat postrouting"])
        XCTAssertEqual(byKey["inet filter input"]?.rules, 8)
        XCTAssertEqual(byKey["inet filter input"]?.policy, "drop")
        XCTAssertEqual(byKey["inet filter output"]?.policy, "accept")
        XCTAssertEqual(byKey["inet filter forward"]?.rules, 0)
        XCTAssertEqual(byKey["ip nat postrouting"]?.rules, 1)
        XCTAssertEqual(byKey["inet filter set allowed_v4"]?.rules, 2)
        XCTAssertEqual(byKey["inet filter set office"]?.rules, 25, "elements wrapped over 13 lines")
        XCTAssertEqual(byKey["inet filter set blocked"]?.rules, 0, "a dynamic set's elements come and go")
        XCTAssertEqual(FirewallParser.ruleset([("nftables", parsed)]).ruleCount, 9)
        let text = parsed.lines.joined(separator: "\n")
        for volatile in ["packets", "bytes", "expires", "203.0.113.9", "# handle", "#"] {
            XCTAssertFalse(text.contains(volatile), "\(volatile) left in:\n\(text)")
        }
        XCTAssertTrue(text.contains("tcp dport { 80, 443 } counter accept comment \"web\""), text)
    }

    func testHandlesCountersAndExpiryDoNotChangeTheDigest() throws {
        // Captured a few seconds apart, the second with -a: other counters, expiry and handles.
        let plain = FirewallParser.ruleset([("nftables", FirewallParser.nft(try Fixtures.local("lab-netns_nft-list-ruleset.out")))])
        let handles = FirewallParser.ruleset([("nftables", FirewallParser.nft(try Fixtures.local("lab-netns_nft-a-list-ruleset.out")))])
        XCTAssertEqual(plain, handles)
        XCTAssertEqual(plain.digest.count, 64)
        XCTAssertEqual(plain.backends, ["nftables"])
        let moreHits = try Fixtures.local("lab-netns_nft-list-ruleset.out").replacingOccurrences(of: "packets 0 bytes 0", with: "packets 912 bytes 48211")
        XCTAssertEqual(FirewallParser.ruleset([("nftables", FirewallParser.nft(moreHits))]), plain)
        XCTAssertEqual(FirewallParser.ruleset([("nftables", FirewallParser.nft(""))]), FirewallRuleset(backends: ["nftables"]), "answered, no rules")
    }

    func testAChangedRuleChangesItsChainsDigestOnly() throws {
        let text = try Fixtures.local("lab-netns_nft-list-ruleset.out")
        let before = FirewallParser.nft(text).chains
        let after = FirewallParser.nft(text.replacingOccurrences(of: "tcp dport 8443 accept", with: "tcp dport 8444 accept")).chains
        let changed = zip(before, after).filter { $0.digest != $1.digest }.map(\.0.key)
        XCTAssertEqual(changed, ["inet filter input"])
        XCTAssertEqual(before.map(\.rules), after.map(\.rules))
    }

    func testIptablesSavesNftAndLegacy() throws {
        let nft = FirewallParser.iptablesSave(try Fixtures.local("lab-netns_iptables-nft-save.out"), family: "ip", backend: "iptables-nft")
        let counted = FirewallParser.iptablesSave(try Fixtures.local("lab-netns_iptables-nft-save-c.out"), family: "ip", backend: "iptables-nft")
        XCTAssertEqual(nft, counted, "-c counters stripped")
        XCTAssertEqual(nft.chains.map(\.key), ["ip filter INPUT (iptables-nft)", "ip filter FORWARD (iptables-nft)",
                                                "ip filter OUTPUT (iptables-nft)", "ip filter f2b-sshd (iptables-nft)",
                                                "ip nat PREROUTING (iptables-nft)", "ip nat INPUT (iptables-nft)",
                                                "ip nat OUTPUT (iptables-nft)", "ip nat POSTROUTING (iptables-nft)"])
        XCTAssertEqual(nft.chains.map(\.rules), [3, 0, 0, 2, 0, 0, 0, 1])
        XCTAssertEqual(nft.chains[0].policy, "DROP")
        XCTAssertNil(nft.chains[3].policy, "a user chain has none")
        XCTAssertFalse(nft.lines.contains { $0.contains("Generated") || $0.contains("[") }, "\(nft.lines)")

        let step = "# postpatch: ip iptables-legacy\n" + (try Fixtures.local("lab-netns_iptables-legacy-save.out"))
            + "# postpatch: ip6 iptables-legacy\n" + (try Fixtures.local("lab-netns_ip6tables-legacy-save.out"))
        let legacy = FirewallParser.ruleset([("iptables", FirewallParser.iptablesSections(step))])
        XCTAssertEqual(legacy.backends, ["iptables-legacy"])
        XCTAssertEqual(legacy.ruleCount, 3)
        XCTAssertEqual(legacy.chains.first { $0.key == "ip6 filter INPUT (iptables-legacy)" }?.rules, 1)
    }

    func testNftSeesIptablesNftTables() throws {
        let parsed = FirewallParser.nft(try Fixtures.local("lab-netns_nft-list-ruleset-iptables-nft.out"))
        XCTAssertEqual(parsed.chains.map(\.key), ["ip filter f2b-sshd", "ip filter INPUT", "ip nat POSTROUTING", "ip6 filter INPUT"])
        XCTAssertEqual(parsed.chains.map(\.rules), [2, 3, 1, 1])
    }

    func testSectionSkipsGapsAndEmptyHosts() {
        var out = ScriptOutput()
        out.steps["firewall.nft"] = StepOutput(name: "firewall.nft", stderr: "Error: Operation not permitted\n", status: 1)
        // What root in a systemd-nspawn container without CAP_NET_ADMIN gets: skipped, as not root is.
        out.steps["firewall.nft"]?.stderr = "Operation not permitted (you must be root)\nnetlink: Error: cache initialization failed: Operation not permitted\n"
        let denied = FirewallSection.parse(out, stepTimeout: 20)
        XCTAssertEqual(denied.gap?.skipped, true)
        XCTAssertEqual(denied.gap?.sentence(.firewall), "firewall not captured: nft list ruleset: Operation not permitted: "
                       + "reading the firewall needs CAP_NET_ADMIN, which root does not have here (a container?)")
        out.steps["firewall.nft"] = StepOutput(name: "firewall.nft", stderr: "Error: No such file or directory\n", status: 1)
        let failed = FirewallSection.parse(out, stepTimeout: 20)
        XCTAssertEqual(failed.gap?.problem, "nft list ruleset exited 1: Error: No such file or directory")
        XCTAssertEqual(failed.gap?.skipped, false)
        out.steps["firewall.nft"] = StepOutput(name: "firewall.nft", status: 124)
        XCTAssertEqual(FirewallSection.parse(out, stepTimeout: 20).gap?.problem, "nft list ruleset timed out after 20 s")

        var none = ScriptOutput()
        none.missing["firewall.tools"] = ["nft", "iptables-save", "ip6tables-save"]
        let empty = FirewallSection.parse(none, stepTimeout: 20)
        XCTAssertNil(empty.gap)
        XCTAssertEqual(empty.ruleset, FirewallRuleset())
        XCTAssertEqual(empty.notes.count, 1)
    }

    func testSHA256MatchesSha256sum() throws {
        XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let text = try Fixtures.local("lab-netns_nft-list-ruleset.out")
        let run = try LabProcess.runBlocking("/bin/sh", ["-c", "sha256sum \"$0\"", Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/collect/lab-netns_nft-list-ruleset.out").path])
        XCTAssertEqual(SHA256.hex(text), String(run.stdout.prefix(64)))
    }
}
