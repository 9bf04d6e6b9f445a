import Foundation
import Model

/// `systemctl list-units` and `systemctl list-unit-files`, as JSON (systemd 246 and later,
/// `--output=json`, added with systemd PR #15701) or as the text table (older systemd,
/// or a capture like the CentOS 7 / Ubuntu 18.04 fixtures). The parser tells them apart
/// by the first character, so either form reads.
///
/// Unit names are kept exactly as systemd spells them, escapes included
/// (`dev-disk-by\x2duuid-….device`): that *is* the unit's name.
enum SystemdUnitsParser {
    /// Service units from `list-units --all` (other unit types in the input are skipped).
    static func units(_ text: String) -> (items: [Service], notes: [String]) {
        if looksLikeJSON(text) { return unitsJSON(text) }
        var items: [Service] = []
        var descriptionColumn: Int?
        var jobColumn = false
        for raw in text.lines() {
            let line = stripMarker(String(raw))
            let tokens = Tokens(line)
            guard let first = tokens.word(0) else { continue }
            if first == "UNIT" {
                // The header fixes where DESCRIPTION starts; a JOB column shows up only when some unit has a job.
                descriptionColumn = line.range(of: "DESCRIPTION").map { line.distance(from: line.startIndex, to: $0.lowerBound) }
                jobColumn = tokens.words.contains("JOB")
                continue
            }
            guard first.hasSuffix(".service"), tokens.count >= 4 else { continue }
            var description: String?
            if let column = descriptionColumn, column < line.count {
                let start = line.index(line.startIndex, offsetBy: column)
                description = String(line[start...]).trimmingCharacters(in: .whitespaces)
            } else {
                let hasJob = jobColumn || (tokens.count > 5 && jobTypes.contains(tokens.word(4) ?? ""))
                description = tokens.rest(from: hasJob ? 5 : 4)
            }
            items.append(Service(name: first, load: tokens.word(1) ?? "", active: tokens.word(2) ?? "",
                                 sub: tokens.word(3) ?? "", source: .systemd,
                                 description: description.flatMap { $0.isEmpty ? nil : $0 }))
        }
        return (items, [])
    }

    /// Unit file name -> state ("enabled", "disabled", "static", "masked", "alias", ...).
    static func unitFiles(_ text: String) -> (states: [String: String], notes: [String]) {
        if looksLikeJSON(text) { return unitFilesJSON(text) }
        var states: [String: String] = [:]
        for raw in text.lines() {
            let tokens = Tokens(String(raw))
            guard let name = tokens.word(0), let state = tokens.word(1), isUnitName(name) else { continue }
            states[name] = state
        }
        return (states, [])
    }

    /// Service -> the timer that starts it, from the `services.systemd-timers` step: `file PATH`
    /// lines (timer unit files and their drop-ins, in systemd's order of precedence) and grep's
    /// `PATH:Unit=NAME` lines. The first file of a timer's name is the one systemd loads (a later
    /// directory's copy is shadowed); its `Unit=`, overridden by drop-ins in file-name order, else
    /// the timer's own name with `.service`, is what it starts. A template (`foo@.timer`) maps to
    /// `foo@.service`: ``timer(starting:in:)`` resolves instances. A service two timers start gets
    /// the first by name, so the answer does not depend on output order.
    static func timers(_ text: String) -> [String: String] {
        var timerFile: [String: String] = [:]      // timer name -> the path systemd loads
        var dropIns: [(timer: String, file: String, path: String)] = []
        var units: [String: String] = [:]          // path -> its last Unit= value
        for raw in text.lines() {
            let line = String(raw)
            if line.hasPrefix("file ") {
                let path = String(line.dropFirst(5))
                let parts = path.split(separator: "/")
                guard let base = parts.last.map(String.init) else { continue }
                if base.hasSuffix(".timer") {
                    if timerFile[base] == nil { timerFile[base] = path }
                } else if parts.count >= 2, parts[parts.count - 2].hasSuffix(".timer.d"), base.hasSuffix(".conf") {
                    dropIns.append((String(parts[parts.count - 2].dropLast(2)), base, path))
                }
            } else if let colon = line.firstIndex(of: ":") {
                let path = String(line[..<colon])
                var rest = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
                guard rest.hasPrefix("Unit") else { continue }
                rest = rest.dropFirst(4).drop { $0 == " " || $0 == "\t" }
                guard rest.first == "=" else { continue }
                let value = rest.dropFirst().trimmingCharacters(in: .whitespaces)
                if !value.isEmpty { units[path] = value }
            }
        }
        var started: [String: String] = [:]
        for (timer, path) in timerFile {
            var unit = units[path] ?? String(timer.dropLast(".timer".count)) + ".service"
            for d in dropIns.filter({ $0.timer == timer }).sorted(by: { $0.file < $1.file }) {
                if let value = units[d.path] { unit = value }
            }
            guard unit.hasSuffix(".service") else { continue }
            if let other = started[unit], other < timer { continue }
            started[unit] = timer
        }
        return started
    }

