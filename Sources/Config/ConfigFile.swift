import Foundation
import Model

/// The checks file (`checks/postpatch.yaml` by default), validated strictly: unknown keys,
/// wrong types, duplicates and inline secrets are errors with `file:line:col`, so a typo can
/// never silently switch a check off. `resolve(names:group:)` turns it into hosts to act on.
public struct ConfigFile: Sendable {
    public static let defaultPath = "checks/postpatch.yaml"
    static let topLevelKeys = ["defaults", "hosts", "checks", "groups", "ignore", "policy", "rollout", "learn", "rules"]

    /// The file this came from; errors and messages name it.
    public let path: String
    var defaults = HostSettings()
    var hosts: [HostEntry] = []
    var groups: [GroupEntry] = []
    var global = LevelRules()
    /// `rollout:`: default waves and commands for `postpatch rollout`.
    public var rollout = RolloutSettings()

    /// A config with no hosts and no checks, for runs where every host is named on the command line.
    public init(emptyAt path: String = ConfigFile.defaultPath) {
        self.path = path
    }

    /// Host names in file order.
    public var hostNames: [String] { hosts.map(\.name.name) }

    /// Groups defined under `groups:`, then groups only named in hosts' `groups:` lists, in file order.
    public var groupNames: [String] {
        var names = groups.map(\.name.name)
        var seen = Set(names)
        for host in hosts {
            for group in host.groups where seen.insert(group.name).inserted { names.append(group.name) }
        }
        return names
    }

    public static func load(path: String) throws -> ConfigFile {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigError(file: path, message: "no such config file; check the path given to --config")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, message: "cannot read the config file; check its permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, message: "the config file is not UTF-8 text")
        }
        return try parse(yaml: text, path: path, limits: try Limits.fromEnvironment(file: path))
    }

    public static func parse(yaml: String, path: String, limits: Limits = .standard) throws -> ConfigFile {
        let root = try YAMLDocument.compose(yaml, file: path)
        let top = YAMLValue(node: root, name: "the file", path: "", place: "at top level", file: path)
        let map = try top.mapping()
        try map.requireKnown(topLevelKeys)
        try checkCount(map["groups"], limits.groups, path: path) { limits.groupsExceeded("the file defines") }
        try checkCount(map["hosts"], limits.hosts, path: path) { limits.hostsExceeded("the file lists") }
        var config = ConfigFile(emptyAt: path)
        if let defaults = map["defaults"] {
            let defaultsMap = try defaults.mapping()
            try defaultsMap.requireKnown(HostSettings.keys)
            config.defaults = try HostSettings.read(from: defaultsMap)
        }
        config.global = try LevelRules.read(from: map)
        if let rollout = map["rollout"] { config.rollout = try RolloutSettings.read(rollout) }
        /// A mapping of checked names to entries, each name at most once.
        func named<Entry>(_ value: YAMLValue?, what: String, twice: @escaping (String, Location) -> String,
                          _ read: (Named, YAMLValue) throws -> Entry) throws -> [Entry] {
            guard let value else { return [] }
            return try value.mapping(duplicate: twice).entries.map { entry in
                try Names.check(entry.key, at: entry.keyLocation, file: path, what: what)
                return try read(Named(name: entry.key, location: entry.keyLocation), entry.value)
            }
        }
        config.groups = try named(map["groups"], what: "group name",
                                  twice: { "group '\($0)' is defined twice (first at \($1))" }) { try GroupEntry.read(name: $0, value: $1) }
        config.hosts = try named(map["hosts"], what: "host name",
                                 twice: { "host '\($0)' is listed twice (first at \($1)); give each host one entry" }) {
            try HostEntry.read(name: $0, value: $1, limits: limits)
        }
        try config.checkGroupReferences()
        try config.checkHTTPCheckNames()
        try config.checkCommandNames()
        return config
    }

    /// Refuses a `hosts:` or `groups:` mapping with more entries than `limit` before reading them.
    private static func checkCount(_ value: YAMLValue?, _ limit: Int, path: String, _ message: () -> String) throws {
        guard let value, case let .mapping(m) = value.node, m.count > limit else { return }
        throw ConfigError(file: path, at: value.location, message())
    }

    /// A host may name a group that has no entry under `groups:` (a plain label for `--group`),
    /// but a name one typo away from a defined group is almost surely that group misspelt,
    /// and would silently drop the group's checks.
    private func checkGroupReferences() throws {
        let defined = groups.map(\.name.name)
        let definedSet = Set(defined)
        var checked = Set<String>()
        // Each check compares one name with every defined group: past a few million comparisons
        // (thousands of groups on both sides) the remaining names are not checked for typos.
        let checks = defined.isEmpty ? 0 : 5_000_000 / defined.count
        for host in hosts {
            for group in host.groups where !definedSet.contains(group.name) && checked.count < checks
                && checked.insert(group.name).inserted {
                if let near = Suggestion.closest(to: group.name, in: defined) {
                    throw ConfigError(file: path, at: group.location,
                                      "host '\(host.name.name)' names group '\(group.name)', which is not defined "
                                          + "under 'groups' (did you mean '\(near)'?)")
                }
            }
        }
    }
}
