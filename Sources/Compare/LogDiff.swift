import Foundation
import Model

/// Journal errors and core dumps. Counts are since each snapshot's boot, so a reboot starts
/// them over and they are never compared: only a unit with no message at priority err or worse
/// in the baseline can fire (`log-errors-new`), with its first three lines as evidence. Lines
/// matching an `ignore: { logs: [...] }` regex do not count, in either snapshot. A core dump
/// the baseline did not list is `crash-dump-new`.
///
/// A baseline that read the journal only in part (not root, or past the entry limit) cannot say
/// what is new: nothing is reported against it until a complete baseline is taken.
enum LogDiff {
    static func items(baseline: Snapshot, current: Snapshot, maker: FindingMaker) -> [CheckedItem] {
        let known = KnownIssues(maker.rules.ignore[.logs])
        let complete = baseline.partialReason(.logs) == nil
        var quiet = Set<String>()
        for u in baseline.logErrors where known.counts(u) { quiet.insert(u.unit) }
        let noisy = current.logErrors.filter(known.counts)
        var items = [maker.item(.logs, "journal errors (\(noisy.count) units)")]
        for u in noisy where complete && !quiet.contains(u.unit) {
            items.append(maker.item(.logs, u.unit, [newErrors(u, known, maker)]))
        }
        let seen = Set(baseline.crashDumps.map(\.identity))
        let fresh = current.crashDumps.filter { !seen.contains($0.identity) }
        items.append(maker.item(.logs, "crash dumps (\(current.crashDumps.count))"))
        for dump in fresh where complete {
            items.append(maker.item(.logs, "crash \(dump.subject)", [
                maker.make(.crashDumpNew, "crash \(dump.subject)", after: dump.path ?? dump.executable, describe(dump)),
            ]))
        }
        return items
    }

    static func newErrors(_ u: UnitLogErrors, _ known: KnownIssues, _ maker: FindingMaker) -> Finding {
        let evidence = known.kept(u).prefix(3).map { "\"\(String($0.prefix(160)))\"" }
        let more = u.omitted > 0 ? " (and \(u.omitted) more not kept)" : ""
        let shown = evidence.isEmpty ? "" : ": " + evidence.joined(separator: "; ")
        return maker.make(.logErrorsNew, u.unit, before: "0", after: String(u.count),
                          "\(u.unit) logged \(u.count) message(s) at priority err or worse this boot, none in the baseline's\(shown)\(more)")
    }

    static func describe(_ d: CrashDump) -> String {
        let when = ISO8601.string(Date(timeIntervalSince1970: TimeInterval(d.time)))
        switch d.source {
        case .journal:
            var about = [d.pid.map { "pid \($0)" }, d.signal.map(signalName), d.unit].compactMap { $0 }.joined(separator: ", ")
            if !about.isEmpty { about = " (\(about))" }
            return "\(d.executable ?? "a process")\(about) dumped core at \(when)"
        case .file:
            return "core file \(d.path ?? "?") written at \(when)"
        }
    }

    static func signalName(_ n: Int) -> String {
        let names = [3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 11: "SIGSEGV",
                     24: "SIGXCPU", 25: "SIGXFSZ", 31: "SIGSYS"]
        return names[n] ?? "signal \(n)"
    }
}

/// The `ignore: { logs: [...] }` regexes of one host, compiled once per comparison. Config
/// refuses an invalid one when it reads the file; one that slips through here matches nothing.
struct KnownIssues {
    let patterns: [NSRegularExpression]

    init(_ sources: [String]) {
        patterns = sources.compactMap { try? NSRegularExpression(pattern: $0) }
    }

    func matches(_ line: String) -> Bool {
        let range = NSRange(line.startIndex..., in: line)
        return patterns.contains { $0.firstMatch(in: line, range: range) != nil }
    }

    /// The unit's lines no regex matches.
    func kept(_ u: UnitLogErrors) -> [String] {
        patterns.isEmpty ? u.lines : u.lines.filter { !matches($0) }
    }

    /// True when the unit still has errors once known lines are dropped: a kept line, or
    /// messages whose text the snapshot did not keep (they cannot be known to match).
    func counts(_ u: UnitLogErrors) -> Bool {
        u.count > 0 && (!kept(u).isEmpty || u.omitted > 0 || u.lines.isEmpty)
    }
}
