/// Kernel, OS and reboot state of a host.
public struct SystemFacts: Codable, Sendable, Equatable {
    public var hostname: String
    public var os: OSRelease
    public var kernel: String
    public var arch: String
    /// /proc/sys/kernel/random/boot_id: changes on every boot.
    public var bootID: String
    /// Volatile: never compared.
    public var uptimeSeconds: Int
    /// nil when the host gives no way to tell.
    public var rebootRequired: Bool?
    public var rebootRequiredPackages: [String]

    public init(hostname: String = "", os: OSRelease = OSRelease(), kernel: String = "", arch: String = "",
                bootID: String = "", uptimeSeconds: Int = 0, rebootRequired: Bool? = nil,
                rebootRequiredPackages: [String] = []) {
        self.hostname = hostname
        self.os = os
        self.kernel = kernel
        self.arch = arch
        self.bootID = bootID
        self.uptimeSeconds = uptimeSeconds
        self.rebootRequired = rebootRequired
        self.rebootRequiredPackages = rebootRequiredPackages
    }
}

/// The fields of /etc/os-release PostPatch keeps.
public struct OSRelease: Codable, Sendable, Equatable {
    public var id: String
    public var versionID: String
    public var prettyName: String
    public init(id: String = "", versionID: String = "", prettyName: String = "") {
        self.id = id
        self.versionID = versionID
        self.prettyName = prettyName
    }
}
