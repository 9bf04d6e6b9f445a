import Model

/// One `commands:` entry: a smoke test run on the host inside the collector's round trip.
/// The `run` text is the only shell text PostPatch takes from the checks file; it is passed to
/// the host's `sh -c` as one quoted word, and nothing from a host ever goes the other way.
enum CommandEntry {
    static let keys = ["name", "run", "timeout", "expect", "compare"]
    static let expectKeys = ["exit", "stdout_contains"]
    /// Seconds; a longer smoke test belongs in the patch tooling, not in every capture.
    static let timeoutRange: ClosedRange<Double> = 0.001...3600

    /// The entries of one `commands:` list, names unique within it.
    static func list(_ value: YAMLValue) throws -> [CommandCheck] {
        let entries = try value.entries()
        var first: [String: Int] = [:]
        return try entries.enumerated().map { index, entry in
            let check = try read(entry)
            if let at = first[check.name] {
                throw entry.error("command name '\(check.name)' is used twice in this list (first in entry \(at + 1)); "
                                      + "give each command a distinct 'name'")
            }
            first[check.name] = index
            return check
        }
    }

    static func read(_ value: YAMLValue) throws -> CommandCheck {
        let map = try value.mapping()
        try map.requireKnown(keys)
        let name = try map.required("name").controlFree("it names the command in every report")
        let runValue = try map.required("run")
        let run = try runValue.word()
        if run.unicodeScalars.contains("\0") {
            throw runValue.error("'run' holds a NUL character, which no shell can be given: remove it")
        }
        var check = CommandCheck(name: name, run: run)
        if let timeout = map["timeout"] { check.timeout = try timeout.seconds(within: timeoutRange) }
        if let compare = map["compare"] {
            let text = try compare.word()
            guard let mode = CommandCheck.Compare(rawValue: text) else {
                throw compare.error("'compare' must be 'exit' (only the exit status counts) or 'output' "
                                        + "(a changed output is a warning too), got \(compare.shown)"
                                        + (Suggestion.closest(to: text, in: ["exit", "output"]).map { " (did you mean '\($0)'?)" } ?? ""))
            }
            check.compare = mode
        }
        if let expect = map["expect"] {
            let e = try expect.mapping()
            try e.requireKnown(expectKeys)
            if let exit = e["exit"] { check.expectExit = try exit.integer(in: 0...255) }
            check.expectStdoutContains = try e["stdout_contains"]?.word()
        }
        return check
    }

    /// Where each command of one level's `checks:` was named, to find the same name declared at
    /// two levels a host combines (global, its groups, itself). Read after `ChecksSection.read`
    /// accepted the list, so every entry has a name.
    static func names(in checks: YAMLValue) throws -> [Named] {
        guard let list = try checks.mapping()["commands"] else { return [] }
        return try list.entries().compactMap { entry in
            guard let name = try entry.mapping()["name"] else { return nil }
            return Named(name: try name.word(), location: name.location)
        }
    }
}

extension ConfigFile {
    /// A host runs the global commands, then its groups', then its own: two with one name would
    /// give findings no one could tell apart, so the later one is refused where it is written.
    func checkCommandNames() throws {
        let global = Dictionary(self.global.commandNames.map { ($0.name, $0.location) }, uniquingKeysWith: { a, _ in a })
        let levels = Dictionary(groups.map { ($0.name.name, $0.level.commandNames) }, uniquingKeysWith: { a, _ in a })
        for group in groups {
            try refuseRepeats(group.level.commandNames, seen: global, owner: "group '\(group.name.name)'")
        }
        for host in hosts where !host.level.commandNames.isEmpty || host.groups.count > 1 {
            var seen = global
            for group in host.groups {
                let names = levels[group.name] ?? []
                try refuseRepeats(names, seen: seen, owner: "group '\(group.name)' (host '\(host.name.name)' is in it)")
                for n in names where seen[n.name] == nil { seen[n.name] = n.location }
            }
            try refuseRepeats(host.level.commandNames, seen: seen, owner: "host '\(host.name.name)'")
        }
    }

    private func refuseRepeats(_ names: [Named], seen: [String: Location], owner: String) throws {
        for n in names {
            if let first = seen[n.name] {
                throw ConfigError(file: path, at: n.location,
                                  "command name '\(n.name)' of \(owner) is already declared for the same hosts "
                                      + "(at \(first)); give each command a distinct 'name'")
            }
        }
    }
}

extension YAMLValue {
    /// Non-empty text on one line, without control characters; `why` ends the message.
    func controlFree(_ why: String) throws -> String {
        let text = try word()
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            throw error("\(name) must be one line without control characters: \(why)")
        }
        return text
    }
}
