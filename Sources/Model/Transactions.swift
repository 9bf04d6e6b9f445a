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
    /// What the upgrades in the window fixed, from their changelogs' entries newer than the old
    /// version (RPM: dnf's or yum's updateinfo for the versions the window brought): the packages
    /// with any CVE or advisory id. nil when not read (an older capture, a step that failed);
    /// `[]` when read and naming none.
    public var fixes: [PackageFix]?

    public init(since: String = "", utcOffset: String? = nil, runs: [PackageRun] = [], changes: [PackageChangeRecord] = [],
                files: [PackageFiles] = [], truncated: Bool? = nil, fixes: [PackageFix]? = nil) {
        self.since = since
        self.utcOffset = utcOffset
        self.runs = runs
        self.changes = changes
        self.files = files
        self.truncated = truncated
        self.fixes = fixes
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

/// What one upgrade fixed: the CVE ids and Debian advisory ids (DSA-, DLA-) its changelog's
/// entries newer than the old version name, for the new version installed.
public struct PackageFix: Codable, Sendable, Equatable, SortKeyed {
    public var package: String
    /// The version installed now (the upgrade's new version).
    public var version: String
    public var cves: [String]
    public var advisories: [String]
    /// True when a bound (or the changelog's end) came before the old version's entry: the ids
    /// may be only part of what the upgrade fixed (or, at the file's end, more). nil otherwise.
    public var partial: Bool?

    public init(package: String, version: String, cves: [String] = [], advisories: [String] = [], partial: Bool? = nil) {
        self.package = package
        self.version = version
        self.cves = cves
        self.advisories = advisories
        self.partial = partial
    }

    public var sortKey: String { package }

    /// "CVE-2024-0727, CVE-2024-2511 (DSA-5678-1)", or the advisories alone.
    public var idsText: String {
        let advisoryText = advisories.joined(separator: ", ")
        if cves.isEmpty { return advisoryText }
        return cves.joined(separator: ", ") + (advisories.isEmpty ? "" : " (\(advisoryText))")
    }
}
