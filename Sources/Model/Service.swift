/// Where a service's state was read from.
public enum ServiceSource: String, Codable, Sendable, Equatable {
    case systemd, sysv, openrc
}

/// One service and its states, as the init system reports them.
/// For systemd: `load` (loaded, not-found, masked), `active` (active, inactive, failed),
/// `sub` (running, exited, dead, ...), `enabled` from list-unit-files (enabled, disabled, static, ...),
/// `timer` from the timer unit files: the timer unit that starts this one on schedule, nil when none does.
public struct Service: Codable, Sendable, Equatable, SortKeyed {
    public var name: String
    public var load: String
    public var active: String
    public var sub: String
    public var enabled: String?
    public var source: ServiceSource
    public var description: String?
    public var timer: String?

    public init(name: String, load: String, active: String, sub: String, enabled: String? = nil,
                source: ServiceSource, description: String? = nil, timer: String? = nil) {
        self.name = name
        self.load = load
        self.active = active
        self.sub = sub
        self.enabled = enabled
        self.source = source
        self.description = description
        self.timer = timer
    }

    public var sortKey: String { name }
}
