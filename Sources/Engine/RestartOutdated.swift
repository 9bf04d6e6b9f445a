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
    /// Glob patterns of units never restarted by PostPatch: ``RestartPolicy/denied`` (Compare
    /// needs the list too, for the findings' advice and the reboot reasons).
    public static var denied: [String] { RestartPolicy.denied }
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
                else if RestartPolicy.endsWithItsUser(s.name) { skipped.append((s.name, "a user's service manager: it ends when that user logs out")) }
                else if let why = RestartPolicy.refusal(s.name, deny: extra) { skipped.append((s.name, "\(why): reboot instead")) }
                else if sshDaemons.contains(s.name) { last.append(s.name) }
                else { restart.append(s.name) }
            }
        }
        return Plan(restart: restart + last, skipped: skipped, reexec: reexec)
    }

    /// What keeps the patch from being in effect on a host that was not rebooted, one sentence
    /// each: the host's own reboot reasons, units PostPatch refuses to restart (a reboot is what
    /// puts the patch in effect for them), and units, services and PID 1 still running replaced
    /// code. Session and other processes, and each user's service manager (user@UID.service),
    /// are left out: they end when their users log out
    /// (needrestart, too, lists them apart from services). Empty: the patch is in effect.
    public static func notInEffect(_ snap: Snapshot, deny: [String]) -> [String] {
        var left: [String] = []
        if snap.system.rebootRequired == true {
            left += snap.system.rebootReasons.isEmpty ? ["the host asks for a reboot"] : snap.system.rebootReasons
        }
        if !snap.isCaptured(.outdated) {
            left.append("outdated code not captured: whether services run replaced code is unknown")
        } else if let why = snap.partialReason(.outdated) {
            left.append("outdated code read in part (\(why))")
        }
        for s in snap.outdated.sorted(by: { $0.name < $1.name }) {
            switch s.kind {
            case .manager: left.append("the service manager (PID 1) runs code the patch replaced")
            case .unit where RestartPolicy.endsWithItsUser(s.name): break
            case .unit where RestartPolicy.needsReboot(s, deny: deny): left.append(RestartPolicy.reason(s.name))
            case .unit, .service: left.append("\(s.name) runs code the patch replaced")
            case .session, .other: break
            }
        }
        return left
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
