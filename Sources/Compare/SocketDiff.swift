import Model

/// Sockets: one checked item per endpoint ("tcp 0.0.0.0:80") in either snapshot, after the noise
/// rules: ports in either snapshot's ephemeral range are dropped (outgoing connections' and
/// RPC daemons' random ports), so are ignored endpoints. Identity is protocol, address and
/// port: a restarted daemon (new pid) on the same endpoint is unchanged. Several sockets on one
/// endpoint (SO_REUSEPORT workers, two dhclients on udp 0.0.0.0:68) count as one.
enum SocketDiff {
    /// An endpoint and the process names seen on it.
    struct Endpoint {
        var socket: ListeningSocket
        var processes: [String]
        var label: String { processes.isEmpty ? socket.endpoint : "\(socket.endpoint) (\(processes.joined(separator: ", ")))" }
    }

    static func items(baseline: Snapshot, current: Snapshot, maker: FindingMaker) -> [CheckedItem] {
        let ranges = [baseline.ephemeralPortRange, current.ephemeralPortRange].compactMap { $0 }
        let ignore = maker.rules.ignore[.sockets]
        func keep(_ s: ListeningSocket) -> Bool {
            if ranges.contains(where: { $0.contains(s.port) }) { return false }
            return ignore.isEmpty || !Glob.any(ignore, s.endpoint, String(s.port))
        }
        let before = index(baseline.sockets, keep)
        let after = index(current.sockets, keep)

        var items: [CheckedItem] = []
        var consumed = Set<String>()
        for (key, b) in before {
            guard let c = after[key] else { continue }
            var found: [Finding] = []
            if !b.processes.isEmpty && !c.processes.isEmpty && b.processes != c.processes {
                let was = b.processes.joined(separator: ", "), now = c.processes.joined(separator: ", ")
                found.append(maker.make(.socketProcessChanged, key, before: was, after: now,
                                        "\(key) is now held by \(now), was \(was)"))
            }
            items.append(maker.item(.sockets, key, found))
        }
        for (key, b) in before where after[key] == nil {
            items.append(maker.item(.sockets, key, [gone(b, after, &consumed, maker)]))
        }
        for (key, c) in after where before[key] == nil && !consumed.contains(key) {
            let verb = isUDP(c.socket) ? "newly bound" : "newly listening"
            items.append(maker.item(.sockets, key, [maker.make(.socketOpened, key, after: c.label, "\(c.label) \(verb)")]))
        }
        return items
    }

    /// The finding for a baseline endpoint missing now: a family change when the same port is
    /// served by the other family's wildcard, else a closed socket.
    static func gone(_ b: Endpoint, _ after: [String: Endpoint], _ consumed: inout Set<String>,
                     _ maker: FindingMaker) -> Finding {
        let key = b.socket.endpoint
        if let twin = wildcardTwin(b.socket), let c = after[twin] {
            consumed.insert(twin)
            // 0.0.0.0 -> [::]: a dual-stack [::] socket (the Linux default, bindv6only=0)
            // still accepts IPv4 clients, so nothing is lost.
            if b.socket.address == "0.0.0.0" {
                return maker.make(.socketFamilyChanged, key, before: key, after: twin,
                                  "\(b.label) is now served by \(c.label)")
            }
            // [::] -> 0.0.0.0: IPv6 clients can no longer connect.
            return maker.make(.socketClosed, key, before: b.label, after: twin,
                              "\(b.label) no longer \(isUDP(b.socket) ? "bound" : "listening") (now only \(c.label), IPv4)")
        }
        return maker.make(.socketClosed, key, before: b.label,
                          "\(b.label) no longer \(isUDP(b.socket) ? "bound" : "listening")")
    }

    /// "tcp 0.0.0.0:22" <-> "tcp6 [::]:22", likewise for udp; nil for other addresses.
    static func wildcardTwin(_ s: ListeningSocket) -> String? {
        var twin = s
        switch (s.protocol, s.address) {
        case (.tcp, "0.0.0.0"): twin.protocol = .tcp6; twin.address = "::"
        case (.udp, "0.0.0.0"): twin.protocol = .udp6; twin.address = "::"
        case (.tcp6, "::"): twin.protocol = .tcp; twin.address = "0.0.0.0"
        case (.udp6, "::"): twin.protocol = .udp; twin.address = "0.0.0.0"
        default: return nil
        }
        return twin.endpoint
    }

    static func isUDP(_ s: ListeningSocket) -> Bool { s.protocol == .udp || s.protocol == .udp6 }

    static func index(_ sockets: [ListeningSocket], _ keep: (ListeningSocket) -> Bool) -> [String: Endpoint] {
        var out = [String: Endpoint](minimumCapacity: sockets.count)
        for s in sockets where keep(s) {
            let key = s.endpoint
            var e = out[key] ?? Endpoint(socket: s, processes: [])
            if let p = s.process, !p.isEmpty, !e.processes.contains(p) {
                e.processes.append(p)
                e.processes.sort()
            }
            out[key] = e
        }
        return out
    }
}
