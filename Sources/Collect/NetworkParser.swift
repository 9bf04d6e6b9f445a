import Foundation
import Model

/// `ip` output: interfaces with state, MTU and addresses, and the routing table; both as
/// `ip -j` JSON (iproute2 4.15 and later) and as the text of older iproute2 and busybox
/// (`ip -o link`, `ip -o addr`, `ip route`). Fixtures: Tests/Fixtures/collect/*ip-*.
///
/// Noise left out here, so two captures of an unchanged host are equal (docs/network.md):
/// IPv6 link-local addresses and fe80::/64 routes (derived from the link, renewed with it),
/// temporary (privacy) addresses, which rotate by design, address lifetimes, route expiry,
/// and local, broadcast and multicast routes (busybox lists table local's with `-6`).
enum NetworkParser {
    // MARK: interfaces

    /// `ip -j addr show`.
    static func interfacesJSON(_ text: String) -> (items: [NetworkInterface], notes: [String]) {
        guard let list = jsonArray(text) else { return ([], ["network: ip -j addr printed no JSON list"]) }
        var items: [NetworkInterface] = []
        for case let entry as [String: Any] in list {
            guard let name = entry["ifname"] as? String, !name.isEmpty else { continue }
            let flags = entry["flags"] as? [String] ?? []
            var addresses: [InterfaceAddress] = []
            for case let a as [String: Any] in entry["addr_info"] as? [Any] ?? [] {
                guard let family = a["family"] as? String, family == "inet" || family == "inet6",
                      let local = a["local"] as? String, let length = a["prefixlen"] as? Int else { continue }
                let scope = a["scope"] as? String ?? "global"
                if !keep(family: family, scope: scope, temporary: a["temporary"] as? Bool == true) { continue }
                addresses.append(InterfaceAddress(address: "\(local)/\(length)", scope: scope, dynamic: a["dynamic"] as? Bool == true))
            }
            items.append(NetworkInterface(name: name, state: InterfaceState(flags: flags), mtu: entry["mtu"] as? Int,
                                          addresses: sorted(addresses)))
        }
        return (items, [])
    }

    /// `ip -o link show` then `ip -o addr show`: one line per link, one per address.
    static func interfacesText(link: String, addr: String) -> (items: [NetworkInterface], notes: [String]) {
        var order: [String] = []
        var byName: [String: NetworkInterface] = [:]
        for line in link.lines() {
            // "3: eth0@veth9f3a2b1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc ..."
            let words = line.fields(32)
            guard words.count >= 3, words[0].hasSuffix(":"), words[1].hasSuffix(":"),
                  let open = words[2].firstIndex(of: "<"), let close = words[2].firstIndex(of: ">"), open < close else { continue }
            var name = String(words[1].dropLast())
            if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
            let flags = words[2][words[2].index(after: open)..<close].fields(44).map(String.init)
            let mtu = words.firstIndex(of: "mtu").flatMap { $0 + 1 < words.count ? Int(words[$0 + 1]) : nil }
            if byName[name] == nil { order.append(name) }
            byName[name] = NetworkInterface(name: name, state: InterfaceState(flags: flags), mtu: mtu)
        }
        var notes: [String] = []
        for line in addr.lines() {
            // "3: eth0    inet 192.0.2.11/24 brd 192.0.2.255 scope global secondary dynamic eth0\       valid_lft ..."
            let main = line.split(separator: "\\", maxSplits: 1).first ?? line
            let words = main.fields(32).filter { !$0.isEmpty }
            guard words.count >= 4, words[0].hasSuffix(":"), words[2] == "inet" || words[2] == "inet6" else { continue }
            var name = String(words[1])
            if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
            let family = String(words[2])
            var address = String(words[3])
            if words.count > 5, words[4] == "peer", let slash = words[5].firstIndex(of: "/") {
                address += String(words[5][slash...])
            }
            if !address.contains("/") { address += family == "inet" ? "/32" : "/128" }
            let rest = Set(words.dropFirst(4).map(String.init))
            let scope = words.firstIndex(of: "scope").flatMap { $0 + 1 < words.count ? String(words[$0 + 1]) : nil } ?? "global"
            // IFA_F_TEMPORARY is IFA_F_SECONDARY's bit: iproute2 says "temporary" for IPv6, busybox "secondary".
            let temporary = rest.contains("temporary") || (family == "inet6" && rest.contains("secondary"))
            guard keep(family: family, scope: scope, temporary: temporary) else { continue }
            guard byName[name] != nil else {
                notes.append("network: address \(address) on \(name), which ip -o link did not list")
                continue
            }
            byName[name]!.addresses.append(InterfaceAddress(address: address, scope: scope, dynamic: rest.contains("dynamic")))
        }
        return (order.compactMap { name in byName[name].map { var i = $0; i.addresses = sorted(i.addresses); return i } }, notes)
    }