    /// The timer that starts `service`, instances of templates included (`foo@.timer` starts
    /// `foo@x.service` as `foo@x.timer`).
    static func timer(starting service: String, in started: [String: String]) -> String? {
        if let timer = started[service] { return timer }
        guard let at = service.firstIndex(of: "@"), service.hasSuffix(".service") else { return nil }
        let instance = service[service.index(after: at)..<service.index(service.endIndex, offsetBy: -".service".count)]
        guard !instance.isEmpty, let template = started[service[...at] + ".service"], template.hasSuffix("@.timer") else { return nil }
        return template.dropLast(".timer".count) + instance + ".timer"
    }

    /// The enabled state of a unit: its own file, or for an instance (`getty@tty1.service`)
    /// its template's (`getty@.service`).
    static func enabledState(of unit: String, in files: [String: String]) -> String? {
        if let state = files[unit] { return state }
        guard let at = unit.firstIndex(of: "@"), let dot = unit.lastIndex(of: ".") else { return nil }
        return files[String(unit[...at]) + String(unit[dot...])]
    }

    static let jobTypes: Set<String> = ["start", "stop", "reload", "restart", "try-restart",
                                        "reload-or-start", "verify-active", "nop"]

    static func isUnitName(_ s: String) -> Bool {
        guard let dot = s.lastIndex(of: "."), dot != s.startIndex else { return false }
        return unitSuffixes.contains(String(s[s.index(after: dot)...]))
    }

    static let unitSuffixes: Set<String> = ["service", "socket", "target", "device", "mount", "automount",
                                            "swap", "timer", "path", "slice", "scope"]

    /// systemctl marks units that are not loaded or failed with "●" (UTF-8) or "*" (C locale).
    static func stripMarker(_ line: String) -> String {
        var s = Substring(line)
        while let c = s.first, c == " " || c == "●" || c == "*" || c == "\u{25CB}" { s = s.dropFirst() }
        // Keep the column alignment: replace what was stripped with spaces.
        return String(repeating: " ", count: line.count - s.count) + s
    }

    static func looksLikeJSON(_ text: String) -> Bool {
        text.first { !$0.isWhitespace } == "["
    }

    private struct UnitRow: Decodable {
        var unit: String?
        var load: String?
        var active: String?
        var sub: String?
        var description: String?
    }

    private struct UnitFileRow: Decodable {
        var unit_file: String?
        var state: String?
    }

    private static func unitsJSON(_ text: String) -> (items: [Service], notes: [String]) {
        guard let rows = try? JSONDecoder().decode([UnitRow].self, from: Data(text.utf8)) else {
            return ([], ["services: systemctl list-units printed JSON that does not parse"])
        }
        let items = rows.compactMap { row -> Service? in
            guard let name = row.unit, name.hasSuffix(".service") else { return nil }
            return Service(name: name, load: row.load ?? "", active: row.active ?? "", sub: row.sub ?? "",
                           source: .systemd, description: row.description.flatMap { $0.isEmpty ? nil : $0 })
        }
        return (items, [])
    }

    private static func unitFilesJSON(_ text: String) -> (states: [String: String], notes: [String]) {
        guard let rows = try? JSONDecoder().decode([UnitFileRow].self, from: Data(text.utf8)) else {
            return ([:], ["services: systemctl list-unit-files printed JSON that does not parse"])
        }
        var states: [String: String] = [:]
        for row in rows {
            guard let file = row.unit_file, let state = row.state else { continue }
            // Some versions print the full path of the unit file.
            let name = file.split(separator: "/").last.map(String.init) ?? file
            states[name] = state
        }
        return (states, [])
    }
}

/// Whitespace-separated words of a line, with the rest of the line from any word on.
struct Tokens {
    let line: String
    let ranges: [Range<String.Index>]

    init(_ line: String) {
        self.line = line
        // By UTF-8 byte, not Character (grapheme breaking made this the parse's hot spot) nor
        // scalar properties (a table lookup per scalar was still a tenth of a capture's client
        // CPU): ASCII bytes are whitespace or not by their value; only a non-ASCII scalar
        // (U+00A0, U+2028, ...) asks Unicode, so the cuts are those `isWhitespace` gives.
        var ranges: [Range<String.Index>] = []
        let bytes = line.utf8
        var i = bytes.startIndex
        var start: String.Index?
        while i < bytes.endIndex {
            let byte = bytes[i]
            let next: String.Index
            let blank: Bool
            if byte < 0x80 {
                blank = byte == 32 || (9...13).contains(byte)
                next = bytes.index(after: i)
            } else {
                let scalars = line.unicodeScalars
                blank = scalars[i].properties.isWhitespace
                next = scalars.index(after: i)
            }
            if blank {
                if let s = start { ranges.append(s..<i); start = nil }
            } else if start == nil {
                start = i
            }
            i = next
        }
        if let s = start { ranges.append(s..<bytes.endIndex) }
        self.ranges = ranges
    }

    var count: Int { ranges.count }
    var words: [String] { ranges.map { String(line[$0]) } }
    func word(_ i: Int) -> String? { i < ranges.count ? String(line[ranges[i]]) : nil }
    /// The line from word `i` to its end, trailing spaces removed; nil past the last word.
    func rest(from i: Int) -> String? {
        guard i < ranges.count else { return nil }
        return String(line[ranges[i].lowerBound...]).trimmingCharacters(in: .whitespaces)
    }
}
