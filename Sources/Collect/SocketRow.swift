import Model

/// A listening socket as one source saw it, with the kernel inode when that source shows it:
/// the inode ties /proc/net's rows to the process names ss or netstat found.
struct SocketRow: Equatable {
    var socket: ListeningSocket
    var inode: String?
}

/// Byte order and text form of the addresses the sources print.
enum SocketAddress {
    /// CPU architectures (`uname -m`) that store words big-endian; /proc/net prints raw words.
    static let bigEndianArchs: Set<String> = ["s390x", "s390", "ppc64", "ppc", "sparc64", "sparc",
                                              "mips", "mips64", "m68k", "parisc", "parisc64", "armeb"]

    /// The four network-order bytes of one /proc/net hex word (8 hex digits, host byte order).
    static func bytes(ofWord hex: Substring, bigEndian: Bool) -> [UInt8]? {
        guard hex.count == 8, let v = UInt32(hex, radix: 16) else { return nil }
        let be: [UInt8] = [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)]
        return bigEndian ? be : be.reversed()
    }

    static func ipv4(_ b: [UInt8]) -> String { b.map(String.init).joined(separator: ".") }

    /// RFC 5952 text: lower case, no leading zeros, the longest run (2+) of zero groups as "::",
    /// an IPv4-mapped address as "::ffff:a.b.c.d" (what inet_ntop and ss print).
    static func ipv6(_ b: [UInt8]) -> String {
        guard b.count == 16 else { return "" }
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff {
            return "::ffff:" + ipv4(Array(b[12..<16]))
        }
        let groups = (0..<8).map { Int(b[2 * $0]) << 8 | Int(b[2 * $0 + 1]) }
        var bestStart = -1, bestLen = 0, runStart = -1
        for i in 0...8 {
            if i < 8 && groups[i] == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                if i - runStart > bestLen { bestStart = runStart; bestLen = i - runStart }
                runStart = -1
            }
        }
        func hex(_ range: Range<Int>) -> String { groups[range].map { String($0, radix: 16) }.joined(separator: ":") }
        guard bestLen >= 2 else { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLen)..<8)
    }

    /// Splits "addr:port", "[v6]:port", "addr%iface:port" as ss and netstat print them.
    /// The interface scope is dropped (/proc/net, the reference list, does not show it).
    static func splitEndpoint(_ text: Substring) -> (address: String, port: Substring)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var address = text[..<colon]
        let port = text[text.index(after: colon)...]
        if address.hasPrefix("["), address.hasSuffix("]") { address = address.dropFirst().dropLast() }
        if let percent = address.firstIndex(of: "%") { address = address[..<percent] }
        if address.hasPrefix("["), address.hasSuffix("]") { address = address.dropFirst().dropLast() }
        return (String(address), port)
    }
}
