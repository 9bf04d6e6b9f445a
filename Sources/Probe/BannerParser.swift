import Foundation
import Model

/// What a server said first (or in answer to a service's own handshake), as protocol, product
/// and version. Pure, total: any bytes give an answer, "unknown" when nothing is recognised.
/// Every string is sanitized and bounded; the version is kept apart because patches change it
/// (`VolatileFields`: compared only with `rules: { endpoint_versions: true }`).
public enum BannerParser {
    /// How much of a greeting is kept in `BannerInfo.line`.
    static let lineLimit = 200

    /// `bytes`: what the server sent first. `port` helps where the text alone is ambiguous (a bare
    /// "220 Welcome" is FTP on 21, SMTP on 25). `after`: the handshake the probe sent first, whose
    /// reply this is (Redis, PostgreSQL).
    public static func parse(_ bytes: [UInt8], port: Int? = nil, after handshake: EndpointPlan.Handshake? = nil) -> BannerInfo? {
        guard !bytes.isEmpty else { return nil }
        switch handshake {
        case .redis?: return redisReply(bytes)
        case .postgres?: return postgresReply(bytes)
        case .ssh?, nil: break
        }
        if let mysql = mysqlGreeting(bytes) { return mysql }
        if bytes.first == 0xFF { return BannerInfo(proto: "telnet", line: Sanitize.text(bytes, limit: 60)) }
        let line = Sanitize.firstLine(bytes, limit: lineLimit)
        if line.hasPrefix("SSH-") { return ssh(line) }
        if line.hasPrefix("220 ") || line.hasPrefix("220-") || line == "220" { return code220(line, port: port) }
        if line.hasPrefix("* OK") { return named(proto: "imap", line, products: imapProducts) }
        if line.hasPrefix("+OK") { return named(proto: "pop3", line, products: pop3Products) }
        if line.hasPrefix("RFB ") { return BannerInfo(proto: "vnc", version: rfbVersion(line), line: line) }
        if line.hasPrefix("@RSYNCD: ") {
            return BannerInfo(proto: "rsync", version: String(line.dropFirst(9)).trimmingSpaces(), line: line)
        }
        if line.hasPrefix("HTTP/1.") || line.hasPrefix("HTTP/2") { return BannerInfo(proto: "http", line: line) }
        if line.hasPrefix(":"), line.contains(" NOTICE ") { return BannerInfo(proto: "irc", line: line) }
        return BannerInfo(proto: "unknown", line: line)
    }

    /// True when `bytes` hold a whole greeting: a line break, a complete (or impossible) MySQL
    /// packet, or `limit` bytes. Lets the probe stop reading at once instead of waiting out its wait.
    public static func isComplete(_ bytes: [UInt8], limit: Int) -> Bool {
        guard !bytes.isEmpty else { return false }
        if bytes.count >= limit { return true }
        // A MySQL greeting starts with a packet header and protocol 10, which is a line feed byte:
        // it is whole when its packet is.
        switch MySQLWire.decodeGreeting(bytes) {
        case .done: return true
        case .needMore where bytes.count >= 5 && bytes[3] == 0 && [0x0A, 0x09, 0xFF].contains(bytes[4]): return false
        default: break
        }
        if bytes.contains(0x0A) { return true }
        return bytes.first == 0xFF && bytes.count >= 3  // telnet negotiation: no line follows
    }

    // MARK: SSH

    /// "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3" -> ssh / OpenSSH / 9.2p1 (RFC 4253: the software
    /// version ends at the first space; comments follow). "SSH-2.0-dropbear_2022.83",
    /// "SSH-2.0-Cisco-1.25", "SSH-2.0-Go".
    static func ssh(_ line: String) -> BannerInfo {
        let afterProtocol = line.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        guard afterProtocol.count == 3 else { return BannerInfo(proto: "ssh", line: line) }
        let software = afterProtocol[2].split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
        let (product, version) = splitSoftware(software)
        return BannerInfo(proto: "ssh", product: product, version: version, line: line)
    }

    /// "OpenSSH_9.2p1" -> ("OpenSSH", "9.2p1"); "Cisco-1.25" -> ("Cisco", "1.25"); "Go" -> ("Go", nil).
    static func splitSoftware(_ software: String) -> (String?, String?) {
        guard !software.isEmpty else { return (nil, nil) }
        if let underscore = software.firstIndex(of: "_") {
            let name = String(software[..<underscore]), rest = String(software[software.index(after: underscore)...])
            return (name.isEmpty ? nil : name, rest.isEmpty ? nil : rest)
        }
        if let dash = software.lastIndex(of: "-"), software[software.index(after: dash)...].first?.isNumber == true {
            return (String(software[..<dash]), String(software[software.index(after: dash)...]))
        }
        return (software, nil)
    }

    // MARK: 220: SMTP or FTP

