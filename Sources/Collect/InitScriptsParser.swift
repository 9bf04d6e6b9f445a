import Foundation
import Model

/// Services on hosts where systemd is not PID 1: sysvinit's `service --status-all` and OpenRC's
/// `rc-status --all`.
enum InitScriptsParser {
    /// Debian's `service --status-all` prints ` [ + ]  name` (running), `[ - ]` (stopped) and
    /// `[ ? ]` (no status action; these go to stderr, so pass both streams). Red Hat's older
    /// `service --status-all` prints each script's own sentence; "NAME (pid N) is running..." and
    /// "NAME is stopped" are understood, other lines are counted in a note.
    static func sysv(_ text: String) -> (items: [Service], notes: [String]) {
        var byName: [String: Service] = [:]
        var unread = 0
        for raw in text.lines() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("["), let close = line.firstIndex(of: "]") {
                let mark = line[line.index(after: line.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                let name = line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, !name.contains(" ") else { unread += 1; continue }
                let (active, sub) = mark == "+" ? ("active", "running") : mark == "-" ? ("inactive", "dead") : ("unknown", "unknown")
                byName[name] = Service(name: name, load: "loaded", active: active, sub: sub, source: .sysv)
                continue
            }
            let words = line.split(separator: " ")
            guard let first = words.first else { continue }
            let name = String(first).trimmingCharacters(in: CharacterSet(charactersIn: ":"))
            if line.contains(" is running") {
                byName[name] = Service(name: name, load: "loaded", active: "active", sub: "running", source: .sysv)
            } else if line.hasSuffix(" is stopped") || line.contains(" is stopped") {
                byName[name] = Service(name: name, load: "loaded", active: "inactive", sub: "dead", source: .sysv)
            } else {
                unread += 1
            }
        }
        let notes = unread > 0 ? ["services: \(unread) lines of service --status-all not understood"] : []
        return (Array(byName.values), notes)
    }

    /// `rc-status --all`: "Runlevel: default" / "Dynamic Runlevel: manual" headings, then
    /// ` name   [  started  ]` rows (newer OpenRC adds the uptime inside the brackets).
    /// `enabled` is the runlevel the service is in ("default", "boot", ...), or the dynamic
    /// group ("manual", "needed/wanted", "hotplugged") when it is in none.
    static func openrc(_ text: String) -> (items: [Service], notes: [String]) {
        var byName: [String: Service] = [:]
        var runlevel: String?
        var dynamic = false
        var fromDynamic: [String: Bool] = [:]
        for raw in text.lines() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("Runlevel:") || line.hasPrefix("Dynamic Runlevel:") {
                dynamic = line.hasPrefix("Dynamic")
                runlevel = line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) }
                continue
            }
            guard let open = line.lastIndex(of: "["), line.hasSuffix("]") else { continue }
            let name = line[..<open].trimmingCharacters(in: .whitespaces)
            let inside = line[line.index(after: open)..<line.index(before: line.endIndex)]
            guard !name.isEmpty, !name.contains(" "),
                  let state = inside.split(separator: " ").first.map(String.init) else { continue }
            let active: String
            switch state {
            case "started": active = "active"
            case "crashed": active = "failed"
            case "stopped": active = "inactive"
            default: active = state
            }
            // The first static runlevel wins; a dynamic group only fills in when there is none.
            if let seenDynamic = fromDynamic[name], !(seenDynamic && !dynamic) { continue }
            fromDynamic[name] = dynamic
            byName[name] = Service(name: name, load: "loaded", active: active, sub: state,
                                   enabled: runlevel, source: .openrc)
        }
        return (Array(byName.values), [])
    }
}
