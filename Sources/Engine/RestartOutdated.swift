import Collect
import Compare
import Foundation
import Model

/// `rollout --restart-outdated`: after the patch, restart the units still running code the patch
/// replaced, so verify sees the patch in effect without a reboot.
///
/// Never restarted this way (docs/rollout.md): units whose restart ends sessions or the network
/// PostPatch itself depends on, and those the config lists under `rollout: restart_deny`. The SSH
/// daemon serving PostPatch is restarted, but as the very last step (a restart of sshd keeps
/// running sessions, and nothing else is left to do over this one if it does not).
public enum RestartOutdated {
    /// Glob patterns of units never restarted by PostPatch.
    public static let denied = [
        "dbus.service", "dbus-broker.service", "systemd-logind.service", "user@*.service", "user-runtime-dir@*.service",
        "getty@*.service", "serial-getty@*.service", "console-getty.service", "container-getty@*.service",
        "emergency.service", "rescue.service", "gdm.service", "gdm3.service", "lightdm.service", "sddm.service",
        "xdm.service", "lxdm.service", "display-manager.service", "networking.service", "NetworkManager.service",
        "systemd-networkd.service", "wpa_supplicant.service", "ifup@*.service",
    ]
    /// The SSH daemons, restarted last.
    public static let sshDaemons: Set<String> = ["ssh.service", "sshd.service", "dropbear.service"]

    public struct Plan: Sendable, Equatable {
        /// In order: other units first, SSH daemons last.
        public var restart: [String]
        /// Units outdated but left alone, with why.
        public var skipped: [(unit: String, why: String)]
        /// PID 1 runs replaced code: `systemctl daemon-reexec`.
        public var reexec: Bool

        public static func == (a: Plan, b: Plan) -> Bool {
            a.restart == b.restart && a.reexec == b.reexec && a.skipped.map(\.unit) == b.skipped.map(\.unit)
                && a.skipped.map(\.why) == b.skipped.map(\.why)
        }
    }

    /// Which of `outdated` to restart, given the config's extra deny patterns. Pure.
    public static func plan(_ outdated: [OutdatedService], deny extra: [String]) -> Plan {
        var restart: [String] = [], last: [String] = [], skipped: [(String, String)] = []
        var reexec = false
        for s in outdated.sorted(by: { $0.name < $1.name }) {
            switch s.kind {
            case .manager: reexec = true
            case .session, .other: skipped.append((s.name, "not a unit (restart those processes or log out)"))
            case .service: skipped.append((s.name, "not a systemd unit: restart it with its init script"))
            case .unit:
                if !isUnitName(s.name) { skipped.append((s.name, "not a plain unit name")) }
                else if let p = extra.first(where: { Glob.matches($0, s.name) }) { skipped.append((s.name, "denied by rollout.restart_deny (\(p))")) }
                else if let p = denied.first(where: { Glob.matches($0, s.name) }) { skipped.append((s.name, "never restarted by PostPatch (\(p)): reboot instead")) }
                else if sshDaemons.contains(s.name) { last.append(s.name) }
                else { restart.append(s.name) }
            }
        }
        return Plan(restart: restart + last, skipped: skipped, reexec: reexec)
    }

    /// The shell that restarts each unit and says how it went, one line each (`restarted U`,
    /// `failed U STATUS`). Unit names are checked (``isUnitName``) and quoted.
    public static func script(_ plan: Plan) -> String {
        var s = ""
        if plan.reexec { s += "if systemctl daemon-reexec; then echo 'reexecuted systemd'; else echo \"failed systemd $?\"; fi\n" }
        for unit in plan.restart {
            s += "if systemctl restart -- \(ShellQuote.quote(unit)); then echo \"restarted \(unit)\"; else echo \"failed \(unit) $?\"; fi\n"
        }
        return s
    }

    /// systemd's unit name alphabet (letters, digits, `:-_.@\`), ending in .service; nothing a
    /// shell would read specially.
    static func isUnitName(_ name: String) -> Bool {
        name.hasSuffix(".service") && name.count <= 256 && name.unicodeScalars.allSatisfy {
            ($0.isASCII && (CharacterSet.alphanumerics.contains($0))) || ":-_.@".unicodeScalars.contains($0)
        }
    }
}