    static let smtpProducts: [(match: String, name: String)] = [
        ("Postfix", "Postfix"), ("Exim", "Exim"), ("Sendmail", "Sendmail"), ("OpenSMTPD", "OpenSMTPD"),
        ("Microsoft ESMTP", "Microsoft"), ("qmail", "qmail"), ("Haraka", "Haraka"), ("MailEnable", "MailEnable"),
    ]
    static let ftpProducts: [(match: String, name: String)] = [
        ("vsFTPd", "vsFTPd"), ("ProFTPD", "ProFTPD"), ("Pure-FTPd", "Pure-FTPd"), ("FileZilla", "FileZilla"),
        ("Microsoft FTP", "Microsoft"), ("wu-", "wu-ftpd"),
    ]
    static let imapProducts: [(match: String, name: String)] = [
        ("Dovecot", "Dovecot"), ("Cyrus", "Cyrus"), ("Courier-IMAP", "Courier"), ("Zimbra", "Zimbra"),
        ("Microsoft Exchange", "Microsoft"),
    ]
    static let pop3Products: [(match: String, name: String)] = [
        ("Dovecot", "Dovecot"), ("Cyrus", "Cyrus"), ("Courier", "Courier"), ("Zimbra", "Zimbra"),
        ("Microsoft Exchange", "Microsoft"),
    ]

    /// "220 mail.example.test ESMTP Postfix (Debian/GNU)", "220 (vsFTPd 3.0.3)".
    static func code220(_ line: String, port: Int?) -> BannerInfo {
        let lower = line.lowercased()
        if smtpProducts.contains(where: { line.contains($0.match) }) || lower.contains("smtp") {
            return named(proto: "smtp", line, products: smtpProducts)
        }
        if ftpProducts.contains(where: { line.contains($0.match) }) || lower.contains("ftp") {
            return named(proto: "ftp", line, products: ftpProducts)
        }
        switch port {
        case 21?, 990?: return named(proto: "ftp", line, products: ftpProducts)
        case 25?, 465?, 587?, 2525?: return named(proto: "smtp", line, products: smtpProducts)
        default: return BannerInfo(proto: "unknown", line: line)
        }
    }

    /// The first product of `products` named in `line`, with the version-looking word after it
    /// ("Exim 4.96", "vsFTPd 3.0.3", "Sendmail 8.17.1.9/8.17.1.9" -> "8.17.1.9", "Cyrus IMAP 3.6.1-Debian" -> "3.6.1").
    static func named(proto: String, _ line: String, products: [(match: String, name: String)]) -> BannerInfo {
        for (match, name) in products {
            guard let range = line.range(of: match) else { continue }
            var rest = line[range.upperBound...]
            // "ProFTPD 1.3.8 Server", "Cyrus IMAP v3.6.0", "Exim 4.96".
            rest = rest.drop(while: { $0 != " " && $0 != "/" })
            let words = rest.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ")" || $0 == ";" || $0 == "," })
            let version = words.prefix(2).map { $0.hasPrefix("v") ? $0.dropFirst() : $0 }
                .first { $0.first?.isNumber == true && $0.contains(".") }
                .map { String($0.split(whereSeparator: { $0 == "/" || $0 == "-" }).first ?? $0) }
            return BannerInfo(proto: proto, product: name, version: version, line: line)
        }
        return BannerInfo(proto: proto, line: line)
    }

    // MARK: binary greetings and handshake replies

    /// MySQL/MariaDB's initial handshake packet (protocol 10): the server version is in it.
    /// "5.5.5-10.11.6-MariaDB-0+deb12u1" -> mysql / MariaDB / 10.11.6.
    static func mysqlGreeting(_ bytes: [UInt8]) -> BannerInfo? {
        guard case .done(let greeting, _) = MySQLWire.decodeGreeting(bytes) else { return nil }
        switch greeting {
        case .handshake(let protocolVersion, let serverVersion, _):
            let product = serverVersion.contains("MariaDB") ? "MariaDB" : "MySQL"
            let number = serverVersion.split(separator: "-").first.map(String.init)
            return BannerInfo(proto: "mysql", product: product, version: number,
                              line: Sanitize.text("protocol \(protocolVersion), server \(serverVersion)", limit: lineLimit))
        case .error(let code, let message):
            return BannerInfo(proto: "mysql", line: Sanitize.text("error \(code): \(message)", limit: lineLimit))
        }
    }

    /// The reply to an inline PING: "+PONG", "-NOAUTH Authentication required.", "-DENIED ...".
    static func redisReply(_ bytes: [UInt8]) -> BannerInfo {
        let line = Sanitize.firstLine(bytes, limit: lineLimit)
        let isRESP = line.hasPrefix("+") || line.hasPrefix("-")
        return BannerInfo(proto: isRESP ? "redis" : "unknown", product: isRESP ? "Redis" : nil, line: line)
    }

    /// The one-byte reply to SSLRequest: 'S' (TLS offered), 'N' (not offered); 'E' from servers
    /// older than 7.0 that do not know the request.
    static func postgresReply(_ bytes: [UInt8]) -> BannerInfo {
        switch bytes.first {
        case UInt8(ascii: "S"): return BannerInfo(proto: "postgres", product: "PostgreSQL", line: "SSLRequest: S (TLS offered)")
        case UInt8(ascii: "N"): return BannerInfo(proto: "postgres", product: "PostgreSQL", line: "SSLRequest: N (no TLS)")
        case UInt8(ascii: "E"): return BannerInfo(proto: "postgres", product: "PostgreSQL", line: "SSLRequest: E (error)")
        default: return BannerInfo(proto: "unknown", line: Sanitize.text(bytes, limit: 60))
        }
    }

    /// "RFB 003.008" -> "3.8".
    static func rfbVersion(_ line: String) -> String? {
        let parts = line.dropFirst(4).split(separator: ".")
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        return "\(major).\(minor)"
    }
}
