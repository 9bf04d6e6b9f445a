import Compare
import Config
import Engine
import Foundation
import Model
import SSH

extension ConnectionOptions {
    /// The config file in force (see ConfigFile.forCommandLine), or a usage failure.
    func loadConfig(hostsGiven: Bool) throws -> ConfigFile {
        do {
            return try ConfigFile.forCommandLine(configPath: configPath, hostsGiven: hostsGiven || group != nil || inventory != nil)
        } catch let e as ConfigError {
            throw Failure(e.description, .usage)
        }
    }

    /// The hosts to act on, each reached as HostResolver decides (flags, inventory, checks file,
    /// ssh_config, defaults).
    func targets(_ names: [String], config: ConfigFile) throws -> [HostTarget] {
        var picked = try selectHosts(names, config: config)
        if let text = shard, let shard = Shard(text), !picked.isEmpty {
            let all = picked.count
            picked = picked.filter { shard.contains($0.host.name) }
            if picked.isEmpty {
                throw Failure("--shard \(text) excluded all \(all) host\(all == 1 ? "" : "s"): no host falls in this shard "
                    + "(use no more shards than hosts)", .usage)
            }
        }
        guard !picked.isEmpty else { throw Failure("no hosts to act on: name hosts, or use --group with a config or --inventory", .usage) }
        let flags = ConnectionFlags(user: user, port: port, identities: identities, knownHosts: knownHosts, sudo: sudo,
                                    connectTimeout: connectTimeout, commandTimeout: commandTimeout)
        let resolver = HostResolver(flags: flags, sshConfig: try loadSSHConfig(),
                                    localUser: ProcessInfo.processInfo.environment["USER"] ?? NSUserName(), home: home)
        let targets = picked.map { HostTarget($0.host, connection: resolver.connection(for: $0.host, inventory: $0.inventory)) }
        for t in targets where t.ignoredSSHSettings.contains("ProxyCommand") {
            printError("\(t.name): ssh config gives it a ProxyCommand, which PostPatch does not run; connecting directly (use ProxyJump instead)")
        }
        return targets
    }

    /// Config hosts and groups, or with --inventory the inventory's (see ConfigFile.select).
    private func selectHosts(_ names: [String], config: ConfigFile) throws -> [SelectedHost] {
        do {
            let inv = try inventory.map { try Inventory.load(path: $0) }
            for w in inv?.warnings ?? [] { printError(w) }
            return try config.select(names: names, group: group, inventory: inv)
        } catch let e as ConfigError {
            throw Failure(e.description, .usage)
        } catch let e as HostSpec.ParseError {
            throw Failure(e.description, .usage)
        }
    }

    /// -F FILE, else ~/.ssh/config when it exists.
    private func loadSSHConfig() throws -> SSHConfig? {
        do {
            if let sshConfig {
                let c = try SSHConfig.load(path: expandTilde(sshConfig), home: home)
                for w in c.warnings { printError("ssh config: \(w)") }
                return c
            }
            return try SSHConfig.loadUserConfig(home: home)
        } catch {
            throw Failure("\(error)", .usage)
        }
    }

    /// Reads secrets from the environment variables the user named, and the key files.
    func connector(for targets: [HostTarget]) throws -> Connector {
        let env = ProcessInfo.processInfo.environment
        func secret(_ flag: String, _ name: String?) throws -> Secret? {
            guard let name else { return nil }
            guard let value = env[name], !value.isEmpty else { throw Failure(Self.unsetVariable(name, flag), .usage) }
            return Secret(value)
        }
        var passphrase = try secret("--passphrase-env", passphraseEnv)
        if passphrase == nil, isatty(0) == 1, needsPassphrase(targets) {
            if let typed = getpass("Passphrase for encrypted key: ") { passphrase = Secret(String(cString: typed)) }
        }
        let settings = Connector.Settings(
            knownHosts: expandTilde(knownHosts ?? "~/.ssh/known_hosts"), acceptNewHostKeys: acceptNewHostKeys,
            agentSocket: env["SSH_AUTH_SOCK"].flatMap { $0.isEmpty ? nil : $0 },
            password: try secret("--password-env", passwordEnv), passphrase: passphrase,
            defaultIdentities: Connector.Settings.standardIdentities(home: home))
        do {
            return try Connector(settings: settings, targets: targets)
        } catch let e as SSHError {
            throw Failure(e.description, .usage)
        } catch let e as Connector.SetupError {
            throw Failure(e.description, .usage)
        }
    }

    /// What is wrong with the variable `flag` names, echoing the name only when it reads as one
    /// (PG_PASSWORD): anything else may be the secret itself, typed where its name belongs.
    static func unsetVariable(_ name: String, _ flag: String) -> String {
        let conventional = name.utf8.count <= 64 && name.first.map { $0 == "_" || ("A"..."Z").contains($0) } == true
            && name.allSatisfy { $0 == "_" || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
        if conventional {
            return "environment variable \(name) (named by \(flag)) is not set: export it before running postpatch"
        }
        return "\(flag) takes the name of an environment variable (e.g. SSH_PASSWORD), not the secret itself; "
            + "the value given is not shown: export the secret in a variable and name that variable"
    }

    private func needsPassphrase(_ targets: [HostTarget]) -> Bool {
        Set(targets.filter { !$0.isLocal }.flatMap(\.identities)).contains { (try? Identity.load(path: $0))?.encrypted == true }
    }

    func expandTilde(_ path: String) -> String { ConfigFile.expandTilde(path, home: home) }
}

