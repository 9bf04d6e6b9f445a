/// `policy:` keys are finding kinds, and only Compare knows the full list. Config accepts any
/// kebab-case word and lets the caller check them once that list is at hand.
extension ConfigFile {
    /// Every finding kind named under any `policy:` (global, groups, hosts), in file order, repeats kept out.
    public var policyKinds: [String] {
        var kinds: [String] = []
        for line in allPolicyLines where !kinds.contains(line.kind) { kinds.append(line.kind) }
        return kinds
    }

    /// Throws for the first `policy:` key that is not one of `known`, at its line and column,
    /// with the closest known kind suggested.
    public func checkPolicyKinds(known: [String]) throws {
        for line in allPolicyLines where !known.contains(line.kind) {
            throw ConfigError(file: path, at: line.location,
                              "unknown finding kind '\(line.kind)' under 'policy'"
                                  + Suggestion.hint(for: line.kind, in: known, listName: "finding kinds"))
        }
    }

    private var allPolicyLines: [RulesSection.PolicyLine] {
        global.policyLines + groups.flatMap(\.level.policyLines) + hosts.flatMap(\.level.policyLines)
    }
}
