import Model

/// /proc/net/{tcp,tcp6,udp,udp6}: the kernel's own socket tables, readable without root.
///
/// Addresses are hex words in host byte order: IPv4 is one 32-bit word ("0100007F" is
/// 127.0.0.1 on a little-endian CPU), IPv6 four words each in host order. Ports are plain
/// big-endian hex. Listening TCP is state 0A; a bound, unconnected UDP socket is state 07.
enum ProcNetParser {
    static func parse(_ text: String, protocol proto: SocketProtocol, bigEndian: Bool = false)
        -> (items: [SocketRow], notes: [String]) {
        let wantState = (proto == .tcp || proto == .tcp6) ? "0A" : "07"
        let v6 = proto == .tcp6 || proto == .udp6
        var items: [SocketRow] = []
        var bad = 0
        for line in text.lines() {
            let f = line.fields(32)
            // Rows start with "N:"; the header starts with "sl".
            guard f.count >= 10, f[0].hasSuffix(":"), f[3] == wantState else { continue }
            let local = f[1].split(separator: ":")
            guard local.count == 2, let port = Int(local[1], radix: 16),
                  let address = decode(local[0], v6: v6, bigEndian: bigEndian) else { bad += 1; continue }
            items.append(SocketRow(socket: ListeningSocket(protocol: proto, address: address, port: port),
                                   inode: String(f[9])))
        }
        let notes = bad > 0 ? ["sockets: \(bad) rows of /proc/net/\(proto.rawValue) not understood"] : []
        return (items, notes)
    }

    static func decode(_ hex: Substring, v6: Bool, bigEndian: Bool) -> String? {
        if !v6 {
            return SocketAddress.bytes(ofWord: hex, bigEndian: bigEndian).map(SocketAddress.ipv4)
        }
        guard hex.count == 32 else { return nil }
        var bytes: [UInt8] = []
        var i = hex.startIndex
        for _ in 0..<4 {
            let j = hex.index(i, offsetBy: 8)
            guard let word = SocketAddress.bytes(ofWord: hex[i..<j], bigEndian: bigEndian) else { return nil }
            bytes += word
            i = j
        }
        return SocketAddress.ipv6(bytes)
    }
}
