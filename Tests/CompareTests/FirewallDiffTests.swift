import XCTest
import Model
@testable import Compare

/// The firewall: flushed, changed (naming the chains), and the noise that is no change.
final class FirewallDiffTests: DiffTestCase {
    static let ruleset = FirewallRuleset(backends: ["nftables"], digest: String(repeating: "a", count: 64), chains: [
        FirewallChain(backend: "nftables", family: "inet", table: "filter", name: "input", policy: "drop", rules: 7, digest: "1111111111111111"),
        FirewallChain(backend: "nftables", family: "inet", table: "filter", name: "forward", policy: "drop", rules: 0, digest: "2222222222222222"),
        FirewallChain(backend: "nftables", family: "inet", table: "filter", name: "allowed", kind: "set", rules: 2, digest: "3333333333333333"),
        FirewallChain(backend: "nftables", family: "ip", table: "filter", name: "f2b-sshd", rules: 3, digest: "4444444444444444"),
    ])

    func fw(_ change: (inout FirewallRuleset) -> Void) -> HostVerdict {
        diff(baseline: { $0.firewall = Self.ruleset }) { s in s.firewall = Self.ruleset; change(&s.firewall) }
    }

    func testUnchangedIsOneCleanItem() {
        let v = fw { _ in }
        XCTAssertEqual(v.findings, [])
        XCTAssertEqual(v.items.filter { $0.category == .section(.firewall) }.map(\.subject), ["firewall"])
    }

    func testFlushed() {
        let v = fw { $0 = FirewallRuleset(backends: ["nftables"]) }
        XCTAssertEqual(v.summary, ["firewall-flushed regression firewall"])
        XCTAssertEqual(v.findings.first?.message, "the firewall had 7 rules (nftables) and has none now")
        let toolGone = fw { $0 = FirewallRuleset() }
        XCTAssertEqual(toolGone.findings.first?.message,
                       "the firewall had 7 rules (nftables) and has none now (and no nft or iptables-save on the host any more)")
    }

    func testChangedNamesTheChains() {
        let rule = fw { $0.chains[0].digest = "5555555555555555" }
        XCTAssertEqual(rule.summary, ["firewall-changed warning firewall"])
        XCTAssertEqual(rule.findings.first?.message, "firewall rules changed: inet filter input (rules changed)")
        let counts = fw { f in
            f.chains[0].rules = 6; f.chains[0].digest = "6"
            f.chains[1].policy = "accept"; f.chains[1].digest = "7"
            f.chains[2].rules = 3; f.chains[2].digest = "8"
        }
        XCTAssertEqual(counts.findings.first?.message, "firewall rules changed: inet filter forward (rules changed, policy drop → accept); "
                       + "inet filter input (7 → 6 rules); inet filter set allowed (2 → 3 elements)")
    }

    func testIgnoredChainsAndBanListsAreNoChange() {
        XCTAssertEqual(fw { f in f.chains[3].rules = 9; f.chains[3].digest = "9"; f.digest = "b" }.findings, [])
        XCTAssertEqual(fw { f in f.chains.remove(at: 3) }.findings, [])
    }

    func testNotRootIsNotComparedAndNoFinding() {
        let v = diff(baseline: { $0.firewall = Self.ruleset }) { s in
            s.notCaptured[.firewall] = CaptureGap(step: "", problem: "not root (uid 1001): reading the firewall needs root",
                                                                          fix: "", skipped: true)
        }
        XCTAssertEqual(v.findings, [])
        XCTAssertTrue(v.notes.contains("firewall not captured: not root (uid 1001): reading the firewall needs root"), "\(v.notes)")
    }
}
