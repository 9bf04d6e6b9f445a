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

    public init(name: String, arch: String? = nil, currentVersion: String? = nil,
                candidateVersion: String, security: Bool) {
        self.name = name
        self.arch = arch
        self.currentVersion = currentVersion
        self.candidateVersion = candidateVersion
        self.security = security
    }

    public var sortKey: String { "\(name)|\(arch ?? "")" }
}
