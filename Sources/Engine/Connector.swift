import Config
import Foundation
import Model
import SSH

/// Opens transports to hosts: `local`, or SSH with the run's known_hosts files and credentials.
/// Key files and known_hosts files are read once, up front, so a bad path is one error, not 500.
public final class Connector: @unchecked Sendable {
    public struct Settings: Sendable {
        public var knownHosts: String
        public var acceptNewHostKeys: Bool
        public var agentSocket: String?
        public var password: Secret?
        /// Passphrase for encrypted identity files (one for all).
        public var passphrase: Secret?
        /// Keys tried when a host names none, if they exist (as OpenSSH's defaults).
        public var defaultIdentities: [String]

        public init(knownHosts: String, acceptNewHostKeys: Bool = false, agentSocket: String? = nil,
                    password: Secret? = nil, passphrase: Secret? = nil, defaultIdentities: [String] = []) {
            self.knownHosts = knownHosts
            self.acceptNewHostKeys = acceptNewHostKeys
            self.agentSocket = agentSocket
            self.password = password
            self.passphrase = passphrase
            self.defaultIdentities = defaultIdentities
        }

        /// ~/.ssh/id_ed25519, id_ecdsa, id_rsa.
        public static func standardIdentities(home: String) -> [String] {
            ["id_ed25519", "id_ecdsa", "id_rsa"].map { "\(home)/.ssh/\($0)" }
        }
    }

    public enum SetupError: Error, CustomStringConvertible {
        case encryptedKey(String)
        public var description: String {
            switch self {
            case let .encryptedKey(path):
                return "identity file \(path) is encrypted: name an environment variable holding its passphrase with --passphrase-env, or run on a terminal to be asked"
            }
        }
    }

    public let settings: Settings
    private var stores: [String: KnownHostsStore] = [:]
    private var acceptingStores: [String: KnownHostsStore] = [:]
    private var identities: [String: Identity] = [:]
    private var defaults: [Identity] = []

    /// Reads every known_hosts and identity file the targets need. Throws the first problem.
    public init(settings: Settings, targets: [HostTarget]) throws {
        self.settings = settings
        let remote = targets.filter { !$0.isLocal }
        guard !remote.isEmpty else { return }
        for path in Set([settings.knownHosts] + remote.compactMap(\.knownHosts)) {
            stores[path] = try KnownHostsStore(path: path, acceptNew: settings.acceptNewHostKeys)
        }
        for path in Set(remote.filter(\.acceptNewHostKeys).map { $0.knownHosts ?? settings.knownHosts }) {
            acceptingStores[path] = try KnownHostsStore(path: path, acceptNew: true)
        }
        for path in Set(remote.flatMap(\.identities) + remote.flatMap { $0.jumps.flatMap(\.identities) }) {
            identities[path] = try load(path)
        }
        if remote.contains(where: { $0.identities.isEmpty || $0.jumps.contains { $0.identities.isEmpty } }) {
            defaults = settings.defaultIdentities.compactMap { FileManager.default.fileExists(atPath: $0) ? try? load($0) : nil }
        }
    }

    private func load(_ path: String) throws -> Identity {
        var id = try Identity.load(path: path)
        if id.encrypted {
            // An encrypted default key without a passphrase is skipped (the caller's try?), as
            // OpenSSH in batch mode does; one named with -i or in the config is an error.
            guard let pass = settings.passphrase else { throw SetupError.encryptedKey(path) }
            id = id.with(passphrase: pass)
        }
        return id
    }

    public func connect(_ target: HostTarget) async throws -> HostTransport {
        if target.isLocal { return LocalTransport() }
        let path = target.knownHosts ?? settings.knownHosts
        let store = (target.acceptNewHostKeys ? acceptingStores[path] : nil) ?? stores[path] ?? stores[settings.knownHosts]!
        func options(user: String, identities: [String]) -> ConnectOptions {
            let ids = identities.isEmpty ? defaults : identities.compactMap { self.identities[$0] }
            return ConnectOptions(connectTimeout: target.connectTimeout, knownHosts: store,
                                  credentials: Credentials(user: user, agentSocket: target.identitiesOnly ? nil : settings.agentSocket, identities: ids,
                                                           password: settings.password))
        }
        // ProxyJump: each hop through the previous one; all closed with the target's transport.
        var chain: [SSHSession] = []
        do {
            for hop in target.jumps {
                let ep = Endpoint(host: hop.address, port: hop.port, label: "\(target.name) via \(Endpoint(host: hop.address, port: hop.port))")
                let opts = options(user: hop.user, identities: hop.identities)
                chain.append(try await open(ep, opts, via: chain.last))
            }
            let direct = Endpoint(host: target.address, port: target.port)
            let label = target.name == target.address || target.name.hasPrefix(target.address) ? nil : "\(target.name) (\(direct))"
            let ep = Endpoint(host: target.address, port: target.port, label: label, hostKeyAlias: target.hostKeyAlias)
            let opts = options(user: target.user, identities: target.identities)
            let session = try await open(ep, opts, via: chain.last)
            return SSHTransport(session: session, jumps: chain)
        } catch {
            for s in chain.reversed() { await s.close() }
            throw error
        }
    }

    private func open(_ ep: Endpoint, _ opts: ConnectOptions, via jump: SSHSession?) async throws -> SSHSession {
        if let jump { return try await SSHSession.connect(to: ep, options: opts, via: jump) }
        return try await SSHSession.connect(to: ep, options: opts)
    }
}
