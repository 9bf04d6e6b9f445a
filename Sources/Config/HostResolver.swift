import Foundation

/// The one place that decides how a host is reached. Each setting (user, port, identity files,
/// known_hosts, sudo, connect and command timeouts) comes from the first source that gives it:
///
/// 1. command-line flags (`-u`, `-p`, `-i`, `--known-hosts`, `--sudo`, the timeouts);
/// 2. the Ansible inventory, for its hosts (`ansible_port`, `ansible_user`, the key file);
/// 3. the checks file (a host's own keys over `defaults:`; `user@host:port` typed on the command
///    line over both);
/// 4. ssh_config, looked up as `ssh` would with the address and the user and port given so far;
/// 5. the built-in defaults (`HostConnection.init`, `ConnectionDefaults`).
///
/// Every source keeps "not given" (nil) apart from any value, so a checks file saying `port: 22`
/// wins over ssh_config's `Port 2222`. The address is the inventory's (`ansible_host`, else its
/// name), else the checks file's; ssh_config's `HostName` then renames it, as for `ssh`.
/// ProxyJump, IdentitiesOnly, HostKeyAlias and StrictHostKeyChecking come from ssh_config alone.
public struct HostResolver: Sendable {
    public var flags: ConnectionFlags
    /// nil: no ssh_config (step 4 and the ssh-only settings are skipped).
    public var sshConfig: SSHConfig?
    /// The login when no source names one, as OpenSSH.
    public var localUser: String
    /// What `~` stands for in flag and inventory paths.
    public var home: String
    /// ssh_config's IdentityFile lines name keys that may not exist; only existing ones are used.
    var fileExists: @Sendable (String) -> Bool

    public init(flags: ConnectionFlags = ConnectionFlags(), sshConfig: SSHConfig?, localUser: String, home: String) {
        self.init(flags: flags, sshConfig: sshConfig, localUser: localUser, home: home,
                  fileExists: { FileManager.default.fileExists(atPath: $0) })
    }

    init(flags: ConnectionFlags, sshConfig: SSHConfig?, localUser: String, home: String,
         fileExists: @escaping @Sendable (String) -> Bool) {
        self.flags = flags
        self.sshConfig = sshConfig
        self.localUser = localUser
        self.home = home
        self.fileExists = fileExists
    }

    /// How to reach `host` (from the checks file), which is `inventory` when it came from one.
    public func connection(for host: ResolvedHost, inventory: InventoryHost? = nil) -> HostConnection {
        let address = inventory.map { $0.address ?? $0.name } ?? host.address
        let given = HostSettings.firstGiven([flagLayer, inventory.map(layer) ?? HostSettings(), layer(host)])
        guard address != "local", let ssh = sshConfig else {
            return HostConnection(address: address, given: given, localUser: localUser)
        }
        let s = ssh.resolve(host: address, localUser: localUser, user: given.user, port: given.port)
        var c = HostConnection(address: s.hostName ?? address, given: HostSettings.firstGiven([given, layer(s)]),
                               localUser: localUser)
        c.identitiesOnly = s.identitiesOnly ?? false
        c.hostKeyAlias = s.hostKeyAlias
        c.ignoredSSHSettings = s.ignored
        // PostPatch never turns host-key checking off: `no`/`off` is taken as accept-new.
        c.acceptNewHostKeys = ["accept-new", "no", "off"].contains(s.strictHostKeyChecking?.lowercased() ?? "")
        c.jumps = s.proxyJump.compactMap { jump($0, in: ssh) }
        return c
    }

    /// One ProxyJump hop, itself resolved through ssh_config; the hop's own user and port win.
    /// Flags and the checks file speak of the target, not of its jump hosts.
    private func jump(_ text: String, in ssh: SSHConfig) -> JumpHop? {
        guard let hop = try? HostSpec.parse(text, syntax: .proxyJump) else { return nil }
        let s = ssh.resolve(host: hop.host, localUser: localUser, user: hop.user, port: hop.port)
        return JumpHop(address: s.hostName ?? hop.host, port: hop.port ?? s.port ?? ConnectionDefaults.port,
                       user: hop.user ?? s.user ?? localUser, identities: s.identityFiles.filter(fileExists))
    }

    private var flagLayer: HostSettings {
        HostSettings(user: flags.user, port: flags.port,
                     identities: flags.identities.isEmpty ? nil : flags.identities.map(expand),
                     sudo: flags.sudo ? true : nil, knownHosts: flags.knownHosts.map(expand),
                     connectTimeout: flags.connectTimeout, commandTimeout: flags.commandTimeout)
    }

    private func layer(_ inventory: InventoryHost) -> HostSettings {
        HostSettings(user: inventory.user, port: inventory.port, identities: inventory.privateKeyFile.map { [expand($0)] })
    }

    private func layer(_ host: ResolvedHost) -> HostSettings {
        HostSettings(user: host.user, port: host.port, identities: host.identity.map { [$0] }, sudo: host.sudo,
                     knownHosts: host.knownHosts, connectTimeout: host.connectTimeout, commandTimeout: host.commandTimeout)
    }

    private func layer(_ s: SSHHostSettings) -> HostSettings {
        let keys = s.identityFiles.filter(fileExists)
        return HostSettings(user: s.user, port: s.port, identities: keys.isEmpty ? nil : keys,
                            knownHosts: s.userKnownHostsFile, connectTimeout: s.connectTimeout.map(Double.init))
    }

    private func expand(_ path: String) -> String { ConfigFile.expandTilde(path, home: home) }
}

/// The built-in values used when no source gives a setting.
public enum ConnectionDefaults {
    public static let port = 22
    /// Seconds.
    public static let connectTimeout = 10.0
    /// Seconds.
    public static let commandTimeout = 120.0
}

/// Command-line flags that set how every host is reached; nil or empty: not given.
public struct ConnectionFlags: Sendable, Equatable {
    public var user: String?
    public var port: Int?
    /// `-i`, in order; `~` is expanded by the resolver.
    public var identities: [String]
    public var knownHosts: String?
    /// `--sudo` can only switch sudo on; false means not given.
    public var sudo: Bool
    /// Seconds.
    public var connectTimeout: Double?
    public var commandTimeout: Double?

    public init(user: String? = nil, port: Int? = nil, identities: [String] = [], knownHosts: String? = nil,
                sudo: Bool = false, connectTimeout: Double? = nil, commandTimeout: Double? = nil) {
        self.user = user
        self.port = port
        self.identities = identities
        self.knownHosts = knownHosts
        self.sudo = sudo
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }
}
