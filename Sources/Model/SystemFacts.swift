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
    /// Why a reboot is required, one sentence each (the reboot-required file, a kernel newer than
    /// the running one, core packages upgraded after the boot, the package manager's own tool).
    /// Empty when none holds or none could be checked.
    public var rebootReasons: [String]

    public init(hostname: String = "", os: OSRelease = OSRelease(), kernel: String = "", arch: String = "",
                bootID: String = "", uptimeSeconds: Int = 0, rebootRequired: Bool? = nil,
                rebootRequiredPackages: [String] = [], rebootReasons: [String] = []) {
        self.hostname = hostname
        self.os = os
        self.kernel = kernel
        self.arch = arch
        self.bootID = bootID
        self.uptimeSeconds = uptimeSeconds
        self.rebootRequired = rebootRequired
        self.rebootRequiredPackages = rebootRequiredPackages
        self.rebootReasons = rebootReasons
    }

    enum CodingKeys: String, CodingKey {
        case hostname, os, kernel, arch, bootID, uptimeSeconds, rebootRequired, rebootRequiredPackages, rebootReasons
    }

    /// Snapshots from before `rebootReasons` read with none.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hostname = try c.decode(String.self, forKey: .hostname)
        os = try c.decode(OSRelease.self, forKey: .os)
        kernel = try c.decode(String.self, forKey: .kernel)
        arch = try c.decode(String.self, forKey: .arch)
        bootID = try c.decode(String.self, forKey: .bootID)
        uptimeSeconds = try c.decode(Int.self, forKey: .uptimeSeconds)
        rebootRequired = try c.decodeIfPresent(Bool.self, forKey: .rebootRequired)
        rebootRequiredPackages = try c.decode([String].self, forKey: .rebootRequiredPackages)
        rebootReasons = try c.decodeIfPresent([String].self, forKey: .rebootReasons) ?? []
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
