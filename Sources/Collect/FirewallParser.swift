import Foundation
import Model

/// `nft list ruleset` and `iptables-save`/`ip6tables-save` (legacy and nf_tables back ends),
/// normalised: packet and byte counters, `# handle N`, comment and timestamp lines, quota
/// usage, `last used` times, set element expiry, and the elements of sets that fill
/// themselves (`flags dynamic` or `timeout`: fail2ban-style ban lists) are dropped; indentation
/// and blank lines do not count. Fixtures: Tests/Fixtures/collect/*nft*, *iptables*.
enum FirewallParser {
    /// What one backend's output gave: its chains and objects, and the normalised lines.
    struct Parsed: Equatable {
        var chains: [FirewallChain] = []
        var lines: [String] = []
        /// The backends that answered, with rules or without.
        var backends: Set<String> = []
    }

    // MARK: nftables

    static func nft(_ text: String) -> Parsed {
        var out = Parsed(backends: ["nftables"])
        var family = "", table = ""
        var depth = 0
        var block: Block?
        func close() {
            guard let b = block else { return }
            out.chains.append(FirewallChain(backend: "nftables", family: family, table: table, name: b.name, kind: b.kind,
                                            policy: b.policy, rules: b.count, digest: shortDigest(b.lines)))
            block = nil
        }
        for raw in text.lines() {
            let line = normalizeNft(String(raw))
            if line.isEmpty { continue }
            let before = depth
            depth = max(0, depth + braces(line))
            out.lines.append(line)
            if before == 0 {
                let words = line.fields(32)
                if words.count >= 3, words[0] == "table" {
                    family = String(words[1]); table = String(words[2])
                } else if words.count >= 2, words[0] == "table" {
                    family = "ip"; table = String(words[1])   // nft's default family
                }
                continue
            }
            if before == 1 {
                close()
                if line.hasSuffix("{") {
                    var words = line.dropLast().fields(32).map(String.init)
                    if let name = words.popLast() { block = Block(kind: words.joined(separator: " "), name: name) }
                }
                if let b = block { block!.lines = [b.kind + " " + b.name] }
                if depth <= 1 { close() }
                continue
            }
            guard block != nil else { continue }
            if depth <= 1 && line.hasPrefix("}") { close(); continue }
            if before == 2 { block!.add(line, opens: depth > 2) } else { block!.continueLine(line) }
            if depth <= 1 { close() }
        }
        close()
        out.lines = dropDynamicElements(out.lines)
        return out
    }

    /// One chain or named object while it is read.
    struct Block {
        var kind: String
        var name: String
        var policy: String?
        var rules = 0
        var elements = 0
        var dynamic = false
        var inElements = false
        var lines: [String] = []

        var count: Int { kind == "chain" ? rules : (dynamic ? 0 : elements) }

        mutating func add(_ line: String, opens: Bool) {
            if kind == "chain" {
                if line.hasPrefix("type ") || line.hasPrefix("policy ") || line.hasPrefix("comment ") || line.hasPrefix("devices ") {
                    if let p = line.range(of: "policy ") {
                        policy = line[p.upperBound...].prefix { $0 != ";" && $0 != " " }.description
                    }
                } else {
                    rules += 1
                }
                lines.append(line)
                return
            }
            if line.hasPrefix("flags "), line.contains("dynamic") || line.contains("timeout") { dynamic = true }
            if line.hasPrefix("timeout ") { dynamic = true }
            if line.hasPrefix("elements = ") {
                inElements = opens
                if !dynamic { elements += countElements(line); lines.append(line) }
                return
            }
            lines.append(line)
        }

        mutating func continueLine(_ line: String) {
            if inElements {
                if !dynamic { elements += countElements(line); lines.append(line) }
                if line.contains("}") { inElements = false }
                return
            }
            lines.append(line)
        }

        func countElements(_ line: String) -> Int {
            var text = Substring(line)
            if let open = text.firstIndex(of: "{") { text = text[text.index(after: open)...] }
            if let close = text.firstIndex(of: "}") { text = text[..<close] }
            return text.fields(44).filter { !$0.allSatisfy(\.isWhitespace) }.count
        }
    }

    /// Trimmed, comments and volatile words gone.
    static func normalizeNft(_ raw: String) -> String {
        var line = raw.trimmingCharacters(in: .whitespaces)
        if line.hasPrefix("#") { return "" }
        if let handle = line.range(of: " # handle ") { line = String(line[..<handle.lowerBound]) }
        var words = line.fields(32).map(String.init)
        var i = 0
        while i < words.count {
            let next = { (k: Int) -> String in i + k < words.count ? words[i + k] : "" }
            if words[i] == "packets", isNumber(next(1)), next(2) == "bytes", isNumber(next(3)) {
                words.removeSubrange(i..<(i + 4)); continue
            }
            if words[i] == "used", isNumber(next(1)), next(2).hasSuffix("bytes") {   // quota usage
                words.removeSubrange(i..<(i + 3)); continue
            }
            if words[i] == "last", next(1) == "used" {   // `last used 3s ago` / `last used never`
                let end = next(2) == "never" ? i + 3 : min(words.count, i + 4)
                words.removeSubrange(i..<end); continue
            }
            if words[i] == "expires", i + 1 < words.count {
                let trailing = words[i + 1].hasSuffix(",") ? "," : ""
                words.removeSubrange(i..<(i + 2))
                if !trailing.isEmpty, i > 0, !words[i - 1].hasSuffix(",") { words[i - 1] += "," }
                continue
            }
            i += 1
        }
        return words.joined(separator: " ")
    }

