import Model

/// Reads `ignore:` and `policy:` (global, group or host level) into `CompareRules`.
enum RulesSection {
    static let ignoreKeys = ["services", "sockets", "packages"]

    /// A policy line kept with its position, so the kind can be checked later against the
    /// finding kinds Compare knows (Config cannot know that list).
    struct PolicyLine: Sendable, Equatable {
        var kind: String
        var location: Location
    }

    static func ignore(_ value: YAMLValue) throws -> IgnoreRules {
        let map = try value.mapping()
        try map.requireKnown(ignoreKeys)
        return IgnoreRules(services: try globs(map["services"]), sockets: try globs(map["sockets"]),
                           packages: try globs(map["packages"]))
    }

    private static func globs(_ value: YAMLValue?) throws -> [String] {
        guard let value else { return [] }
        // A single glob may be written without list brackets.
        let items: [YAMLValue]
        if case .scalar = value.node { items = [value] } else { items = try value.entries() }
        return try items.map { item in
            let glob = try item.word()
            if glob.filter({ $0 == "[" }).count != glob.filter({ $0 == "]" }).count {
                throw item.error("\(item.name) is not a valid glob: '[' and ']' do not pair up in '\(glob)'")
            }
            return glob
        }
    }

    static func policy(_ value: YAMLValue) throws -> (overrides: [String: Severity], lines: [PolicyLine]) {
        let map = try value.mapping(duplicate: { kind, first in
            "policy for '\(kind)' is given twice (first at \(first))"
        })
        var overrides: [String: Severity] = [:]
        var lines: [PolicyLine] = []
        for entry in map.entries {
            guard isKebabIdentifier(entry.key) else {
                throw ConfigError(file: map.file, at: entry.keyLocation,
                                  "'\(entry.key)' \(map.place) is not a finding kind: kinds are lowercase words "
                                      + "joined by '-', like package-upgraded")
            }
            let text = try entry.value.word()
            guard let severity = Severity(rawValue: text.lowercased()) else {
                let extra = text.lowercased() == "ignore" ? "; to drop changes, list them under 'ignore:'" : ""
                throw entry.value.error("policy for '\(entry.key)' must be regression, warning or info, "
                                            + "got \(entry.value.shown)\(extra)")
            }
            overrides[entry.key] = severity
            lines.append(PolicyLine(kind: entry.key, location: entry.keyLocation))
        }
        return (overrides, lines)
    }

    static func isKebabIdentifier(_ s: String) -> Bool {
        let words = s.split(separator: "-", omittingEmptySubsequences: false)
        return words.allSatisfy { word in
            guard let first = word.first, first.isASCII, first.isLowercase else { return false }
            return word.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
        }
    }
}
