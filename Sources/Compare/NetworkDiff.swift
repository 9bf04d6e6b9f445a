import Model

/// Interfaces and routes: one checked item per interface and per route destination in either
/// snapshot, after the noise rules (docs/network.md): interfaces matching
/// ``IgnoreRules/defaultInterfaces`` or `ignore: interfaces` are not compared, nor are routes
/// through them; a route the kernel derives from an address (proto kernel) is compared as that
/// address. An interface that went down or away is one finding, with the addresses it took along.
enum NetworkDiff {
    static func items(baseline: Snapshot, current: Snapshot, maker: FindingMaker) -> [CheckedItem] {
        let ignore = IgnoreRules.defaultInterfaces + maker.rules.ignore[.network]
        func kept(_ name: String?) -> Bool { name.map { !Glob.any(ignore, $0) } ?? true }
        var items: [CheckedItem] = []
        var before: [String: NetworkInterface] = [:]
        for i in baseline.interfaces where kept(i.name) { before[i.name] = i }
        for c in current.interfaces where kept(c.name) {
            items.append(maker.item(.network, c.name, findings(before.removeValue(forKey: c.name), c, maker)))
        }
        for b in before.values {
            let found = b.state == .up
                ? [maker.make(.interfaceDown, b.name, before: "up", after: "gone", "\(b.name) is gone, was up\(carried(b.addresses))")] : []
            items.append(maker.item(.network, b.name, found))
        }
        return items + routeItems(baseline.routes, current.routes, kept: { r in kept(r.device) }, maker)
    }

    static func findings(_ b: NetworkInterface?, _ c: NetworkInterface, _ maker: FindingMaker) -> [Finding] {
        guard let b else { return c.addresses.map { added($0, c, maker) } }
        var out: [Finding] = []
        let now = Set(c.addresses.map(\.address))
        let lost = b.addresses.filter { !now.contains($0.address) }
        if b.state == .up && c.state != .up {
            out.append(maker.make(.interfaceDown, c.name, before: "up", after: c.state.rawValue,
                                  "\(c.name) is \(c.state == .down ? "down" : "up without a carrier (no link)") now, was up\(carried(lost))"))
        } else {
            for a in lost {
                let how = a.dynamic ? " (a dynamic address: DHCP or SLAAC gave it)" : ""
                out.append(maker.make(.addressLost, "\(c.name) \(a.address)", before: a.address,
                                      "\(a.address) is no longer on \(c.name)\(how)"))
            }
        }
        if let old = b.mtu, let new = c.mtu, old != new {
            out.append(maker.make(.mtuChanged, c.name, before: String(old), after: String(new), "\(c.name) MTU is \(new) now, was \(old)"))
        }
        let had = Set(b.addresses.map(\.address))
        out += c.addresses.filter { !had.contains($0.address) }.map { added($0, c, maker) }
        return out
    }

    static func added(_ a: InterfaceAddress, _ i: NetworkInterface, _ maker: FindingMaker) -> Finding {
        maker.make(.addressAdded, "\(i.name) \(a.address)", after: a.address, "\(i.name) carries \(a.address), new since the baseline")
    }

    static func carried(_ addresses: [InterfaceAddress]) -> String {
        addresses.isEmpty ? "" : " (its addresses \(addresses.map(\.address).joined(separator: ", ")) went with it)"
    }

    /// One item per route destination and family; the paths of all its routes compared as a set.
    static func routeItems(_ baseline: [Route], _ current: [Route], kept: (Route) -> Bool, _ maker: FindingMaker) -> [CheckedItem] {
        func group(_ routes: [Route]) -> [String: [Route]] {
            Dictionary(grouping: routes.filter { $0.proto != "kernel" && kept($0) }, by: subject)
        }
        let before = group(baseline), after = group(current)
        var items: [CheckedItem] = []
        for (key, routes) in after {
            guard let old = before[key] else { items.append(maker.item(.network, key)); continue }
            let was = paths(old), now = paths(routes)
            let found = was == now ? [] : [maker.make(.routeChanged, key, before: was, after: now, "\(key) goes \(now) now, was \(was)")]
            items.append(maker.item(.network, key, found))
        }
        for (key, old) in before where after[key] == nil {
            let kind: FindingKind = old[0].isDefault ? .defaultRouteLost : .routeChanged
            items.append(maker.item(.network, key, [maker.make(kind, key, before: paths(old), after: "gone", "\(key) (\(paths(old))) is gone")]))
        }
        return items
    }

    /// "default route (IPv4)", "route 10.99.0.0/16", "route fd00:1::/64".
    static func subject(_ r: Route) -> String {
        r.isDefault ? "default route (\(r.isIPv6 ? "IPv6" : "IPv4"))" : "route \(r.destination)"
    }

    static func paths(_ routes: [Route]) -> String {
        Set(routes.map(\.path)).sorted().joined(separator: " | ")
    }
}
