public enum PackageManager: String, Codable, Sendable, Equatable {
    case dpkg, rpm, apk
}

/// An installed package. `version` includes the epoch when there is one ("1:2.3-4").
public struct InstalledPackage: Codable, Sendable, Equatable, SortKeyed {
    public var name: String
    public var arch: String
    public var version: String
    public var manager: PackageManager

    public init(name: String, arch: String, version: String, manager: PackageManager) {
        self.name = name
        self.arch = arch
        self.version = version
        self.manager = manager
    }

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

    public init(name: String, arch: String? = nil, currentVersion: String? = nil,
                candidateVersion: String, security: Bool, origin: String? = nil, advisories: [Advisory]? = nil) {
        self.name = name
        self.arch = arch
        self.currentVersion = currentVersion
        self.candidateVersion = candidateVersion
        self.security = security
        self.origin = origin
        self.advisories = advisories
    }

    public var sortKey: String { "\(name)|\(arch ?? "")" }
}
