/// The journal messages at priority err or worse (emerg, alert, crit, err) one unit logged
/// during the current boot, as far as the collector's bounded read reached.
///
/// Only the unit's presence is compared: a unit absent from the baseline's list (no such
/// message in the baseline's boot) that is present now is `log-errors-new`. The count and the
/// lines are evidence, volatile (see ``VolatileFields``): a chatty unit's count grows with no
/// change to the host, and a reboot starts it over.
public struct UnitLogErrors: Codable, Sendable, Equatable, SortKeyed {
    /// The systemd unit ("nginx.service"); "kernel" for kernel messages; the syslog identifier for
    /// messages from outside any unit. Per-login names are folded: "session-*.scope".
    public var unit: String
    /// How many such messages were read for the unit.
    public var count: Int
    /// The distinct message texts, first seen first, escaped to one printable line and bounded
    /// (at most ``maxLines``, each at most ``maxLineCharacters`` characters).
    public var lines: [String]
    /// Messages whose text is not among `lines` (past ``maxLines`` distinct ones): an
    /// `ignore: { logs: [...] }` rule cannot know whether they would match.
    public var omitted: Int

    public static let maxLines = 10
    public static let maxLineCharacters = 240

    public init(unit: String, count: Int, lines: [String], omitted: Int = 0) {
        self.unit = unit
        self.count = count
        self.lines = lines
        self.omitted = omitted
    }

    public var sortKey: String { unit }
}

/// A core dump on the host: one systemd-coredump recorded in the journal this boot, or a core
/// file where the kernel's `core_pattern` writes them.
public struct CrashDump: Codable, Sendable, Equatable, SortKeyed {
    public enum Source: String, Codable, Sendable, Equatable {
        /// systemd-coredump's journal entry (what `coredumpctl list` shows).
        case journal
        /// A file matching `core_pattern` (or apport's `/var/crash/*.crash`).
        case file
    }

    public var source: Source
    /// The crashed program ("/usr/bin/sleep"), when known.
    public var executable: String?
    public var pid: Int?
    /// The signal that killed it, as a number (11 = SIGSEGV), when known.
    public var signal: Int?
    /// The unit the crashed process ran in, when systemd-coredump knew it.
    public var unit: String?
    /// The core file, for `file` dumps (and journal dumps that name theirs).
    public var path: String?
    /// When it crashed (journal) or the file was last written, in seconds since the epoch.
    public var time: Int

    public init(source: Source, executable: String? = nil, pid: Int? = nil, signal: Int? = nil, unit: String? = nil,
                path: String? = nil, time: Int) {
        self.source = source
        self.executable = executable
        self.pid = pid
        self.signal = signal
        self.unit = unit
        self.path = path
        self.time = time
    }

    /// What makes two records the same dump: the crash itself (pid and time) for the journal,
    /// the file and its write time for a core file (a second crash rewrites `/core`).
    public var identity: String {
        switch source {
        case .journal: return "journal|\(pid.map(String.init) ?? "")|\(time)|\(executable ?? "")"
        case .file: return "file|\(path ?? "")|\(time)"
        }
    }

    /// What a report names the dump by: the program, else the file.
    public var subject: String {
        if let executable, !executable.isEmpty { return executable.split(separator: "/").last.map(String.init) ?? executable }
        return path ?? "core dump"
    }

    public var sortKey: String { "\(String(repeating: "0", count: max(0, 12 - String(time).count)))\(time)|\(identity)" }
}
