import Model

/// The firewall: one checked item. Rules in the baseline and none now: flushed (a regression:
/// a host open that was closed). Otherwise any chain or named object whose rule count, policy or
/// normalised text differs (or that came or went) makes one `firewall-changed` naming them.
/// Chains that tools rewrite on their own are not compared (docs/network.md).
enum FirewallDiff {
    /// fail2ban's ban chains; Docker's, Podman's (netavark), Kubernetes', Calico's and CNI's
    /// per-container and per-network chains.
    static let ignoredChains = ["f2b-*", "DOCKER", "DOCKER-ISOLATION-*", "NETAVARK*", "KUBE-*", "CNI-*", "cali-*"]
    /// How many changed chains a message names before "and N more".
    static let named = 8

    static func items(baseline: FirewallRuleset, current: FirewallRuleset, maker: FindingMaker) -> [CheckedItem] {
        let before = kept(baseline), after = kept(current)
        let had = before.values.filter(\.isChain).reduce(0) { $0 + $1.rules }
        let has = after.values.filter(\.isChain).reduce(0) { $0 + $1.rules }
        let subject = "firewall"
        if had > 0 && has == 0 {
            let why = current.backends.isEmpty ? " (and no nft or iptables-save on the host any more)" : ""
            let backends = baseline.backends.joined(separator: ", ")
            return [maker.item(.firewall, subject, [maker.make(.firewallFlushed, subject, before: "\(had) rules", after: "no rules",
                                                               "the firewall had \(had) rules (\(backends)) and has none now\(why)")])]
        }
        var changed: [String] = []
        for key in Set(before.keys).union(after.keys).sorted() {
            switch (before[key], after[key]) {
            case let (b?, c?):
                guard b.digest != c.digest || b.rules != c.rules || b.policy != c.policy else { continue }
                var what: [String] = []
                if b.rules != c.rules { what.append("\(b.rules) → \(c.rules) \(unit(c))") } else { what.append("\(unit(c)) changed") }
                if b.policy != c.policy { what.append("policy \(b.policy ?? "none") → \(c.policy ?? "none")") }
                changed.append("\(key) (\(what.joined(separator: ", ")))")
            case let (b?, nil): changed.append("\(key) (gone, had \(b.rules) \(unit(b)))")
            case let (nil, c?): changed.append("\(key) (new, \(c.rules) \(unit(c)))")
            case (nil, nil): break
            }
        }
        guard !changed.isEmpty else { return [maker.item(.firewall, subject)] }
        var list = changed.prefix(named).joined(separator: "; ")
        if changed.count > named { list += "; and \(changed.count - named) more" }
        return [maker.item(.firewall, subject, [maker.make(.firewallChanged, subject, before: "\(had) rules", after: "\(has) rules",
                                                           "firewall rules changed: \(list)")])]
    }

    static func kept(_ ruleset: FirewallRuleset) -> [String: FirewallChain] {
        var out: [String: FirewallChain] = [:]
        for c in ruleset.chains where !(c.isChain && Glob.any(ignoredChains, c.name)) { out[c.key] = c }
        return out
    }

    static func unit(_ c: FirewallChain) -> String { c.isChain ? "rules" : "elements" }
}
