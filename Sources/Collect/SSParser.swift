import Model

/// `ss -tulpne` (what the collector runs), and also `ss -a` / `ss -tulpen` captures:
/// only TCP in LISTEN and UDP in UNCONN are kept; netlink, unix, raw and connected rows are skipped.
///
/// Quirks handled: service names instead of ports when ss ran without -n (CentOS 7 `ss -a`:
/// "*:ssh"); "*" as the wildcard address (older ss: IPv4 any; newer ss: a dual-stack IPv6 socket,
/// marked "v6only:0" by -e); "%iface" scopes; process lists with several holders.
enum SSParser {
    static func parse(_ text: String) -> (items: [SocketRow], notes: [String]) {
        var items: [SocketRow] = []
        var unknownPorts: Set<String> = []
        for raw in text.lines() {
            let line = String(raw)
            let tokens = Tokens(line)
            guard tokens.count >= 5, let netid = tokens.word(0), let state = tokens.word(1) else { continue }
            let isTCP = netid == "tcp" && state == "LISTEN"
            let isUDP = netid == "udp" && state == "UNCONN"
            guard isTCP || isUDP, let local = tokens.word(4),
                  let (rawAddress, portText) = SocketAddress.splitEndpoint(Substring(local)) else { continue }
            guard let port = Int(portText) ?? PortNames.number(String(portText)) else {
                unknownPorts.insert(String(portText)); continue
            }
            let words = tokens.words
            let dualStack = words.contains("v6only:0")
            var address = rawAddress
            var v6 = address.contains(":")
            if address == "*" {
                v6 = dualStack
                address = v6 ? "::" : "0.0.0.0"
            }
            let proto: SocketProtocol = isTCP ? (v6 ? .tcp6 : .tcp) : (v6 ? .udp6 : .udp)
            let holder = processes(in: line).flatMap(ProcessHolders.representative)
            let inode = words.first { $0.hasPrefix("ino:") }.map { String($0.dropFirst(4)) }
            items.append(SocketRow(socket: ListeningSocket(protocol: proto, address: address, port: port,
                                                           process: holder?.name, pid: holder?.pid),
                                   inode: inode))
        }
        var notes: [String] = []
        if !unknownPorts.isEmpty {
            notes.append("sockets: ss printed unknown service names \(unknownPorts.sorted().joined(separator: ", ")) (run ss with -n)")
        }
        return (items, notes)
    }

    /// `users:(("name",pid=1,fd=3),("other",pid=2,fd=4))` -> [(name, pid)]. Names may hold spaces
    /// and commas, so the quoted name is read up to `",pid=`.
    static func processes(in line: String) -> [(name: String, pid: Int)]? {
        guard let start = ByteSearch.range(of: "users:((", in: line[...]) else { return nil }
        var rest = line[start.upperBound...]
        var out: [(name: String, pid: Int)] = []
        while rest.hasPrefix("\"") || rest.hasPrefix("(\"") {
            if rest.hasPrefix("(") { rest = rest.dropFirst() }
            rest = rest.dropFirst()
            guard let end = ByteSearch.range(of: "\",pid=", in: rest) else { break }
            let name = String(rest[..<end.lowerBound])
            rest = rest[end.upperBound...]
            let digits = rest.prefix { $0.isNumber }
            guard let pid = Int(digits) else { break }
            out.append((name: name, pid: pid))
            guard let close = rest.firstIndex(of: ")") else { break }
            rest = rest[rest.index(after: close)...]
            if rest.hasPrefix(",") { rest = rest.dropFirst() } else { break }
        }
        return out.isEmpty ? nil : out
    }
}

/// Which of several processes holding one socket to name, chosen so that it stays the same
/// while workers come and go: ss lists holders newest pid first, and pids wrap, so neither
/// order nor pid means "parent". The alphabetically first name wins, pid 1's systemd (holding
/// the socket for activation) only when nothing else does; the pid is that name's lowest.
enum ProcessHolders {
    static func representative(_ holders: [(name: String, pid: Int)]) -> (name: String, pid: Int)? {
        let candidates = holders.count > 1 ? holders.filter { !($0.name == "systemd" && $0.pid == 1) } : holders
        let pool = candidates.isEmpty ? holders : candidates
        guard let name = pool.map(\.name).min() else { return nil }
        let pid = pool.filter { $0.name == name }.map(\.pid).min() ?? 0
        return (name, pid)
    }
}
