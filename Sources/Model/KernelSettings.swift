/// One kernel setting (`sysctl`), read from /proc/sys, with the value the host's configuration
/// persists for it (`/etc/sysctl.d/*.conf`, `/etc/sysctl.conf` and the packages' folders, in
/// systemd-sysctl's order: the last file to set a key wins). Kept: the settings that matter
/// after a reboot (``defaultKeys``) and every key the host's own files set.
public struct KernelSetting: Codable, Sendable, Equatable, SortKeyed {
    /// "net.ipv4.ip_forward".
    public var key: String
    /// The value now, blanks squeezed ("32768 60999").
    public var value: String
    /// The value the configuration sets at boot; nil when no file sets it.
    public var persisted: String?
    /// The file that sets it (the last one, which wins).
    public var persistedIn: String?

    public init(key: String, value: String, persisted: String? = nil, persistedIn: String? = nil) {
        self.key = key
        self.value = value
        self.persisted = persisted
        self.persistedIn = persistedIn
    }

    public var sortKey: String { key }

    /// Read always, set or not: what changes a host's behaviour after a reboot most often.
    public static let defaultKeys = ["net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding", "net.ipv4.conf.all.rp_filter",
                                     "net.ipv4.conf.default.rp_filter", "net.core.somaxconn", "vm.swappiness",
                                     "vm.overcommit_memory", "kernel.panic", "fs.file-max", "net.ipv4.ip_local_port_range"]
}
