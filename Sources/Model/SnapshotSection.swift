/// The one vocabulary of a snapshot's parts. Each case is a section: its raw value is its name
/// everywhere a section is named (the key under `notCaptured` and `partial`, a finding's
/// category, the prefix of its collector steps, the `SKIP` marker); its ``model`` says the rest
/// at this layer, and each layer above keeps its own part in a `switch` over these cases
/// (Collect: `SectionCollector`, Compare: `SectionDiff`, Report: `SnapshotSectionLines`), so
/// the compiler refuses a section that one of them forgets. docs/sections.md has the recipe.
///
/// Declared in report order: findings, notes and `show` lines follow it. Never rename a case;
/// a name an earlier version wrote goes in ``legacyNames``.
public enum SnapshotSection: String, Sendable, CaseOrdered, CodingKeyRepresentable, Codable {
    // Learned without configuration
    case system, services, outdated, sockets, endpoints, mounts, network, modules, sysctl, firewall, accounts, containers, packages,
         configs, schedules, updates, transactions, logs
    // Declared in the checks file
    case connectivity, dns, databases, http, commands, files

    /// Names earlier versions wrote: `pendingUpdates` (the `notCaptured` key before one vocabulary)
    /// and `processes` (the category of outdated-code findings).
    static let legacyNames: [String: SnapshotSection] = ["pendingUpdates": .updates, "processes": .outdated]

    /// The section named `name`, by its name or a name an earlier version wrote.
    public init?(name: String) {
        guard let section = SnapshotSection(rawValue: name) ?? Self.legacyNames[name] else { return nil }
        self = section
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let name = try c.decode(String.self)
        guard let section = SnapshotSection(name: name) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown section '\(name)'")
        }
        self = section
    }

    public init?<T: CodingKey>(codingKey: T) { self.init(name: codingKey.stringValue) }

    /// How reports name the section ("pending updates").
    public var title: String { model.title }
}

/// The part of the host a finding or checked item is about: the host as a whole (a capture
/// that failed) or one section. Its raw value is the section's name (JUnit classname suffix,
/// JSON `category`), so a category can never name something that is not a section.
public enum Category: Hashable, Sendable, CaseOrdered, RawRepresentable, Codable {
    case host
    case section(SnapshotSection)

    public static var allCases: [Category] { [.host] + SnapshotSection.allCases.map { .section($0) } }

    public var rawValue: String {
        switch self {
        case .host: return "host"
        case let .section(s): return s.rawValue
        }
    }

    /// Reads a name an earlier version wrote too ("processes" is now "outdated").
    public init?(rawValue: String) {
        if rawValue == "host" { self = .host; return }
        guard let section = SnapshotSection(name: rawValue) else { return nil }
        self = .section(section)
    }
}

/// An enum ordered as its cases are declared (report order, not alphabetical).
public protocol CaseOrdered: CaseIterable, Comparable {}

extension CaseOrdered {
    public static func < (a: Self, b: Self) -> Bool {
        let all = Array(allCases)
        return all.firstIndex(of: a)! < all.firstIndex(of: b)!
    }
}
