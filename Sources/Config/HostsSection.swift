import Model

/// A name given to something in the config (a host, a group), with where it was written.
struct Named: Sendable, Equatable {
    var name: String
    var location: Location
}

/// What `checks:`, `ignore:`, `policy:`, `learn:` and `rules:` say at one level (global, a group, a host).
struct LevelRules: Sendable, Equatable {
    var checks = CheckSet()
    var rules = CompareRules()
    /// The `commands:` names of this level, where written (names must not repeat across levels).
    var commandNames: [Named] = []

    static let keys = ["checks", "ignore", "policy", "learn", "rules"]

    static func read(from map: YAMLMapping) throws -> LevelRules {
        var level = LevelRules()
        if let checks = map["checks"] {
            level.checks = try ChecksSection.read(checks)
            level.commandNames = try CommandEntry.names(in: checks)
        }
        if let ignore = map["ignore"] { level.rules.ignore = try RulesSection.ignore(ignore) }
        if let policy = map["policy"] { level.rules.severityOverrides = try RulesSection.policy(policy) }
        if let learn = map["learn"] { level.checks.learning = try LearnSection.learn(learn) }
        if let rules = map["rules"] { try RulesSection.read(rules, into: &level.rules) }
        return level
    }
}

/// One entry under `hosts:`.
struct HostEntry: Sendable, Equatable {
    var name: Named
    /// Defaults to the host's name.
    var address: String?
    var settings: HostSettings
    var groups: [Named]
    var level: LevelRules

    static let keys = ["address", "groups", "http_host"] + HostSettings.keys + LevelRules.keys

    static func read(name: Named, value: YAMLValue, limits: Limits = .standard) throws -> HostEntry {
        let map = try value.mapping()
        try map.requireKnown(keys)
        var groups: [Named] = []
        var first: [String: Location] = [:]
        let items = try map["groups"]?.entries() ?? []
        if items.count > limits.groups {
            throw items[limits.groups].error(limits.groupsExceeded("host '\(name.name)' lists"))
        }
        for item in items {
            let group = try Names.read(item, what: "group name")
            if let at = first[group] {
                throw item.error("group '\(group)' is listed twice for host '\(name.name)' (first at \(at))")
            }
            first[group] = item.location
            groups.append(Named(name: group, location: item.location))
        }
        var level = try LevelRules.read(from: map)
        level.checks.learning.httpHost = try map["http_host"].map(LearnSection.httpHost)
        return HostEntry(name: name, address: try map["address"].map(Address.read),
                         settings: try HostSettings.read(from: map), groups: groups, level: level)
    }
}

/// One entry under `groups:`.
struct GroupEntry: Sendable, Equatable {
    var name: Named
    var level: LevelRules

    static func read(name: Named, value: YAMLValue) throws -> GroupEntry {
        let map = try value.mapping()
        try map.requireKnown(LevelRules.keys)
        return GroupEntry(name: name, level: try LevelRules.read(from: map))
    }
}

/// Host and group names end up in file names (baselines) and report headings, so they stay simple.
enum Names {
    static func isValid(_ s: String) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }

    static func read(_ value: YAMLValue, what: String) throws -> String {
        let text = try value.word()
        guard isValid(text) else {
            throw value.error("\(what) \(value.shown) may hold only letters, digits, '.', '_' and '-'")
        }
        return text
    }

    static func check(_ key: String, at location: Location, file: String, what: String) throws {
        guard isValid(key) else {
            throw ConfigError(file: file, at: location,
                              "\(what) '\(key)' may hold only letters, digits, '.', '_' and '-'")
        }
    }
}