    static func keep(family: String, scope: String, temporary: Bool) -> Bool {
        !(family == "inet6" && scope == "link") && !temporary
    }

    static func sorted(_ addresses: [InterfaceAddress]) -> [InterfaceAddress] {
        var seen = Set<String>()
        return addresses.filter { seen.insert($0.address).inserted }.sorted { $0.address < $1.address }
    }

    // MARK: routes

    /// Route types that say where traffic goes; the others (local, broadcast, multicast,
    /// anycast, nat) belong to table local and follow the addresses.
    static let keptTypes: Set<String> = ["unicast", "blackhole", "unreachable", "prohibit", "throw"]
    static let allTypes: Set<String> = keptTypes.union(["local", "broadcast", "multicast", "anycast", "nat"])

    /// `ip -j route show` (`family` is `inet` or `inet6`).
    static func routesJSON(_ text: String, family: String) -> (items: [Route], notes: [String]) {
        guard let list = jsonArray(text) else { return ([], ["network: ip -j route printed no JSON list"]) }
        return (routes(list, family: { _ in family }), [])
    }

    /// `ip -j route show table all`: both families and every table in one list, of which the main
    /// table's routes are kept (what `ip -f inet route show` and `ip -f inet6 route show` list).
    /// ip names no family there; the kernel sets RTA_PREF on every IPv6 route (Linux 4.1 and
    /// later) and ip prints it as `pref`, never for IPv4. Else an IPv6 destination or source says
    /// so; an IPv4 route through an IPv6 next hop (`via` with family inet6) stays IPv4.
    static func routesAllTablesJSON(_ text: String) -> (items: [Route], notes: [String]) {
        guard let list = jsonArray(text) else { return ([], ["network: ip -j route printed no JSON list"]) }
        let main = list.filter { r in
            guard let table = (r as? [String: Any])?["table"] else { return true }
            return table as? String == "main"
        }
        return (routes(main, family: family(of:)), [])
    }

    static func family(of r: [String: Any]) -> String {
        if r["pref"] != nil { return "inet6" }
        for key in ["dst", "prefsrc", "gateway"] {
            guard let text = r[key] as? String else { continue }
            if text.contains(":") { return "inet6" }
            if text.contains(".") { return "inet" }
        }
        return "inet"
    }

    private static func routes(_ list: [Any], family: ([String: Any]) -> String) -> [Route] {
        var items: [Route] = []
        for case let r as [String: Any] in list {
            guard let dst = r["dst"] as? String else { continue }
            let type = r["type"] as? String
            var route = Route(family: family(r), destination: dst, type: type == "unicast" ? nil : type,
                              gateway: gateway(r), device: r["dev"] as? String, metric: r["metric"] as? Int,
                              proto: r["protocol"] as? String)
            if let hops = r["nexthops"] as? [Any] {
                route.nexthops = hops.compactMap { $0 as? [String: Any] }.map { hop in
                    [gateway(hop).map { "via \($0)" }, (hop["dev"] as? String).map { "dev \($0)" }]
                        .compactMap { $0 }.joined(separator: " ")
                }
            }
            if keep(route) { items.append(route) }
        }
        return items
    }

    /// "gateway" (same family), or "via": {"family": "inet6", "host": ...} (IPv4 over an IPv6 next hop).
    private static func gateway(_ r: [String: Any]) -> String? {
        (r["gateway"] as? String) ?? ((r["via"] as? [String: Any])?["host"] as? String)
    }

