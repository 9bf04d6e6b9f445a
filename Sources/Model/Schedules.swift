/// Scheduled work: systemd timers and cron jobs (crontabs, cron.d, the run-parts folders,
/// users' crontabs, anacrontab). Work that silently stops (backups, log rotation, certificate
/// renewal) is found weeks later; a patch that disables a timer or drops a cron.d file is named
/// at verify. Never the command text of a job: a digest and where it is.
public struct Schedules: Codable, Sendable, Equatable {
    public var timers: [ScheduledTimer]
    public var cron: [CronJob]

    public init(timers: [ScheduledTimer] = [], cron: [CronJob] = []) {
        self.timers = timers
        self.cron = cron
    }
}

/// One systemd timer unit: what it starts, whether it runs and whether it starts at boot.
public struct ScheduledTimer: Codable, Sendable, Equatable, SortKeyed {
    /// "logrotate.timer".
    public var name: String
    /// The unit it starts (`Unit=`, else the timer's name with `.service`).
    public var unit: String
    /// systemd's ACTIVE column: "active", "inactive" (not loaded: inactive too), "failed".
    public var active: String
    /// A symlink in an `/etc/systemd/system/*.wants/` folder: `systemctl enable`'s mark.
    public var enabled: Bool
    /// Masked (`systemctl mask`): loaded as masked, never started. Written only when true.
    public var masked: Bool?

    public init(name: String, unit: String, active: String, enabled: Bool, masked: Bool? = nil) {
        self.name = name
        self.unit = unit
        self.active = active
        self.enabled = enabled
        self.masked = masked == true ? true : nil
    }

    public var sortKey: String { name }
}

/// One cron job: a line of a crontab-format file, or a script of a run-parts folder
/// (`/etc/cron.daily/logrotate`). Its command is kept as a digest only.
public struct CronJob: Codable, Sendable, Equatable, SortKeyed {
    /// The file: "/etc/crontab", "/etc/cron.d/certbot", "/etc/cron.daily/logrotate",
    /// "/var/spool/cron/crontabs/alice", "/etc/anacrontab".
    public var source: String
    /// The line in a crontab-format file; nil for a run-parts script.
    public var line: Int?
    /// "17 * * * *", "@reboot", "daily" (the run-parts folder's period), anacron's "1 5 cron.daily".
    public var schedule: String
    /// Who runs it: the user column of system crontabs, the owner of a user crontab (its file
    /// name), root for run-parts scripts; nil for anacron.
    public var user: String?
    /// SHA-256 (first 16 hex digits) of the command text, or md5 of a run-parts script.
    public var digest: String

    public init(source: String, line: Int? = nil, schedule: String, user: String? = nil, digest: String) {
        self.source = source
        self.line = line
        self.schedule = schedule
        self.user = user
        self.digest = digest
    }

    public var sortKey: String {
        let n = line.map { String($0) } ?? ""
        return source + "\u{0}" + String(repeating: "0", count: max(0, 8 - n.count)) + n
    }

    /// "/etc/cron.d/backup:2", "/etc/cron.daily/logrotate".
    public var place: String { line.map { "\(source):\($0)" } ?? source }
}
