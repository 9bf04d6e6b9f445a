import ArgumentParser
import Config
import Engine
import Foundation
import Model
import SSH

/// Options every host-facing command shares: how to find, reach and trust hosts.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp("Config file (hosts, groups, checks).", valueName: "file"))
    var configPath: String?

    @Option(name: .long, help: ArgumentHelp("Act on the hosts of this config group.", valueName: "name"))
    var group: String?

    @Option(name: .customLong("inventory"), help: ArgumentHelp("Ansible inventory (INI or YAML): its hosts and groups are usable as hosts, --group and waves.", valueName: "file"))
    var inventory: String?

    @Option(name: [.customShort("F"), .customLong("ssh-config")],
            help: ArgumentHelp("OpenSSH client config to resolve hosts with (default ~/.ssh/config when it exists).", valueName: "file"))
    var sshConfig: String?

    @Option(name: [.customShort("u"), .long], help: "Login user for hosts that name none (default: the config's, else the local user).")
    var user: String?

    @Option(name: [.customShort("p"), .long], help: "SSH port for hosts that name none (default 22).")
    var port: Int?

    @Option(name: [.customShort("i"), .customLong("identity")],
            help: ArgumentHelp("Private key file (Ed25519 or ECDSA; RSA fails against OpenSSH ≥ 8.8, see README). Repeatable.", valueName: "file"))
    var identities: [String] = []

    @Option(name: .customLong("known-hosts"), help: ArgumentHelp("OpenSSH known_hosts file to check host keys against (default ~/.ssh/known_hosts).", valueName: "file"))
    var knownHosts: String?

    @Flag(name: .customLong("accept-new-host-keys"),
          help: "Record the keys of hosts not yet in known_hosts (like OpenSSH's StrictHostKeyChecking=accept-new). A changed key is always refused.")
    var acceptNewHostKeys = false

    @Option(help: ArgumentHelp("Act on shard I of N only (1-based): a stable subset of the hosts by name, so N CI jobs split one inventory without overlap.", valueName: "I/N"))
    var shard: String?

    @Option(name: .long, help: "Hosts worked on at once.")
    var parallel = 64

    @Option(name: .customLong("connect-timeout"), help: ArgumentHelp("Seconds to connect, finish the SSH handshake and log in.", valueName: "seconds"))
    var connectTimeout: Double?

    @Option(name: .customLong("command-timeout"), help: ArgumentHelp("Seconds a remote command may run (default 120).", valueName: "seconds"))
    var commandTimeout: Double?

    @Flag(name: .long, help: "Run remote commands through `sudo -n` (a sudo that wants a password is a per-host error).")
    var sudo = false

    @Option(name: .customLong("password-env"), help: ArgumentHelp("Name of an environment variable holding the SSH password (never the password itself).", valueName: "name"))
    var passwordEnv: String?

    @Option(name: .customLong("passphrase-env"), help: ArgumentHelp("Name of an environment variable holding the passphrase of encrypted keys; on a terminal you are asked instead.", valueName: "name"))
    var passphraseEnv: String?

    @Option(name: .customLong("output-cap"), help: ArgumentHelp("Bytes of output a remote command may print before it is ended (default 64 MiB).", valueName: "bytes"))
    var outputCap: Int = 64 << 20

    /// Timeouts are at least a millisecond: a `Duration` of milliseconds holds no less.
    static let timeoutRange: ClosedRange<Double> = 0.001...86_400

    func validate() throws {
        try FlagRange.check(FlagRange.problem(parallel, "--parallel", 1...10_000, unit: "hosts"),
                            FlagRange.problem(port, "--port", 1...65535, unit: ""),
                            FlagRange.problem(connectTimeout, "--connect-timeout", Self.timeoutRange),
                            FlagRange.problem(commandTimeout, "--command-timeout", Self.timeoutRange),
                            FlagRange.problem(outputCap, "--output-cap", 1...(1 << 40), unit: "bytes"))
        if let shard, Shard(shard) == nil { throw ValidationError("--shard takes I/N with 1 <= I <= N, e.g. --shard 2/4") }
        try InputPath.check(InputPath.problem(configPath, "--config"), InputPath.problem(inventory, "--inventory"),
                            InputPath.problem(sshConfig, "--ssh-config"), InputPath.problem(knownHosts, "--known-hosts"))
        try InputPath.check(identities.map { InputPath.problem($0, "--identity") })
        try Self.refuseEmpty([("--group", group), ("--user", user), ("--password-env", passwordEnv), ("--passphrase-env", passphraseEnv)])
    }

    /// Empty names are refused up front: `--user ''` would otherwise fall back to a default.
    static func refuseEmpty(_ values: [(String, String?)]) throws {
        for (option, value) in values where value?.trimmingCharacters(in: .whitespaces).isEmpty == true {
            throw ValidationError("\(option) is empty: give a value, or leave the option out")
        }
    }

    var home: String { ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory() }
}