    /// `ip route show` text, iproute2 or busybox; `nexthop` lines continue a multipath route.
    static func routesText(_ text: String, family: String) -> (items: [Route], notes: [String]) {
        var items: [Route] = []
        var notes: [String] = []
        var current: Route?
        func flush() { if let r = current, keep(r) { items.append(r) }; current = nil }
        for line in text.lines() {
            var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard !words.isEmpty else { continue }
            if words[0] == "nexthop", current != nil {
                let hop = values(Array(words.dropFirst()))
                current!.nexthops = (current!.nexthops ?? []) + [[hop["via"].map { "via \($0)" }, hop["dev"].map { "dev \($0)" }]
                    .compactMap { $0 }.joined(separator: " ")]
                continue
            }
            flush()
            var type: String?
            if allTypes.contains(words[0]) { type = words.removeFirst() }
            guard let dst = words.first else { continue }
            guard isDestination(dst) else {
                notes.append("network: route line not understood: \(line.prefix(120))")
                continue
            }
            let v = values(Array(words.dropFirst()))
            current = Route(family: family, destination: dst, type: type == "unicast" ? nil : type, gateway: v["via"],
                            device: v["dev"], metric: v["metric"].flatMap { Int($0) }, proto: v["proto"])
        }
        flush()
        return (items, notes)
    }

    /// "default", or an address or prefix (IPv4 or IPv6, digits, dots, colons and one slash):
    /// a route line starts with one, so a line that does not is no route.
    static func isDestination(_ word: String) -> Bool {
        if word == "default" { return true }
        let allowed = word.allSatisfy { $0.isHexDigit || $0 == "." || $0 == ":" || $0 == "/" }
        return allowed && word.contains(where: \.isNumber) && (word.contains(".") || word.contains(":"))
    }

    /// `key value` pairs of a route line; `via inet6 ADDR` (another family's gateway) included.
    private static func values(_ words: [String]) -> [String: String] {
        let keyed: Set<String> = ["via", "dev", "proto", "metric", "src", "scope", "table", "expires", "mtu", "pref",
                                  "weight", "error", "realm", "realms", "hoplimit", "advmss", "initcwnd", "initrwnd", "rto_min"]
        var out: [String: String] = [:]
        var i = 0
        while i < words.count {
            let w = words[i]
            if keyed.contains(w), i + 1 < words.count {
                if w == "via", ["inet", "inet6"].contains(words[i + 1]), i + 2 < words.count {
                    out[w] = words[i + 2]; i += 3; continue
                }
                if out[w] == nil { out[w] = words[i + 1] }
                i += 2
            } else {
                i += 1
            }
        }
        return out
    }

    static func keep(_ r: Route) -> Bool {
        if let type = r.type, !keptTypes.contains(type) { return false }
        if r.isIPv6 && (r.destination == "fe80::/64" || r.destination.hasPrefix("ff00::/8")) { return false }
        return true
    }

    /// Routes that are the subnet of an address on their device (what the kernel adds with the
    /// address) get proto `kernel`, also where `ip` does not say so (busybox): they are compared
    /// through that address, not as routes.
    static func markConnected(_ routes: [Route], interfaces: [NetworkInterface]) -> [Route] {
        var networks: [String: [(bytes: [UInt8], length: Int)]] = [:]
        for i in interfaces {
            for a in i.addresses { if let n = CIDR.parse(a.address) { networks[i.name, default: []].append(n) } }
        }
        return routes.map { r in
            guard r.proto == nil, r.gateway == nil, r.type == nil, let device = r.device,
                  let dst = CIDR.parse(r.destination) else { return r }
            let connected = (networks[device] ?? []).contains { a in
                a.length == dst.length && a.bytes.count == dst.bytes.count && CIDR.masked(a.bytes, a.length) == CIDR.masked(dst.bytes, dst.length)
            }
            var out = r
            if connected { out.proto = "kernel" }
            return out
        }
    }

    private static func jsonArray(_ text: String) -> [Any]? {
        guard let data = text.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [Any]
    }
}

/// "192.0.2.0/24", "2001:db8::/64", a bare address (a host route) as bytes and prefix length.
enum CIDR {
    static func parse(_ text: String) -> (bytes: [UInt8], length: Int)? {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first else { return nil }
        let v6 = first.contains(":")
        var bytes = [UInt8](repeating: 0, count: v6 ? 16 : 4)
        let ok = String(first).withCString { s in bytes.withUnsafeMutableBytes { inet_pton(v6 ? AF_INET6 : AF_INET, s, $0.baseAddress) } }
        guard ok == 1 else { return nil }
        let length = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
        guard let length, (0...bytes.count * 8).contains(length) else { return nil }
        return (bytes, length)
    }

    static func masked(_ bytes: [UInt8], _ length: Int) -> [UInt8] {
        bytes.enumerated().map { i, b in
            let keep = max(0, min(8, length - i * 8))
            return keep == 8 ? b : b & UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
        }
    }
}
