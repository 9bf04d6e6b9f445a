import Foundation

/// How the collector script behaves on the host.
public struct ScriptOptions: Sendable, Equatable {
    /// Refresh package metadata first (`apt-get update`, `dnf makecache`): network traffic from
    /// the host, and root needed. Off by default: pending updates then come from the cached lists.
    public var refresh: Bool
    /// Upper bound, in seconds, for each external command (applied with `timeout` when the host has it).
    public var stepTimeout: Int
    /// Ask the package manager for pending updates. By far the costliest step (apt's simulated
    /// dist-upgrade: ~2 s of CPU on a Debian 12 host, where the rest of the script takes ~0.15 s);
    /// when off, the snapshot's `pendingUpdates` is empty and a note says it was not collected.
    public var pendingUpdates: Bool

    /// Upper bound, in seconds, for the package manager's pending-updates query alone: on a host
    /// being patched it waits for disk and CPU far longer than any other step (see README).
    public var updatesTimeout: Int

    /// Read the package manager's log from this time on (the baseline's capture), so findings
    /// can name the package change that explains them. Nil (a baseline, a plain snapshot): not read.
    public var transactionsSince: Date?

    public static let defaultStepTimeout = 20
    public static let defaultUpdatesTimeout = 90

    public init(refresh: Bool = false, stepTimeout: Int = ScriptOptions.defaultStepTimeout, pendingUpdates: Bool = true,
                updatesTimeout: Int = ScriptOptions.defaultUpdatesTimeout) {
        self.refresh = refresh
        self.stepTimeout = stepTimeout
        self.pendingUpdates = pendingUpdates
        self.updatesTimeout = updatesTimeout
    }
}
