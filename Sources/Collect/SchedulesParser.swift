import Model

/// Pure parsers of the schedules section's steps: never throw, bounded.
enum SchedulesParser {
    /// Crontab lines read at most (comments and blank lines are dropped on the host).
    static let cronLineLimit = 2000
    /// Unit directories whose timer files count (systemd's order; the transient folder is left
    /// out: `systemd-run --on-active` timers come and go by themselves).
    static let timerDirectories = ["/etc/systemd/system", "/run/systemd/system", "/run/systemd/generator",
                                   "/usr/local/lib/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system"]

    /// The timers step: `systemctl list-units --type=timer --all --plain` rows, then `wants PATH`
    /// (enabled), `file PATH` (a unit file) and `masked PATH` (a link to /dev/null) lines.
    /// `starts`: timer → the unit it starts (from the services section's timer files).
    static func timers(_ text: String, starts: [String: String] = [:]) -> (items: [ScheduledTimer], notes: [String]) {
        var loaded: [String: (load: String, active: String)] = [:]
        var files = Set<String>(), enabled = Set<String>(), masked = Set<String>()
        var notes: [String] = []
        for raw in text.split(separator: "\n").prefix(20_000) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard words.count >= 2 else { continue }
            func base(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }
            switch words[0] {
            case "wants": enabled.insert(base(words[1]))
            case "file": files.insert(base(words[1]))
            case "masked": masked.insert(base(words[1]))
            default:
                // "● name.timer loaded active waiting Description": the marker is dropped.
                let row = words.first.map { $0.unicodeScalars.allSatisfy { !$0.isASCII } } == true ? Array(words.dropFirst()) : words
                guard row.count >= 3, row[0].hasSuffix(".timer"), validName(row[0]) else {
                    if notes.isEmpty { notes.append("schedules: a line systemctl printed was not understood: \(String(line.prefix(80)))") }
                    continue
                }
                loaded[row[0]] = (row[1], row[2])
            }
        }
        var items: [ScheduledTimer] = []
        // Templates (foo@.timer) never run by themselves; loaded timers without a unit file are
        // transient (systemd-run) and come and go.
        for name in files.union(masked) where !name.contains("@.") && validName(name) {
            let state = loaded[name]
            let isMasked = masked.contains(name) || state?.load == "masked"
            let unit = starts[name] ?? String(name.dropLast(".timer".count)) + ".service"
            items.append(ScheduledTimer(name: name, unit: unit, active: state?.active ?? "inactive",
                                        enabled: enabled.contains(name) && !isMasked, masked: isMasked))
        }
        for (name, state) in loaded where !files.contains(name) && !masked.contains(name) && name.contains("@") && !name.contains("@.") {
            // An instance of a template timer (foo@bar.timer): its file is the template's.
            let template = String(name[..<name.firstIndex(of: "@")!]) + "@.timer"
            guard files.contains(template) else { continue }
            items.append(ScheduledTimer(name: name, unit: starts[name] ?? String(name.dropLast(".timer".count)) + ".service",
                                        active: state.active, enabled: enabled.contains(name), masked: state.load == "masked"))
        }
        return (items.sorted { $0.name < $1.name }, notes)
    }

    static func validName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 256 && name.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && $0 != "/" }
    }

    /// The cron step: `file PATH` then `line N TEXT` for each non-comment line of crontab-format
    /// files; `unreadable PATH`; md5sum's `HEX  PATH` lines for the run-parts scripts; `cut`.
    static func cron(_ text: String) -> (items: [CronJob], notes: [String], unreadable: [String], cut: Bool) {
        var items: [CronJob] = []
        var notes: [String] = [], unreadable: [String] = []
        var file: String?, cut = false
        var odd = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true).prefix(cronLineLimit + 200) {
            let line = String(raw)
            if line == "cut" { cut = true; continue }
            if line.hasPrefix("file\t") { file = String(line.dropFirst(5)); continue }
            if line.hasPrefix("unreadable ") { unreadable.append(String(line.dropFirst(11))); continue }
            if line.hasPrefix("line\t"), let source = file {
                let parts = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
                guard parts.count == 3, let n = Int(parts[1]) else { odd += 1; continue }
                if let job = job(String(parts[2]), source: source, line: n) { items.append(job) }
                continue
            }
            if let job = script(line) { items.append(job); continue }
            odd += 1
        }
        if odd > 0 { notes.append("schedules: \(odd) line\(odd == 1 ? "" : "s") of the cron listing not understood") }
        return (items.sorted { $0.sortKey < $1.sortKey }, notes, unreadable, cut)
    }

    static let periods: [String: String] = ["hourly": "hourly", "daily": "daily", "weekly": "weekly", "monthly": "monthly"]

    /// md5sum's `HEX  /etc/cron.daily/NAME`: a script run-parts runs (names of letters, digits,
    /// `_` and `-` only, as Debian's run-parts requires; others are skipped as it skips them).
    static func script(_ line: String) -> CronJob? {
        let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 32, parts[0].allSatisfy(\.isHexDigit) else { return nil }
        let path = parts[1].hasPrefix(" ") ? String(parts[1].dropFirst()) : String(parts[1])
        let pieces = path.split(separator: "/")
        guard pieces.count == 3, pieces[0] == "etc", pieces[1].hasPrefix("cron."),
              let period = periods[String(pieces[1].dropFirst(5))] else { return nil }
        let name = pieces[2]
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else { return nil }
        return CronJob(source: path, schedule: period, user: "root", digest: String(parts[0].lowercased().prefix(16)))
    }

    /// One crontab line: an environment setting (NAME=value) is no job; system crontabs
    /// (/etc/crontab, /etc/cron.d/) have a user column; anacrontab has period, delay and id;
    /// users' crontabs belong to the user their file is named after.
    static func job(_ text: String, source: String, line: Int) -> CronJob? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
        if let eq = trimmed.firstIndex(of: "="), !trimmed[..<eq].contains(where: { $0 == " " || $0 == "\t" }),
           !trimmed.hasPrefix("@"), trimmed.first.map({ !$0.isNumber && $0 != "*" }) == true { return nil }
        var words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let anacron = source == "/etc/anacrontab"
        let system = source == "/etc/crontab" || source.hasPrefix("/etc/cron.d/")
        var schedule: [String]
        if anacron {
            guard words.count >= 4 else { return nil }
            schedule = Array(words.prefix(3))
            words.removeFirst(3)
        } else if words.first?.hasPrefix("@") == true {
            schedule = [words.removeFirst()]
        } else {
            guard words.count >= (system ? 7 : 6) else { return nil }
            schedule = Array(words.prefix(5))
            words.removeFirst(5)
        }
        var user: String?
        if anacron {
            user = nil
        } else if system {
            guard words.count >= 2 else { return nil }
            user = words.removeFirst()
        } else {
            guard !words.isEmpty else { return nil }
            user = source.split(separator: "/").last.map(String.init)
        }
        let command = words.joined(separator: " ")
        guard !command.isEmpty else { return nil }
        return CronJob(source: source, line: line, schedule: schedule.joined(separator: " "), user: user,
                       digest: String(SHA256.hex(command).prefix(16)))
    }
}
