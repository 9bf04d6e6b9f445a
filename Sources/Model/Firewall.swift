/// The firewall's rules, normalised (counters, handles and timestamps stripped), kept as a
/// digest plus rule counts per table and chain (docs/network.md).
public struct FirewallRuleset: Codable, Sendable, Equatable {
    /// What the rules were read with, sorted: `nftables`, `iptables-nft`, `iptables-legacy`;
    /// empty when the host has none of the tools (then it has no rules either).
    public var backends: [String]
    /// SHA-256 (hex) of the normalised text of every backend; empty when nothing was read.
    public var digest: String
    /// Every chain and named object (set, map, counter...), sorted by ``FirewallChain/key``.
    public var chains: [FirewallChain]

    public init(backends: [String] = [], digest: String = "", chains: [FirewallChain] = []) {
        self.backends = backends
        self.digest = digest
        self.chains = chains
    }

    /// Rules in chains (not set elements).
    public var ruleCount: Int { chains.filter(\.isChain).reduce(0) { $0 + $1.rules } }
}

/// A chain, or another named object of a table (nftables sets, maps, counters, quotas...).
public struct FirewallChain: Codable, Sendable, Equatable {
    /// `nftables`, `iptables-nft` or `iptables-legacy`.
    public var backend: String
    /// nftables' family (`inet`, `ip`, `ip6`, `arp`, `bridge`, `netdev`); `ip` or `ip6` for iptables.
    public var family: String
    public var table: String
    public var name: String
    /// `chain`, or the object's kind (`set`, `map`, `counter`, `quota`, `flowtable`, `ct helper`...).
    public var kind: String
    /// The base chain's policy (`accept`, `drop`; `ACCEPT`, `DROP` for iptables), nil for others.
    public var policy: String?
    /// Rules in a chain; elements in a set or map (0 for a set whose elements come and go).
    public var rules: Int
    /// The first 16 hex digits of the SHA-256 of the object's normalised lines.
    public var digest: String

    public init(backend: String, family: String, table: String, name: String, kind: String = "chain",
                policy: String? = nil, rules: Int, digest: String) {
        self.backend = backend
        self.family = family
        self.table = table
        self.name = name
        self.kind = kind
        self.policy = policy
        self.rules = rules
        self.digest = digest
    }

    public var isChain: Bool { kind == "chain" }

    /// "inet filter input", "ip filter INPUT (iptables-legacy)", "inet filter set blocked".
    public var key: String {
        let object = isChain ? name : "\(kind) \(name)"
        let via = backend == "nftables" ? "" : " (\(backend))"
        return "\(family) \(table) \(object)\(via)"
    }
}
