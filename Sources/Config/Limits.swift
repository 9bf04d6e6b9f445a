import Foundation

/// Caps on what one checks file or inventory may hold, so a small hostile file (ranges that each
/// stay under their own cap, groups aliasing each other, 200,000 groups for one host) ends in a
/// one-line error in bounded time and memory. Real fleets are far below them; each says how
/// to raise it (docs/inventory.md, docs/config.md).
public struct Limits: Sendable, Equatable {
    /// Hosts in one inventory or checks file: `POSTPATCH_MAX_HOSTS`.
    public var hosts: Int
    /// Groups in one inventory or checks file, and groups one host is in: `POSTPATCH_MAX_GROUPS`.
    public var groups: Int

    public static let hostsVariable = "POSTPATCH_MAX_HOSTS"
    public static let groupsVariable = "POSTPATCH_MAX_GROUPS"
    public static let standard = Limits(hosts: 100_000, groups: 10_000)
    /// How deep groups may nest (`children` inside `children`); Ansible inventories use a handful.
    static let nesting = 200

    public init(hosts: Int, groups: Int) {
        self.hosts = hosts
        self.groups = groups
    }

    /// Host and group entries visited while reading, YAML aliases, merge keys and repeated ranges
    /// counted each time they are expanded: 10 x the host limit.
    var entries: Int { hosts.multipliedReportingOverflow(by: 10).overflow ? Int.max : hosts * 10 }

    /// Host-in-group pairs over all hosts, through children too: 50 x the host limit.
    var memberships: Int { hosts.multipliedReportingOverflow(by: 50).overflow ? Int.max : hosts * 50 }

    /// The limits as the environment sets them; a bad value is an error naming the variable.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                       file: String) throws -> Limits {
        func read(_ name: String, _ fallback: Int) throws -> Int {
            guard let text = environment[name] else { return fallback }
            guard let n = Int(text), (1...100_000_000).contains(n) else {
                throw ConfigError(file: file, message: "\(name) must be a whole number from 1 to 100000000")
            }
            return n
        }
        return Limits(hosts: try read(hostsVariable, standard.hosts), groups: try read(groupsVariable, standard.groups))
    }

    /// "more than N hosts (the POSTPATCH_MAX_HOSTS limit); ..." for an error message.
    func hostsExceeded(_ what: String) -> String {
        "\(what) more than \(hosts) hosts (the \(Self.hostsVariable) limit); if that is really meant, "
            + "raise it with \(Self.hostsVariable)=<n>"
    }

    func groupsExceeded(_ what: String) -> String {
        "\(what) more than \(groups) groups (the \(Self.groupsVariable) limit); if that is really meant, "
            + "raise it with \(Self.groupsVariable)=<n>"
    }

    func membershipsExceeded() -> String {
        "hosts are in more than \(memberships) groups in all, counting groups through children (the limit is "
            + "50 x \(Self.hostsVariable)); nest fewer groups, or raise \(Self.hostsVariable)"
    }

    func entriesExceeded() -> String {
        "more than \(entries) host and group entries once YAML aliases, merge keys and ranges are expanded "
            + "(the limit is 10 x \(Self.hostsVariable)); write each group out once, or raise \(Self.hostsVariable)"
    }
}
