/// One mounted filesystem of the host, from /proc/self/mountinfo, with its space from `df -P`.
/// Pseudo and volatile mounts (proc, sysfs, cgroup, per-user tmpfs, container overlays) are
/// never recorded (see `MountsParser.skipped` in Collect). Size and use are volatile: kept for
/// the record and for `space-low`, never compared as such.
public struct Mount: Codable, Sendable, Equatable, SortKeyed {
    /// Where it is mounted ("/", "/srv/data"); the octal escapes of mountinfo decoded.
    public var mountPoint: String
    /// What is mounted: a device ("/dev/vda1"), an export ("nas:/export"), "tmpfs"; a bind
    /// mount of a folder names that folder in brackets, as findmnt does ("/dev/vda1[/srv/x]").
    public var source: String
    /// "ext4", "xfs", "nfs4", "tmpfs".
    public var fsType: String
    /// Mounted read-only (the per-mount `ro` flag, or a superblock mounted `ro`).
    public var readOnly: Bool
    /// Size in KiB from `df -P`; nil when df did not list it (bind mounts of a listed
    /// filesystem, df timed out).
    public var sizeKB: Int?
    /// df's Capacity: used / (used + available), rounded up; nil when unknown.
    public var usedPercent: Int?

    public init(mountPoint: String, source: String, fsType: String, readOnly: Bool,
                sizeKB: Int? = nil, usedPercent: Int? = nil) {
        self.mountPoint = mountPoint
        self.source = source
        self.fsType = fsType
        self.readOnly = readOnly
        self.sizeKB = sizeKB
        self.usedPercent = usedPercent
    }

    public var sortKey: String { mountPoint }
}

/// One loaded kernel module, from /proc/modules.
public struct KernelModule: Codable, Sendable, Equatable, SortKeyed {
    public var name: String
    /// The taint letters the kernel shows for it ("O" out of tree, "E" unsigned, "P"
    /// proprietary; "" when none): out-of-tree (DKMS) modules are the ones a new kernel loses.
    public var taints: String

    public init(name: String, taints: String = "") {
        self.name = name
        self.taints = taints
    }

    public var sortKey: String { name }
}
