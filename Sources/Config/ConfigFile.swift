import Foundation
import Model

/// The checks file (`checks/postpatch.yaml` by default), validated strictly: unknown keys,
/// wrong types, duplicates and inline secrets are errors with `file:line:col`, so a typo can
/// never silently switch a check off. `resolve(names:group:)` turns it into hosts to act on.
public struct ConfigFile: Sendable {
    public static let defaultPath = "checks/postpatch.yaml"
    static let topLevelKeys = ["defaults", "hosts", "checks", "groups", "ignore", "policy", "rollout"]

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
        for host in hosts {
            for group in host.groups where !names.contains(group.name) { names.append(group.name) }
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
        return try parse(yaml: text, path: path)
    }

    public static func parse(yaml: String, path: String) throws -> ConfigFile {
        let root = try YAMLDocument.compose(yaml, file: path)
        let top = YAMLValue(node: root, name: "the file", path: "", place: "at top level", file: path)
        let map = try top.mapping()
        try map.requireKnown(topLevelKeys)
        var config = ConfigFile(emptyAt: path)
        if let defaults = map["defaults"] {
            let defaultsMap = try defaults.mapping()
            try defaultsMap.requireKnown(HostSettings.keys)
            config.defaults = try HostSettings.read(from: defaultsMap)
        }
        config.global = try LevelRules.read(from: map)
        if let rollout = map["rollout"] { config.rollout = try RolloutSettings.read(rollout) }
        if let groups = map["groups"] {
            let groupsMap = try groups.mapping(duplicate: { name, first in
                "group '\(name)' is defined twice (first at \(first))"
            })
            for entry in groupsMap.entries {
                try Names.check(entry.key, at: entry.keyLocation, file: path, what: "group name")
                config.groups.append(try GroupEntry.read(name: Named(name: entry.key, location: entry.keyLocation),
                                                         value: entry.value))
            }
        }
        if let hosts = map["hosts"] {
            let hostsMap = try hosts.mapping(duplicate: { name, first in
                "host '\(name)' is listed twice (first at \(first)); give each host one entry"
            })
            for entry in hostsMap.entries {
                try Names.check(entry.key, at: entry.keyLocation, file: path, what: "host name")
                config.hosts.append(try HostEntry.read(name: Named(name: entry.key, location: entry.keyLocation),
                                                       value: entry.value))
            }
        }
        try config.checkGroupReferences()
        return config
    }

    /// A host may name a group that has no entry under `groups:` (a plain label for `--group`),
    /// but a name one typo away from a defined group is almost surely that group misspelt,
    /// and would silently drop the group's checks.
    private func checkGroupReferences() throws {
        let defined = groups.map(\.name.name)
        for host in hosts {
            for group in host.groups where !defined.contains(group.name) {
                if let near = Suggestion.closest(to: group.name, in: defined) {
                    throw ConfigError(file: path, at: group.location,
                                      "host '\(host.name.name)' names group '\(group.name)', which is not defined "
                                          + "under 'groups' (did you mean '\(near)'?)")
                }
            }
        }
    }
}
