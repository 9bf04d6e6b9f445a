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
            let config = try ConfigFile.forCommandLine(configPath: configPath, hostsGiven: hostsGiven || group != nil)
            // A misspelt kind under `policy:` would silently change nothing: refuse it.
            try config.checkPolicyKinds(known: FindingKind.allCases.map(\.rawValue))
            return config
        } catch let e as ConfigError {
            throw Failure(e.description, .usage)
        }
    }

    /// The hosts to act on, with command-line flags applied over the config.
    func targets(_ names: [String], config: ConfigFile) throws -> [HostTarget] {
        let resolved: [ResolvedHost]
        do {
            resolved = try config.resolve(names: names, group: group)
        } catch let e as ConfigError {
            throw Failure(e.description, .usage)
        } catch let e as HostSpec.ParseError {
            throw Failure(e.description, .usage)
        }
        guard !resolved.isEmpty else { throw Failure("no hosts to act on: name hosts, or use --group with a config", .usage) }
        let overrides = TargetOverrides(user: user, port: port, identities: identities.map(expandTilde), sudo: sudo,
                                        connectTimeout: connectTimeout, commandTimeout: commandTimeout,
                                        localUser: ProcessInfo.processInfo.environment["USER"] ?? NSUserName())
        return resolved.map { HostTarget($0, overrides: overrides) }
    }

    /// Reads secrets from the environment variables the user named, and the key files.
    func connector(for targets: [HostTarget]) throws -> Connector {
        let env = ProcessInfo.processInfo.environment
        func secret(_ flag: String, _ name: String?) throws -> Secret? {
            guard let name else { return nil }
            guard let value = env[name], !value.isEmpty else {
                throw Failure("environment variable \(name) (named by \(flag)) is not set: export it before running postpatch", .usage)
            }
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

    private func needsPassphrase(_ targets: [HostTarget]) -> Bool {
        Set(targets.filter { !$0.isLocal }.flatMap(\.identities)).contains { (try? Identity.load(path: $0))?.encrypted == true }
    }

    func expandTilde(_ path: String) -> String {
        path == "~" ? home : path.hasPrefix("~/") ? home + path.dropFirst(1) : path
    }
}
