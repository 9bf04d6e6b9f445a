/// A network interface as `ip` shows it, after the noise rules of the network section
/// (docs/network.md): IPv6 link-local and temporary addresses and address lifetimes are left out.
public struct NetworkInterface: Codable, Sendable, Equatable, SortKeyed {
    public var name: String
    public var state: InterfaceState
    /// nil when the output did not say (never seen with iproute2 or busybox `ip`).
    public var mtu: Int?
    /// Sorted by ``InterfaceAddress/address``.
    public var addresses: [InterfaceAddress]

    public init(name: String, state: InterfaceState, mtu: Int? = nil, addresses: [InterfaceAddress] = []) {
        self.name = name
        self.state = state
        self.mtu = mtu
        self.addresses = addresses
    }

    public var sortKey: String { name }
}

/// What the link flags say: `up` is administratively up with a carrier (UP and LOWER_UP; a
/// loopback or a tunnel reports operstate UNKNOWN but carries traffic), `no-carrier` is up
/// without one (a cable out, a bridge with no port), `down` is set down.
public enum InterfaceState: String, Codable, Sendable, Equatable {
    case up
    case noCarrier = "no-carrier"
    case down

    /// From the flags between `<` and `>` (or `ip -j`'s `flags` array).
    public init(flags: [String]) {
        if !flags.contains("UP") { self = .down } else if flags.contains("LOWER_UP") { self = .up } else { self = .noCarrier }
    }
}

/// One address on an interface: "192.0.2.10/24", "2001:db8::1/64".
public struct InterfaceAddress: Codable, Sendable, Equatable, Hashable {
    /// Address and prefix length, as `ip` writes them.
    public var address: String
    /// `global`, `host`, `site`...
    public var scope: String
    /// Handed out with a lifetime (DHCP, SLAAC): it may move on its own.
    public var dynamic: Bool

    public init(address: String, scope: String = "global", dynamic: Bool = false) {
        self.address = address
        self.scope = scope
        self.dynamic = dynamic
    }

    public var isIPv6: Bool { address.contains(":") }
}

/// A route of the main table (`ip route show`, `ip -6 route show`). Local, broadcast and
/// multicast routes, IPv6 link-local (fe80::/64) ones, and expiry times are left out.
public struct Route: Codable, Sendable, Equatable, SortKeyed {
    /// `inet` or `inet6`.
    public var family: String
    /// "default" or a prefix ("10.0.0.0/8"; a host route as `ip` writes it, without /32).
    public var destination: String
    /// nil for an ordinary (unicast) route; `blackhole`, `unreachable`, `prohibit`, `throw`.
    public var type: String?
    public var gateway: String?
    public var device: String?
    /// The paths of a multipath route ("via 192.0.2.1 dev eth0"); nil for a single path.
    public var nexthops: [String]?
    public var metric: Int?
    /// Who added it: `kernel` (the subnet of an address, derived), `dhcp`, `static`, `ra`, `boot`;
    /// nil when `ip` did not say (busybox never does).
    public var proto: String?

    public init(family: String, destination: String, type: String? = nil, gateway: String? = nil, device: String? = nil,
                nexthops: [String]? = nil, metric: Int? = nil, proto: String? = nil) {
        self.family = family
        self.destination = destination
        self.type = type
        self.gateway = gateway
        self.device = device
        self.nexthops = nexthops
        self.metric = metric
        self.proto = proto
    }

    public var isDefault: Bool { destination == "default" }
    public var isIPv6: Bool { family == "inet6" }

    /// Where the route sends traffic, for messages and comparison: "via 192.0.2.1 dev eth0",
    /// "blackhole", "nexthop via ... ; nexthop via ...".
    public var path: String {
        var words: [String] = []
        if let type { words.append(type) }
        if let gateway { words.append("via \(gateway)") }
        if let device { words.append("dev \(device)") }
        if let nexthops, !nexthops.isEmpty { words.append(nexthops.joined(separator: "; ")) }
        return words.isEmpty ? "(no path)" : words.joined(separator: " ")
    }

    public var sortKey: String {
        "\(family) \(isDefault ? "" : destination) \(metric.map { String(1_000_000_000 + $0) } ?? "") \(path)"
    }
}
