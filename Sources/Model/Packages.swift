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

    public var sortKey: String { "\(name)|\(arch)" }
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
