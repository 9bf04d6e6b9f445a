/// One service (or group of processes) still running code that was deleted or replaced on disk
/// since it started: the patch is installed but not in effect there until it restarts.
public struct OutdatedService: Codable, Sendable, Equatable, SortKeyed {
    /// What runs it, as `kind` says: a systemd unit ("ssh.service"), a SysV/OpenRC service name,
    /// "systemd" for the service manager (PID 1), "session" or "other".
    public var name: String
    public var kind: OutdatedKind
    /// The processes' command names (comm), sorted, without repeats; pids are volatile and not kept.
    public var processes: [String]
    /// A bounded sample of the replaced files (full paths), sorted.
    public var files: [String]
    /// How many replaced files there are in all (`files` holds at most ``OutdatedService/sampleSize``).
    public var fileCount: Int

    public static let sampleSize = 8

    public init(name: String, kind: OutdatedKind, processes: [String], files: [String], fileCount: Int) {
        self.name = name
        self.kind = kind
        self.processes = processes
        self.files = files
        self.fileCount = fileCount
    }

    public var sortKey: String { name }

    /// "libssl.so.3, libc.so.6 (+3 more)": the sample's base names, for a sentence.
    public var filesText: String {
        let names = files.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        let more = fileCount > files.count ? " (+\(fileCount - files.count) more)" : ""
        return names.joined(separator: ", ") + more
    }
}

/// What runs a group of outdated processes.
public enum OutdatedKind: String, Codable, Sendable, Equatable {
    /// A systemd unit, from /proc/PID/cgroup.
    case unit
    /// PID 1, the service manager itself: `systemctl daemon-reexec` or a reboot.
    case manager
    /// A SysV or OpenRC service, from its pid file.
    case service
    /// Login sessions (a session scope, or a process with a terminal).
    case session
    /// Anything else.
    case other
}
