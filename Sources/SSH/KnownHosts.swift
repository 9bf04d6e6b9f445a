import Foundation

/// An OpenSSH known_hosts file, parsed: plain and hashed (`|1|salt|hash`) host patterns,
/// `[host]:port` entries, `!negation`, `*`/`?` wildcards, `@revoked` and `@cert-authority` markers.
public struct KnownHosts: Sendable {
    public enum Marker: Sendable, Equatable { case none, revoked, certAuthority }

    public struct Entry: Sendable, Equatable {
        public var line: Int
        public var marker: Marker
        public var patterns: String
        public var keyType: String
        public var keyBlob: [UInt8]
    }

    public var path: String
    /// In file order; appended to through ``append(_:)``, which keeps ``index`` in step.
    public private(set) var entries: [Entry] = []
    /// Where to look for a name without reading every entry: a fleet of N hosts checked against
    /// a known_hosts of N lines would otherwise match N × N patterns (docs/bench.md).
    private var index = NameIndex()
    /// Line numbers that could not be parsed; they are skipped, as OpenSSH does.
    public var malformedLines: [Int]

    public init(path: String, entries: [Entry] = [], malformedLines: [Int] = []) {
        self.path = path
        self.malformedLines = malformedLines
        for entry in entries { append(entry) }
    }

    /// Adds an entry at the end of the file's order.
    public mutating func append(_ entry: Entry) {
        index.add(entry, at: entries.count)
        entries.append(entry)
    }

    /// Entries by the names they list literally; the rest (wildcards, negations, hashed names,
    /// revocations) are matched one by one, as OpenSSH does.
    private struct NameIndex: Sendable, Equatable {
        var literal: [String: [Int]] = [:]
        var scanned: [Int] = []
        var revoked: [Int] = []

        mutating func add(_ entry: Entry, at position: Int) {
            if entry.marker == .revoked { revoked.append(position) }
            guard entry.marker != .certAuthority else { return }
            let patterns = entry.patterns.split(separator: ",")
            let plain = !entry.patterns.hasPrefix("|1|") && !patterns.isEmpty
                && patterns.allSatisfy { !$0.contains { $0 == "*" || $0 == "?" || $0 == "!" } }
            guard plain else { scanned.append(position); return }
            for name in Set(patterns.map { $0.lowercased() }) { literal[name, default: []].append(position) }
        }

        /// The positions of entries that may match `name`, in file order.
        func candidates(_ name: String) -> [Int] {
            let exact = literal[name.lowercased()] ?? []
            return scanned.isEmpty ? exact : (exact + scanned).sorted()
        }
    }

    /// The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise.
    public static func lookupName(host: String, port: Int) -> String {
        port == 22 ? host : "[\(host)]:\(port)"
    }

    public static func parse(_ text: String, path: String) -> KnownHosts {
        var result = KnownHosts(path: path)
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            var marker = Marker.none
            if let first = fields.first, first.hasPrefix("@") {
                switch first {
                case "@revoked": marker = .revoked
                case "@cert-authority": marker = .certAuthority
                default: result.malformedLines.append(index + 1); continue
                }
                fields.removeFirst()
            }
            guard fields.count >= 3, let blob = Data(base64Encoded: fields[2]) else {
                result.malformedLines.append(index + 1)
                continue
            }
            let bytes = [UInt8](blob)
            guard let type = keyType(ofBlob: bytes), type == fields[1] else {
                result.malformedLines.append(index + 1)
                continue
            }
            result.append(Entry(line: index + 1, marker: marker, patterns: fields[0], keyType: type, keyBlob: bytes))
        }
        return result
    }

    /// The key type a wire-format public key blob names in its first string.
    public static func keyType(ofBlob blob: [UInt8]) -> String? {
        guard blob.count >= 4 else { return nil }
        let n = Int(blob[0]) << 24 | Int(blob[1]) << 16 | Int(blob[2]) << 8 | Int(blob[3])
        guard n > 0, n < 64, blob.count >= 4 + n else { return nil }
        return String(bytes: blob[4..<(4 + n)], encoding: .ascii)
    }

    /// Entries (of any key type, no cert-authority lines) whose patterns match `name`.
    public func entries(matching name: String) -> [Entry] {
        index.candidates(name).map { entries[$0] }
            .filter { $0.marker != .certAuthority && Self.patternsMatch($0.patterns, name: name) }
    }

    /// Key types known for `name`, in file order, so the handshake can prefer them.
    public func keyTypes(for name: String) -> [String] {
        var seen: [String] = []
        for e in entries(matching: name) where e.marker == .none && !seen.contains(e.keyType) {
            seen.append(e.keyType)
        }
        return seen
    }

    public enum Verdict: Equatable, Sendable {
        case known
        case unknown
        /// A key is recorded for this host but not this one: refused, never replaced.
        case changed(line: Int)
        case revoked(line: Int)
    }

    public func verify(name: String, keyBlob: [UInt8]) -> Verdict {
        if let r = index.revoked.lazy.map({ entries[$0] }).first(where: { $0.keyBlob == keyBlob }) {
            return .revoked(line: r.line)
        }
        let matching = entries(matching: name).filter { $0.marker == .none }
        if matching.contains(where: { $0.keyBlob == keyBlob }) { return .known }
        let type = Self.keyType(ofBlob: keyBlob)
        if let sameType = matching.first(where: { $0.keyType == type }) { return .changed(line: sameType.line) }
        if let other = matching.first { return .changed(line: other.line) }
        return .unknown
    }

    // MARK: pattern matching, as OpenSSH's match_hostname

    static func patternsMatch(_ patterns: String, name: String) -> Bool {
        if patterns.hasPrefix("|1|") { return hashedMatch(patterns, name: name) }
        var positive = false
        for p in patterns.split(separator: ",") {
            if p.hasPrefix("!") {
                if glob(String(p.dropFirst()).lowercased(), name.lowercased()) { return false }
            } else if glob(String(p).lowercased(), name.lowercased()) {
                positive = true
            }
        }
        return positive
    }

    static func hashedMatch(_ field: String, name: String) -> Bool {
        let parts = field.split(separator: "|", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[0] == "1",
              let salt = Data(base64Encoded: String(parts[1])),
              let hash = Data(base64Encoded: String(parts[2])) else { return false }
        return Digest.hmacSHA1(key: [UInt8](salt), data: Array(name.utf8)) == [UInt8](hash)
    }

    /// `*` any run, `?` one character; everything else literal.
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8), t = Array(text.utf8)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == UInt8(ascii: "?") || p[pi] == t[ti]) {
                pi += 1; ti += 1
            } else if pi < p.count && p[pi] == UInt8(ascii: "*") {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
