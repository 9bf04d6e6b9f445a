import Foundation
import Model

/// Reads `ignore:`, `policy:` and `rules:` (global, group or host level) into `CompareRules`
/// (`learn:` and the port lists: LearnSection).
enum RulesSection {
    /// The `ignore:` keys: each section's ``IgnoreKey``, in section order.
    static let ignoreKeys = SnapshotSection.allCases.compactMap { $0.model.ignore?.name }
    static let rulesKeys = ["space_warning_percent", "critical_modules", "expiry_warning_days", "endpoint_versions",
                            "max_security_age_days"]
    /// `max_security_age_days`: a day to ten years.
    static let securityAgeDays = 1...3650

    static func ignore(_ value: YAMLValue) throws -> IgnoreRules {
        let map = try value.mapping()
        try map.requireKnown(ignoreKeys)
        var rules = IgnoreRules()
        for section in SnapshotSection.allCases {
            guard let key = section.model.ignore else { continue }
            switch key.patterns {
            case .globs: rules.patterns[section] = try globs(map[key.name])
            case .regexes: rules.patterns[section] = try regexes(map[key.name])
            case .ports: rules.endpoints = try LearnSection.ignoredPorts(map[key.name])
            }
        }
        return IgnoreRules(rules.patterns, endpoints: rules.endpoints)
    }

    /// `rules:` thresholds and lists into `rules`: `space_warning_percent` (1 to 100; `space-low`
    /// at or above it), `critical_modules` (globs whose `module-missing` is a regression),
    /// `expiry_warning_days` (0 to 3650), `endpoint_versions` (banner versions compared) and
    /// `max_security_age_days` (1 to 3650: an older missing security fix is `security-fix-overdue`).
    static func read(_ value: YAMLValue, into rules: inout CompareRules) throws {
        let map = try value.mapping()
        try map.requireKnown(rulesKeys)
        if let percent = map["space_warning_percent"] { rules.spaceWarningPercent = try percent.integer(in: 1...100) }
        rules.criticalModules = try globs(map["critical_modules"])
        rules.expiryWarningDays = try map["expiry_warning_days"]?.integer(in: LearnSection.expiryDays)
        rules.endpointVersions = try map["endpoint_versions"]?.bool()
        rules.maxSecurityAgeDays = try map["max_security_age_days"]?.integer(in: securityAgeDays)
    }

    /// `ignore: { logs: [...] }`: regular expressions (ICU syntax, NSRegularExpression), each
    /// compiled here so a typo is refused at its line, not silently matching nothing.
    private static func regexes(_ value: YAMLValue?) throws -> [String] {
        try patterns(value) { item, pattern in
            do { _ = try NSRegularExpression(pattern: pattern) } catch {
                throw item.error("\(item.name) is not a valid regular expression: \(item.shown); "
                                     + "escape special characters such as ( [ { * + ? with a backslash")
            }
        }
    }

    private static func globs(_ value: YAMLValue?) throws -> [String] {
        try patterns(value) { item, glob in
            if glob.filter({ $0 == "[" }).count != glob.filter({ $0 == "]" }).count {
                throw item.error("\(item.name) is not a valid glob: '[' and ']' do not pair up in '\(glob)'")
            }
        }
    }

    /// The texts of a list, each checked by `check` (which throws at the item's place). A single
    /// pattern may be written without list brackets.
    private static func patterns(_ value: YAMLValue?, _ check: (YAMLValue, String) throws -> Void) throws -> [String] {
        guard let value else { return [] }
        let items: [YAMLValue]
        if case .scalar = value.node { items = [value] } else { items = try value.entries() }
        return try items.map { item in
            let text = try item.word()
            try check(item, text)
            return text
        }
    }

    /// `policy:` keys are finding kinds, checked here while the file is read, so every command
    /// that loads the file (verify, drift, diff --config, rollout) refuses the same misspelling.
    static func policy(_ value: YAMLValue) throws -> [FindingKind: Severity] {
        let map = try value.mapping(duplicate: { kind, first in
            "policy for '\(kind)' is given twice (first at \(first))"
        })
        var overrides: [FindingKind: Severity] = [:]
        for entry in map.entries {
            guard let kind = FindingKind(rawValue: entry.key) else {
                let known = FindingKind.allCases.map(\.rawValue)
                throw ConfigError(file: map.file, at: entry.keyLocation,
                                  "unknown finding kind '\(entry.key)' \(map.place)"
                                      + Suggestion.hint(for: entry.key, in: known, listName: "finding kinds"))
            }
            let text = try entry.value.word()
            guard let severity = Severity(rawValue: text.lowercased()) else {
                let extra = text.lowercased() == "ignore" ? "; to drop changes, list them under 'ignore:'" : ""
                throw entry.value.error("policy for '\(entry.key)' must be regression, warning or info, "
                                            + "got \(entry.value.shown)\(extra)")
            }
            overrides[kind] = severity
        }
        return overrides
    }
}
