import Foundation

/// Checks the values of the keywords PostPatch honours, with ssh's rules and ssh's words.
/// A bad value gives a message (the caller prefixes `file:line:`) and the line is ignored;
/// ssh would refuse the whole file instead.
enum SSHConfigValues {
    typealias Checked = Result<SSHOption, SSHValueProblem>

    static func option(_ name: String, _ line: SSHConfigLine) -> Checked {
        let args = line.args
        switch name {
        case "ProxyJump": return proxyJump(line.raw)
        case "ProxyCommand":
            return line.raw.isEmpty ? .failure("ProxyCommand: missing argument") : .success(.proxyCommand(line.raw))
        case "UserKnownHostsFile": return knownHosts(args)
        default: break
        }
        guard let value = args.first, !value.isEmpty else { return .failure("\(name): missing argument") }
        if args.count > 1 { return .failure("\(name): extra arguments at end of line") }
        switch name {
        case "HostName": return .success(.hostName(value))
        case "User": return .success(.user(value))
        case "IdentityFile": return .success(.identityFile(value))
        case "HostKeyAlias": return .success(.hostKeyAlias(value))
        case "Port":
            guard let port = port(value) else { return .failure("Port: bad port '\(value)'; use a number from 1 to 65535") }
            return .success(.port(port))
        case "IdentitiesOnly":
            guard let flag = flag(value) else { return .failure("IdentitiesOnly: '\(value)' is not yes or no") }
            return .success(.identitiesOnly(flag))
        case "StrictHostKeyChecking":
            guard let mode = strictMode(value) else {
                return .failure("StrictHostKeyChecking: '\(value)' is not yes, no, ask, accept-new or off")
            }
            return .success(.strictHostKeyChecking(mode))
        case "ConnectTimeout":
            if value == "none" { return .success(.connectTimeout(nil)) }
            guard let seconds = seconds(value) else {
                return .failure("ConnectTimeout: invalid time value '\(value)'; use seconds, e.g. 10 or 1m30s")
            }
            return .success(.connectTimeout(seconds))
        case "CanonicalizeHostname":
            switch value.lowercased() {
            case "yes", "true", "always": return .success(.canonicalizeHostname(true))
            case "no", "false": return .success(.canonicalizeHostname(false))
            default: return .failure("CanonicalizeHostname: unsupported option '\(value)'")
            }
        default:
            return .success(.notHonoured(name))
        }
    }

    /// ssh's a2port: 1...65535; of the service names ssh would look up, only `ssh` (22) is known here.
    static func port(_ text: String) -> Int? {
        if text == "ssh" { return 22 }
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let n = Int(text), (1...65535).contains(n) else { return nil }
        return n
    }

    static func flag(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "yes", "true": return true
        case "no", "false": return false
        default: return nil
        }
    }

    static func strictMode(_ text: String) -> String? {
        switch text.lowercased() {
        case "yes", "true": return "yes"
        case "no", "false", "off": return "no"
        case "ask": return "ask"
        case "accept-new": return "accept-new"
        default: return nil
        }
    }

    /// ssh's convtime: `90`, `1m30s`, `2h`; units s m h d w, either case. nil if invalid or
    /// beyond Int32 (ssh's limit).
    static func seconds(_ text: String) -> Int? {
        var total = 0
        var number: Int? = nil
        for byte in text.utf8 {
            if byte >= 0x30 && byte <= 0x39 {
                let next = (number ?? 0) * 10 + Int(byte - 0x30)
                if next > Int(Int32.max) { return nil }
                number = next
                continue
            }
            guard let n = number else { return nil }
            let unit: Int
            switch byte | 0x20 {
            case 0x73: unit = 1  // s
            case 0x6D: unit = 60  // m
            case 0x68: unit = 3600  // h
            case 0x64: unit = 86400  // d
            case 0x77: unit = 604_800  // w
            default: return nil
            }
            total += n * unit
            if total > Int(Int32.max) { return nil }
            number = nil
        }
        if let n = number { total += n }
        if text.isEmpty || total > Int(Int32.max) { return nil }
        return total
    }

    private static func knownHosts(_ args: [String]) -> Checked {
        if args.isEmpty { return .failure("UserKnownHostsFile: missing argument") }
        if args.contains("") { return .failure("UserKnownHostsFile: empty argument") }
        if args.count > 1, args.contains(where: { $0.lowercased() == "none" }) {
            return .failure("UserKnownHostsFile: \"none\" must appear alone")
        }
        return .success(.userKnownHostsFiles(args))
    }

    /// The raw text after the keyword, as ssh's parse_jump reads it: a `#` ends it.
    private static func proxyJump(_ raw: String) -> Checked {
        var text = Substring(raw)
        if let hash = text.firstIndex(of: "#") { text = text[..<hash] }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .failure("ProxyJump: missing argument") }
        if trimmed.lowercased() == "none" { return .success(.proxyJump([])) }
        var hops: [String] = []
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let hop = part.trimmingCharacters(in: .whitespaces)
            guard (try? HostSpec.parse(hop, syntax: .proxyJump)) != nil else {
                return .failure("ProxyJump: invalid hop '\(hop)'; write [user@]host[:port], comma-separated")
            }
            hops.append(hop)
        }
        return .success(.proxyJump(hops))
    }
}

/// Why a value was refused, ready to follow `file:line: `.
struct SSHValueProblem: Error, Equatable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    var message: String
    init(stringLiteral value: String) { message = value }
    init(stringInterpolation: DefaultStringInterpolation) { message = String(stringInterpolation: stringInterpolation) }
}
