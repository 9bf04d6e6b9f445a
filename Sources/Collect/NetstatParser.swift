import Foundation
import Model

/// `netstat -tulnpe` (the fallback when ss is missing) and `netstat -lnp` captures.
/// With -e two columns (User, Inode) come before "PID/Program name"; the header says which.
/// UDP rows have an empty State column, so columns are counted per protocol.
enum NetstatParser {
    static func parse(_ text: String) -> (items: [SocketRow], notes: [String]) {
        var items: [SocketRow] = []
        var hasInode = false
        for raw in text.lines() {
            let tokens = Tokens(String(raw))
            guard let proto = tokens.word(0) else { continue }
            if proto == "Proto" { hasInode = tokens.words.contains("Inode"); continue }
            let kind: SocketProtocol
            switch proto {
            case "tcp": kind = .tcp
            case "tcp6": kind = .tcp6
            case "udp": kind = .udp
            case "udp6": kind = .udp6
            default: continue
            }
            let isTCP = kind == .tcp || kind == .tcp6
            if isTCP && tokens.word(5) != "LISTEN" { continue }
            guard let local = tokens.word(3),
                  let (address, portText) = SocketAddress.splitEndpoint(Substring(local)),
                  let port = Int(portText) else { continue }
            let base = isTCP ? 6 : 5
            let programIndex = base + (hasInode ? 2 : 0)
            let inode = hasInode ? tokens.word(base + 1) : nil
            var process: String?
            var pid: Int?
            if let holder = tokens.rest(from: programIndex), let slash = holder.firstIndex(of: "/") {
                pid = Int(holder[..<slash])
                let name = holder[holder.index(after: slash)...].trimmingCharacters(in: .whitespaces)
                process = name.isEmpty ? nil : name
            }
            items.append(SocketRow(socket: ListeningSocket(protocol: kind, address: address, port: port,
                                                           process: pid == nil ? nil : process, pid: pid),
                                   inode: inode))
        }
        return (items, [])
    }
}
