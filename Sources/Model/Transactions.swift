import Foundation

/// What the host's package manager logged since a point in time (the baseline's capture): the
/// runs (apt's history.log), each package change (dpkg.log), and, for each changed package, the
/// files that let a finding be traced back to it (units, programs, shared libraries). Read by
/// the `transactions` section only when the capture knows its baseline (verify, drift, rollout).
public struct PackageTransactions: Codable, Sendable, Equatable {
    /// The start of the window read, as the host wrote it in its logs (its local time).
    public var since: String
    /// The host's UTC offset when it was read (`+0100`): log times are local.
    public var utcOffset: String?
    public var runs: [PackageRun]
    public var changes: [PackageChangeRecord]
    /// The changed packages' files that findings name: unit files, programs, shared libraries.
    public var files: [PackageFiles]
    /// True when a bound cut the logs or the file lists short (the newest entries are kept).
    public var truncated: Bool?

    public init(since: String = "", utcOffset: String? = nil, runs: [PackageRun] = [], changes: [PackageChangeRecord] = [],
                files: [PackageFiles] = [], truncated: Bool? = nil) {
        self.since = since
        self.utcOffset = utcOffset
        self.runs = runs
        self.changes = changes
        self.files = files
        self.truncated = truncated
    }

    /// The packages with a change in the window, by name.
    public var changedNames: Set<String> { Set(changes.map(\.name)) }
}

/// One run of the package manager (an `apt-get`/`apt`/`unattended-upgrade` run in history.log,
/// a dnf transaction): when, which command (its program and subcommand only: arguments can hold
/// anything), how many packages, and the error it ended with, if any.
public struct PackageRun: Codable, Sendable, Equatable {
    public var start: String
    public var end: String?
    public var command: String
    public var packages: Int
    public var error: String?

    public init(start: String, end: String? = nil, command: String, packages: Int = 0, error: String? = nil) {
        self.start = start
        self.end = end
        self.command = command
        self.packages = packages
        self.error = error
    }
}

/// One package change as dpkg logged it: `install`, `upgrade`, `remove` or `purge`, with the
/// versions before and after (`<none>` in the log is nil here).
public struct PackageChangeRecord: Codable, Sendable, Equatable {
    public var at: String
    public var action: String
    public var name: String
    public var arch: String
    public var old: String?
    public var new: String?

    public init(at: String, action: String, name: String, arch: String, old: String?, new: String?) {
        self.at = at
        self.action = action
        self.name = name
        self.arch = arch
        self.old = old
        self.new = new
    }
}

/// A changed package's files that findings can name.
public struct PackageFiles: Codable, Sendable, Equatable, SortKeyed {
    public var package: String
    public var files: [String]

    public init(package: String, files: [String]) {
        self.package = package
        self.files = files
    }

    public var sortKey: String { package }
}
