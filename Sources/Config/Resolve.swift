import Foundation
import Model

extension ConfigFile {
    /// Hosts to act on: `names` from the command line (config host names, or `[user@]host[:port]`
    /// taken with the defaults and the global checks), plus every member of `group` if given;
    /// with neither, all hosts of the config. A config host name given with a user or port
    /// (`admin@db1:2222`) keeps its checks and overrides how it is reached.
    /// Errors: unknown group (the known ones listed), no hosts at all, bad `[user@]host[:port]`
    /// (`HostSpec.ParseError`), one name given twice with different settings.
    public func resolve(names: [String], group: String?) throws -> [ResolvedHost] {
        try resolve(names: names, group: group, home: Self.homeDirectory())
    }

    /// `resolve(names:group:)` with `~` expanded against `home` instead of $HOME.
    public func resolve(names: [String], group: String?, home: String) throws -> [ResolvedHost] {
        var result: [ResolvedHost] = []
        func add(_ host: ResolvedHost) throws {
            if let same = result.first(where: { $0.name == host.name }) {
                guard same == host else {
                    throw ConfigError(file: path, message: "host '\(host.name)' is given twice with different "
                                          + "user or port; name it once")
                }
                return
            }
            result.append(host)
        }
        for name in names {
            try add(try resolveName(name, home: home))
        }
        if let group {
            guard groupNames.contains(group) else {
                let known = groupNames
                let tail = known.isEmpty ? "; this file defines no groups"
                    : Suggestion.hint(for: group, in: known, listName: "known groups")
                throw ConfigError(file: path, message: "no group '\(group)'" + tail)
            }
            for host in hosts where host.groups.contains(where: { $0.name == group }) {
                try add(resolved(host, home: home))
            }
        }
        if names.isEmpty && group == nil {
            guard !hosts.isEmpty else {
                throw ConfigError(file: path, message: "no hosts to check: add hosts under 'hosts:' "
                                      + "or name them on the command line ([user@]host[:port] or local)")
            }
            result = hosts.map { resolved($0, home: home) }
        }
        // `rollout: restart_deny` is one list for the file: verify's advice follows it too.
        if !rollout.restartDeny.isEmpty {
            for i in result.indices { result[i].rules.restartDeny = rollout.restartDeny }
        }
        return result
    }

    private func resolveName(_ name: String, home: String) throws -> ResolvedHost {
        if let host = hosts.first(where: { $0.name.name == name }) { return resolved(host, home: home) }
        let spec = try HostSpec.parse(name)
        if let host = hosts.first(where: { $0.name.name == spec.host }) {
            var r = resolved(host, home: home)
            r.user = spec.user ?? r.user
            r.port = spec.port ?? r.port
            return r
        }
        var adHoc = ResolvedHost(name: spec.host, address: spec.host)
        if let port = spec.port {
            adHoc.name = spec.host.contains(":") ? "[\(spec.host)]:\(port)" : "\(spec.host):\(port)"
        }
        apply(defaults, to: &adHoc, home: home)
        adHoc.user = spec.user ?? adHoc.user
        adHoc.port = spec.port ?? adHoc.port
        adHoc.checks = global.checks
        adHoc.rules = global.rules
        return adHoc
    }

    /// Settings: defaults then host. Checks and rules: global, then each group in the host's order, then the host.
    func resolved(_ host: HostEntry, home: String) -> ResolvedHost {
        var r = ResolvedHost(name: host.name.name, address: host.address ?? host.name.name)
        apply(defaults.overlaid(by: host.settings), to: &r, home: home)
        r.groups = host.groups.map(\.name)
        var checks = global.checks
        var rules = global.rules
        let byName = groups.count > 8 ? Dictionary(groups.map { ($0.name.name, $0) }, uniquingKeysWith: { a, _ in a }) : nil
        for name in r.groups {
            guard let group = byName?[name] ?? groups.first(where: { $0.name.name == name }) else { continue }
            checks = checks.merged(with: group.level.checks)
            rules = rules.merged(with: group.level.rules)
        }
        r.checks = checks.merged(with: host.level.checks)
        r.rules = rules.merged(with: host.level.rules)
        return r
    }

    private func apply(_ s: HostSettings, to r: inout ResolvedHost, home: String) {
        r.user = s.user
        r.port = s.port
        r.identity = s.identities?.first.map { Self.expandTilde($0, home: home) }
        r.sudo = s.sudo
        r.knownHosts = s.knownHosts.map { Self.expandTilde($0, home: home) }
        r.connectTimeout = s.connectTimeout
        r.commandTimeout = s.commandTimeout
    }

    /// `~` and `~/...` against `home`; anything else unchanged (`~user` is refused when parsing).
    /// The one tilde expansion for paths from the checks file, the inventory and the command line.
    public static func expandTilde(_ path: String, home: String) -> String {
        if path == "~" { return home }
        guard path.hasPrefix("~/") else { return path }
        let base = home.hasSuffix("/") ? String(home.dropLast()) : home
        return base + path.dropFirst()
    }

    static func homeDirectory() -> String {
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { return home }
        return FileManager.default.homeDirectoryForCurrentUser.path
    }
}
