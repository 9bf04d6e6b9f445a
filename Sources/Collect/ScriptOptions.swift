/// How the collector script behaves on the host.
public struct ScriptOptions: Sendable, Equatable {
    /// Refresh package metadata first (`apt-get update`, `dnf makecache`): network traffic from
    /// the host, and root needed. Off by default: pending updates then come from the cached lists.
    public var refresh: Bool
    /// Upper bound, in seconds, for each external command (applied with `timeout` when the host has it).
    public var stepTimeout: Int

    public init(refresh: Bool = false, stepTimeout: Int = 20) {
        self.refresh = refresh
        self.stepTimeout = stepTimeout
    }
}
