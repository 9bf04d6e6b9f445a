import Model

/// Which outdated units PostPatch may restart, and what it takes to put the patch in effect for
/// the others: one list, read by `rollout --restart-outdated` (Engine: ``RestartOutdated``), by
/// the outdated findings' advice (``OutdatedDiff``) and by the reboot reasons `--reboot
/// if-required` acts on. A unit PostPatch refuses to restart is a reboot reason, never "restart it".
public enum RestartPolicy {
    /// Glob patterns of units never restarted by PostPatch: restarting them ends sessions or the
    /// network PostPatch itself depends on (docs/rollout.md).
    public static let denied = [
        "dbus.service", "dbus-broker.service", "systemd-logind.service", "user@*.service", "user-runtime-dir@*.service",
        "getty@*.service", "serial-getty@*.service", "console-getty.service", "container-getty@*.service",
        "emergency.service", "rescue.service", "gdm.service", "gdm3.service", "lightdm.service", "sddm.service",
        "xdm.service", "lxdm.service", "display-manager.service", "networking.service", "NetworkManager.service",
        "systemd-networkd.service", "wpa_supplicant.service", "ifup@*.service",
    ]

    /// Why `unit` is never restarted by PostPatch (with the pattern that says so), nil when it
    /// may be. `deny`: the config's `rollout: restart_deny` globs, checked first.
    public static func refusal(_ unit: String, deny: [String] = []) -> String? {
        if let p = deny.first(where: { Glob.matches($0, unit) }) { return "denied by rollout.restart_deny (\(p))" }
        if let p = denied.first(where: { Glob.matches($0, unit) }) { return "never restarted by PostPatch (\(p))" }
        return nil
    }

    /// Units that end when their user logs out: each user's service manager (`systemd --user`).
    /// Never restarted by PostPatch, but no reboot reason either: as for a session, logging out
    /// and in again puts the patch in effect (needrestart, too, leaves them out of its services).
    public static let endWithTheirUser = ["user@*.service"]

    public static func endsWithItsUser(_ unit: String) -> Bool {
        endWithTheirUser.contains { Glob.matches($0, unit) }
    }

    /// True for an outdated systemd unit that only a reboot puts the patch in effect for.
    public static func needsReboot(_ s: OutdatedService, deny: [String] = []) -> Bool {
        s.kind == .unit && !endsWithItsUser(s.name) && refusal(s.name, deny: deny) != nil
    }

    /// One reboot reason per outdated unit PostPatch refuses to restart, sorted.
    public static func rebootReasons(_ outdated: [OutdatedService], deny: [String] = []) -> [String] {
        outdated.filter { needsReboot($0, deny: deny) }.map { reason($0.name) }.sorted()
    }

    /// "dbus.service runs code the patch replaced and cannot be restarted safely".
    public static func reason(_ unit: String) -> String {
        "\(unit) runs code the patch replaced and cannot be restarted safely"
    }
}
