import Foundation
import Yams

/// One YAML value on its way to a typed field. It carries what an error about it must say:
/// the file, the 1-based position, and how to call it ("'port'", "'services' entry 2").
struct YAMLValue {
    let node: Node
    /// How messages name it: "'port'", "'dns' entry 2".
    let name: String
    /// Dotted path of this value, the prefix for its children: "hosts.db1".
    let path: String
    /// Where its keys live, if it is a mapping: "at top level", "under 'checks'", "in 'checks.dns' entry 2".
    let place: String
    let file: String

    var location: Location { YAMLDocument.location(of: node) }
    var isNull: Bool { YAMLDocument.isNull(node) }

    func error(_ message: String) -> ConfigError { ConfigError(file: file, at: location, message) }

    /// For "got ..." in messages: the scalar quoted, or the kind of node. Long text is cut.
    var shown: String {
        switch node {
        case let .scalar(s):
            if isNull { return "nothing" }
            if InlineSecrets.urlCarriesPassword(s.string) { return "a URL holding a password (not shown)" }
            return s.string.count > 40 ? "'\(s.string.prefix(40))...'" : "'\(s.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    func text() throws -> String {
        guard case let .scalar(s) = node, !isNull else { throw error("\(name) must be text, got \(shown)") }
        return s.string
    }

    /// Text with at least one non-space character.
    func word() throws -> String {
        let t = try text()
        guard !t.trimmingCharacters(in: .whitespaces).isEmpty else { throw error("\(name) must not be empty") }
        return t
    }

    func integer(in range: ClosedRange<Int>) throws -> Int {
        if case let .scalar(s) = node, let n = Int(s.string.trimmingCharacters(in: .whitespaces)),
           range.contains(n) {
            return n
        }
        throw error("\(name) must be a number from \(range.lowerBound) to \(range.upperBound), got \(shown)")
    }

    func port() throws -> Int { try integer(in: 1...65535) }

    /// Timeouts: at least a millisecond (what a `Duration` of milliseconds holds), at most a day.
    static let timeoutRange: ClosedRange<Double> = 0.001...86_400

    /// A finite number of seconds ("3", "0.5") greater than 0 and within `range`, checked here
    /// once so no later `Duration` or `Int` conversion can trap on `1e308`.
    func seconds(within range: ClosedRange<Double> = 0.001...315_360_000) throws -> Double {
        if case let .scalar(s) = node, let d = Double(s.string.trimmingCharacters(in: .whitespaces)),
           d.isFinite, range.contains(d) {
            return d
        }
        let bound = { (d: Double) in d == d.rounded() ? String(format: "%.0f", d) : "\(d)" }
        throw error("\(name) must be a number of seconds from \(bound(range.lowerBound)) to \(bound(range.upperBound)), got \(shown)")
    }

    func bool() throws -> Bool {
        if case let .scalar(s) = node {
            switch s.string.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: break
            }
        }
        throw error("\(name) must be true or false, got \(shown)")
    }

    /// The items of a list; nothing written counts as an empty list.
    func entries() throws -> [YAMLValue] {
        if isNull { return [] }
        guard case let .sequence(seq) = node else { throw error("\(name) must be a list, got \(shown)") }
        return seq.enumerated().map { index, item in
            let entryName = "'\(path)' entry \(index + 1)"
            return YAMLValue(node: item, name: entryName, path: "\(path)[\(index + 1)]",
                             place: "in \(entryName)", file: file)
        }
    }

    /// A list of non-empty text; a single text counts as a one-item list.
    func words() throws -> [String] {
        if case .scalar = node, !isNull { return [try word()] }
        return try entries().map { try $0.word() }
    }

    func mapping(duplicate: ((String, Location) -> String)? = nil) throws -> YAMLMapping {
        try YAMLMapping(self, duplicate: duplicate)
    }
}
