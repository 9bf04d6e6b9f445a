import Foundation
import Model

/// `journalctl -b -p err -o json` (one JSON object per line, the fields of
/// ``LogsSection/journalFields``) and the core-file listing of the `logs.cores` step.
/// Never throws: a line that is not a journal entry is counted in a note and skipped.
enum LogsParser {
    /// systemd-coredump's journal entries carry this MESSAGE_ID (catalog: "Process dumped core").
    static let coredumpMessageID = "fc2e22bc6ee647b6b90729ab34a250b1"

    struct Journal {
        var units: [UnitLogErrors] = []
        var dumps: [CrashDump] = []
        /// Journal entries read (the bound applies to these).
        var entries = 0
        var notes: [String] = []
    }

    static func journal(_ text: String) -> Journal {
        var out = Journal()
        var order: [String] = []
        var byUnit: [String: UnitLogErrors] = [:]
        var bad = 0
        for line in text.split(separator: "\n") where !line.allSatisfy(\.isWhitespace) {
            guard let entry = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                bad += 1
                continue
            }
            out.entries += 1
            if let dump = crashDump(entry) {
                out.dumps.append(dump)
                continue
            }
            let unit = self.unit(of: entry)
            var record = byUnit[unit] ?? { order.append(unit); return UnitLogErrors(unit: unit, count: 0, lines: []) }()
            record.count += 1
            let message = LogText.line(self.message(entry["MESSAGE"]))
            if !record.lines.contains(message) {
                if record.lines.count < UnitLogErrors.maxLines { record.lines.append(message) } else { record.omitted += 1 }
            }
            byUnit[unit] = record
        }
        out.units = order.compactMap { byUnit[$0] }
        if bad > 0 { out.notes.append("logs: \(bad) line(s) of journalctl output are not journal entries") }
        return out
    }

    /// Who logged it. systemd's own messages about a unit ("Failed to start nginx.service")
    /// come from init.scope with UNIT= naming the unit: they count for that unit, as
    /// `journalctl -u` shows them. Names that change with every login or run are folded.
    static func unit(of entry: [String: Any]) -> String {
        let own = field(entry["_SYSTEMD_UNIT"])
        if own == "init.scope", let about = field(entry["UNIT"]), !about.isEmpty { return fold(about) }
        if let own, !own.isEmpty { return fold(own) }
        if field(entry["_TRANSPORT"]) == "kernel" { return "kernel" }
        if let identifier = field(entry["SYSLOG_IDENTIFIER"]), !identifier.isEmpty { return LogText.line(identifier) }
        return "unknown"
    }

    /// "session-12.scope" → "session-*.scope", "run-u42.service" → "run-*.service",
    /// "systemd-coredump@0-83-0.service" → "systemd-coredump@*.service": one name per kind, so
    /// the next login or crash does not read as a new unit.
    static func fold(_ unit: String) -> String {
        guard let dot = unit.lastIndex(of: ".") else { return LogText.line(unit) }
        let base = unit[..<dot], suffix = unit[dot...]
        if base.hasPrefix("session-"), base.dropFirst(8).allSatisfy(\.isNumber) { return "session-*\(suffix)" }
        if base.hasPrefix("run-"), base.dropFirst(4).first.map({ $0 == "u" || $0 == "r" || $0 == "p" }) == true,
           base.dropFirst(5).allSatisfy(\.isHexDigit) {
            return "run-*\(suffix)"
        }
        if base.hasPrefix("systemd-coredump@") { return "systemd-coredump@*\(suffix)" }
        return LogText.line(unit)
    }

    /// A core dump systemd-coredump recorded, nil for any other entry.
    static func crashDump(_ entry: [String: Any]) -> CrashDump? {
        guard field(entry["MESSAGE_ID"]) == coredumpMessageID else { return nil }
        let usec = field(entry["COREDUMP_TIMESTAMP"]).flatMap(Int.init) ?? field(entry["__REALTIME_TIMESTAMP"]).flatMap(Int.init) ?? 0
        return CrashDump(source: .journal, executable: field(entry["COREDUMP_EXE"]).map { LogText.line($0) },
                         pid: field(entry["COREDUMP_PID"]).flatMap(Int.init),
                         signal: field(entry["COREDUMP_SIGNAL"]).flatMap(Int.init),
                         unit: field(entry["COREDUMP_UNIT"]).map { LogText.line($0) },
                         path: field(entry["COREDUMP_FILENAME"]).map { LogText.line($0) }, time: usec / 1_000_000)
    }

    /// journalctl's JSON gives a field as a string, as an array of byte values (not valid UTF-8,
    /// or holding control characters), as null (over 4096 bytes, without --all), or as an array
    /// of those when the entry has the field more than once (the first is taken).
    static func message(_ value: Any?) -> String {
        if value == nil || value is NSNull { return "(message over 4096 bytes, not shown by journalctl)" }
        return field(value) ?? "(message in a form journalctl does not print as text)"
    }

    static func field(_ value: Any?) -> String? {
        switch value {
        case let s as String: return s
        case let bytes as [Any] where bytes.allSatisfy({ $0 is NSNumber }) && !bytes.isEmpty:
            let values = bytes.compactMap { ($0 as? NSNumber)?.intValue }
            guard values.allSatisfy({ (0...255).contains($0) }) else { return nil }
            return String(decoding: values.map(UInt8.init), as: UTF8.self)
        case let list as [Any]: return list.first.flatMap { field($0) }
        default: return nil
        }
    }

    /// The `logs.cores` step: `pattern=<core_pattern>` and `file=<mtime> <size> <path>` lines.
    static func cores(_ text: String) -> (pattern: String?, dumps: [CrashDump]) {
        var pattern: String?
        var dumps: [CrashDump] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("pattern=") {
                if pattern == nil { pattern = String(line.dropFirst(8)) }
            } else if line.hasPrefix("file=") {
                let f = line.dropFirst(5).split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
                guard f.count == 3, let mtime = Int(f[0]), !f[2].isEmpty else { continue }
                dumps.append(CrashDump(source: .file, path: LogText.line(String(f[2])), time: mtime))
            }
        }
        return (pattern, dumps)
    }
}

/// Host text made one printable, bounded line for a snapshot: control and format characters
/// (escapes, newlines, bidirectional overrides) become `\u{1B}`-style notation, so a log line
/// can neither forge report lines nor repaint a terminal; at most
/// ``UnitLogErrors/maxLineCharacters`` characters, then "…".
enum LogText {
    static func line(_ text: String, limit: Int = UnitLogErrors.maxLineCharacters) -> String {
        var out = String.UnicodeScalarView()
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit { return String(out) + "…" }
            if hidden(scalar) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
            count += 1
        }
        return String(out)
    }

    static func hidden(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: return true
        default: return s.value == 0xFFFE || s.value == 0xFFFF
        }
    }
}
