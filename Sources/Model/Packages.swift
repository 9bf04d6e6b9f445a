import Foundation

public enum PackageManager: String, Codable, Sendable, Equatable {
    case dpkg, rpm, apk
}

/// An installed package. `version` includes the epoch when there is one ("1:2.3-4").
public struct InstalledPackage: Codable, Sendable, Equatable, SortKeyed {
    public var name: String
    public var arch: String
    /// For a dpkg package caught half-way (unpacked, half-installed), the version dpkg records
    /// is the new one, the one being installed.
    public var version: String
    public var manager: PackageManager
    /// Why the package is not fully installed; nil (not written) when it is. Snapshots taken
    /// before this field existed read as fully installed.
    public var state: PackageState?
    /// dpkg's `reinstreq` flag (`dpkg -l` shows an `R`): dpkg refuses to touch the package
    /// until it is reinstalled. Written only when set.
    public var reinstRequired: Bool?

    public init(name: String, arch: String, version: String, manager: PackageManager,
                state: PackageState? = nil, reinstRequired: Bool? = nil) {
        self.name = name
        self.arch = arch
        self.version = version
        self.manager = manager
        self.state = state
        self.reinstRequired = reinstRequired
    }

    /// Anything else than fully installed: a state, or dpkg's reinstall-required flag.
    public var isBroken: Bool { state != nil || reinstRequired == true }

    public var sortKey: String { name + "|" + arch }
}

/// An update the package manager would install: the "detect missing patches" step.
public struct PendingUpdate: Codable, Sendable, Equatable, SortKeyed {
    public var name: String
    public var arch: String?
    public var currentVersion: String?
    public var candidateVersion: String
    /// True when the source says the update is a security fix.
    public var security: Bool
    /// apt: the candidate's sources as `apt-get -s` names them ("Debian-Security:12/stable-security"),
    /// a security one first, ", " between several. Nil where the tool names none.
    public var origin: String?
    /// dnf/yum and zypper: the advisories that name the update (worst first, at most
    /// ``Advisory/maxPerUpdate``); nil when unknown (no metadata, or a tool without any).
    public var advisories: [Advisory]?
    /// A security update: the first capture that saw it pending on this host (the baselines
    /// folder's first-seen record, docs/patch.md); nil when none was kept (a lone `snapshot`).
    public var firstSeen: Date?
    /// apt and dnf/yum: whether the update could be undone (the installed version still
    /// obtainable, the package one its manager downgrades safely); nil (not written) when not
    /// checked: another manager, a new install (its undo is a removal), or an older snapshot.
    public var rollback: RollbackCheck?

    public init(name: String, arch: String? = nil, currentVersion: String? = nil,
                candidateVersion: String, security: Bool, origin: String? = nil, advisories: [Advisory]? = nil,
                firstSeen: Date? = nil, rollback: RollbackCheck? = nil) {
        self.name = name
        self.arch = arch
        self.currentVersion = currentVersion
        self.candidateVersion = candidateVersion
        self.security = security
        self.origin = origin
        self.advisories = advisories
        self.firstSeen = firstSeen
        self.rollback = rollback
    }

    public var sortKey: String { "\(name)|\(arch ?? "")" }
}

/// Can a pending update be undone? The preflight of `baseline` and `rollout` (docs/rollout.md).
public enum RollbackCheck: String, Codable, Sendable, Equatable {
    /// The installed version is still in a repository or the package cache.
    case ok
    /// Kernels: installed beside the running one, the old version stays (boot it to go back).
    case sideBySide = "side-by-side"
    /// The installed version is in no repository and not in the package cache.
    case notObtainable = "not-obtainable"
    /// A package its manager does not downgrade safely (glibc on RPM: `dnf history undo`
    /// is unsupported for it).
    case unsafe

    /// True when undoing the update is not possible (or not safe) through the manager.
    public var blocksRollback: Bool { self == .notObtainable || self == .unsafe }
}

/// The last transaction in the rpm host's package history (`dnf history info last`, or yum's):
/// an update killed half-way or failed in a scriptlet is recorded with a return code other
/// than "Success". Only the lines up to the return code are read; the command line, which may
/// carry options with secrets, never leaves the host.
public struct LastPackageTransaction: Codable, Sendable, Equatable {
    /// "dnf" or "yum".
    public var tool: String
    public var id: Int
    /// As the tool prints it: "Success", "Failure: 1", "** Aborted **".
    public var returnCode: String
    /// As the tool prints it, in the host's locale ("Mon Dec  7 21:39:33 2026").
    public var begin: String?

    public init(tool: String, id: Int, returnCode: String, begin: String? = nil) {
        self.tool = tool
        self.id = id
        self.returnCode = returnCode
        self.begin = begin
    }

    public var succeeded: Bool { returnCode == "Success" }
}