    /// The normalised text keeps set elements only where the set's object keeps them.
    static func dropDynamicElements(_ lines: [String]) -> [String] {
        var out: [String] = []
        var dynamic = false, skipping = false
        for line in lines {
            if line.hasPrefix("set ") || line.hasPrefix("map ") || line.hasPrefix("chain ") { dynamic = false }
            if line.hasPrefix("flags "), line.contains("dynamic") || line.contains("timeout") { dynamic = true }
            if line.hasPrefix("timeout ") { dynamic = true }
            if dynamic && line.hasPrefix("elements = ") {
                skipping = line.contains("{") && !line.contains("}")
                continue
            }
            if skipping {
                if line.contains("}") { skipping = false }
                continue
            }
            out.append(line)
        }
        return out
    }

    static func braces(_ line: String) -> Int {
        var n = 0, quoted = false
        for b in line.utf8 {
            if b == 34 { quoted.toggle() } else if !quoted { if b == 123 { n += 1 } else if b == 125 { n -= 1 } }
        }
        return n
    }

    // MARK: iptables

    /// The `firewall.iptables` step: sections headed `# postpatch: FAMILY BACKEND`
    /// (`ip iptables-nft`, `ip6 iptables-legacy`), each an iptables-save output.
    static func iptablesSections(_ text: String) -> Parsed {
        var out = Parsed()
        var header: (family: String, backend: String)?
        var body: [Substring] = []
        func flush() {
            if let h = header {
                let p = iptablesSave(body.joined(separator: "\n"), family: h.family, backend: h.backend)
                out.chains += p.chains
                out.lines += p.lines
            }
            body = []
        }
        for line in text.lines() {
            if line.hasPrefix("# postpatch: ") {
                flush()
                let words = line.dropFirst(13).fields(32)
                header = words.count >= 2 ? (String(words[0]), String(words[1])) : nil
                if let h = header { out.backends.insert(h.backend) }
            } else {
                body.append(line)
            }
        }
        flush()
        return out
    }

    /// One `iptables-save` (or `-c`) output.
    static func iptablesSave(_ text: String, family: String, backend: String) -> Parsed {
        var out = Parsed()
        var table = ""
        var order: [String] = []
        var chains: [String: (policy: String?, lines: [String], rules: Int)] = [:]
        func flushTable() {
            for name in order {
                let c = chains[name]!
                out.chains.append(FirewallChain(backend: backend, family: family, table: table, name: name, policy: c.policy,
                                                rules: c.rules, digest: shortDigest(["chain \(name) \(c.policy ?? "-")"] + c.lines)))
            }
            order = []; chains = [:]
        }
        for raw in text.lines() {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("["), let close = line.firstIndex(of: "]") {   // `-c`: "[packets:bytes] -A ..."
                line = line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)
            }
            if line.hasPrefix("*") {
                flushTable()
                table = String(line.dropFirst())
                out.lines.append(line)
            } else if line.hasPrefix(":") {
                let words = line.dropFirst().fields(32)
                guard let name = words.first.map(String.init) else { continue }
                let policy = words.count > 1 && words[1] != "-" ? String(words[1]) : nil
                if chains[name] == nil { order.append(name) }
                chains[name] = (policy, [], 0)
                out.lines.append(":\(name) \(policy ?? "-")")
            } else if line.hasPrefix("-A ") || line.hasPrefix("-I ") {
                let words = line.fields(32)
                guard words.count >= 2 else { continue }
                let name = String(words[1])
                if chains[name] == nil { order.append(name); chains[name] = (nil, [], 0) }
                chains[name]!.lines.append(line)
                chains[name]!.rules += 1
                out.lines.append(line)
            } else if line == "COMMIT" {
                flushTable()
                out.lines.append(line)
            }
        }
        flushTable()
        return out
    }

    // MARK: together

    static func ruleset(_ parts: [(backend: String, parsed: Parsed)]) -> FirewallRuleset {
        let used = parts.filter { !$0.parsed.lines.isEmpty || !$0.parsed.chains.isEmpty }
        let lines = used.flatMap { ["# \($0.backend)"] + $0.parsed.lines }
        var chains = used.flatMap(\.parsed.chains)
        chains.sort { $0.key < $1.key }
        let backends = parts.reduce(into: Set<String>()) { $0.formUnion($1.parsed.backends) }.union(chains.map(\.backend))
        return FirewallRuleset(backends: backends.sorted(), digest: lines.isEmpty ? "" : SHA256.hex(lines.joined(separator: "\n") + "\n"),
                               chains: chains)
    }

    static func shortDigest(_ lines: [String]) -> String {
        String(SHA256.hex(lines.joined(separator: "\n")).prefix(16))
    }

    private static func isNumber(_ s: String) -> Bool { !s.isEmpty && s.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
}
