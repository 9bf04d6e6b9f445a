import XCTest
@testable import Config

/// HostResolver: one test per precedence rule (flags > inventory > checks file > ssh_config >
/// defaults), plus the cases that went wrong when the rules lived in three files.
final class HostResolverTests: XCTestCase {
    let home = "/home/t"

    /// `web4` from a checks file whose hosts section is `hostsYAML`.
    func checksHost(_ hostsYAML: String, _ name: String = "web4") throws -> ResolvedHost {
        try XCTUnwrap(parse("hosts: \(hostsYAML)\n").resolve(names: [name], group: nil, home: home).first)
    }

    func resolver(_ flags: ConnectionFlags = ConnectionFlags(), ssh: String? = nil) -> HostResolver {
        let config = ssh.map { SSHConfig.parse($0, path: "ssh_config", home: home, readFile: { _ in nil }) }
        // Every key file "exists", so ssh_config's IdentityFile lines are kept.
        return HostResolver(flags: flags, sshConfig: config, localUser: "me", home: home, fileExists: { _ in true })
    }

    let sshConfig = """
        Host web4
            HostName web4.example.test
            User sshuser
            Port 2222
            IdentityFile ~/.ssh/ssh_key
            UserKnownHostsFile ~/.ssh/ssh_known
            ConnectTimeout 7
        """

    /// The bug of issue 11: `port: 22` in the checks file is a value, not "not given".
    func testChecksFilePort22BeatsSSHConfigPort() throws {
        let host = try checksHost("{ web4: { port: 22 } }")
        XCTAssertEqual(resolver(ssh: "Host web4\n  Port 2222\n").connection(for: host).port, 22)
        let viaDefaults = try XCTUnwrap(parse("defaults: { port: 22 }\nhosts: { web4: {} }\n")
            .resolve(names: ["web4"], group: nil, home: home).first)
        XCTAssertEqual(resolver(ssh: "Host web4\n  Port 2222\n").connection(for: viaDefaults).port, 22)
        XCTAssertEqual(resolver(ssh: "Host web4\n  Port 2222\n").connection(for: try checksHost("{ web4: {} }")).port,
                       2222, "not given: ssh_config's Port applies")
    }

    func testFlagsBeatInventory() throws {
        let flags = ConnectionFlags(user: "flaguser", port: 1001, identities: ["~/flag_key"], knownHosts: "~/flag_known",
                                    sudo: true, connectTimeout: 3, commandTimeout: 4)
        let inventory = InventoryHost(name: "web4", address: "10.0.0.4", port: 1002, user: "invuser",
                                      privateKeyFile: "~/inv_key")
        let c = resolver(flags).connection(for: try checksHost("{ web4: {} }"), inventory: inventory)
        XCTAssertEqual(c.user, "flaguser")
        XCTAssertEqual(c.port, 1001)
        XCTAssertEqual(c.identities, ["/home/t/flag_key"])
        XCTAssertEqual(c.knownHosts, "/home/t/flag_known")
        XCTAssertEqual([c.connectTimeout, c.commandTimeout], [3, 4])
        XCTAssertTrue(c.sudo)
        XCTAssertEqual(c.address, "10.0.0.4", "no flag names an address")
    }

    func testInventoryBeatsChecksFile() throws {
        let host = try checksHost("{ web4: { address: 192.0.2.4, user: fileuser, port: 1003, identity: ~/file_key } }")
        let inventory = InventoryHost(name: "web4", address: "10.0.0.4", port: 1002, user: "invuser",
                                      privateKeyFile: "~/inv_key")
        let c = resolver().connection(for: host, inventory: inventory)
        XCTAssertEqual([c.address, c.user, "\(c.port)"], ["10.0.0.4", "invuser", "1002"])
        XCTAssertEqual(c.identities, ["/home/t/inv_key"])
        // An inventory host without ansible_host is reached by its inventory name, as Ansible does.
        XCTAssertEqual(resolver().connection(for: host, inventory: InventoryHost(name: "web4")).address, "web4")
        XCTAssertEqual(resolver().connection(for: host, inventory: InventoryHost(name: "web4")).port, 1003,
                       "what the inventory does not say comes from the checks file")
    }

    func testChecksFileBeatsSSHConfig() throws {
        let host = try checksHost("""
            { web4: { user: fileuser, port: 1003, identity: ~/file_key, known_hosts: ~/file_known,
                      connect_timeout: 5 } }
            """)
        let c = resolver(ssh: sshConfig).connection(for: host)
        XCTAssertEqual([c.user, "\(c.port)"], ["fileuser", "1003"])
        XCTAssertEqual(c.identities, ["/home/t/file_key"])
        XCTAssertEqual(c.knownHosts, "/home/t/file_known")
        XCTAssertEqual(c.connectTimeout, 5)
        XCTAssertEqual(c.address, "web4.example.test", "HostName renames the address, as for ssh")
    }

    func testSSHConfigBeatsDefaults() throws {
        let c = resolver(ssh: sshConfig).connection(for: try checksHost("{ web4: {} }"))
        XCTAssertEqual([c.address, c.user, "\(c.port)"], ["web4.example.test", "sshuser", "2222"])
        XCTAssertEqual(c.identities, ["/home/t/.ssh/ssh_key"])
        XCTAssertEqual(c.knownHosts, "/home/t/.ssh/ssh_known")
        XCTAssertEqual(c.connectTimeout, 7)
    }

    func testDefaultsWhenNothingIsGiven() throws {
        let expected = HostConnection(address: "web4", given: HostSettings(), localUser: "me")
        XCTAssertEqual(resolver(ssh: "").connection(for: try checksHost("{ web4: {} }")), expected)
        XCTAssertEqual([expected.user, "\(expected.port)"], ["me", "22"])
        XCTAssertEqual(expected.identities, [], "empty: the agent and the default keys")
        XCTAssertNil(expected.knownHosts, "nil: the run's known_hosts file")
        XCTAssertEqual([expected.connectTimeout, expected.commandTimeout], [10, 120])
        XCTAssertFalse(expected.sudo)
        XCTAssertEqual(resolver().connection(for: try checksHost("{ web4: {} }")), expected, "no ssh_config at all")
    }

    /// `--known-hosts` used to lose to the checks file's `known_hosts:` (the host's file won in the Connector).
    func testKnownHostsFlagBeatsChecksFile() throws {
        let host = try checksHost("{ web4: { known_hosts: ~/file_known } }")
        XCTAssertEqual(resolver(ConnectionFlags(knownHosts: "/tmp/kh")).connection(for: host).knownHosts, "/tmp/kh")
    }

    /// `--sudo` switches sudo on; without it the checks file decides.
    func testSudoFlagOnlySwitchesOn() throws {
        XCTAssertTrue(resolver(ConnectionFlags(sudo: true)).connection(for: try checksHost("{ web4: { sudo: false } }")).sudo)
        XCTAssertTrue(resolver().connection(for: try checksHost("{ web4: { sudo: true } }")).sudo)
    }

    func testCommandLineUserAndPortBeatTheConfigHostButNotFlags() throws {
        let host = try checksHost("{ web4: { user: fileuser, port: 1003 } }", "admin@web4:2022")
        XCTAssertEqual(resolver(ssh: sshConfig).connection(for: host).user, "admin")
        XCTAssertEqual(resolver(ssh: sshConfig).connection(for: host).port, 2022)
        XCTAssertEqual(resolver(ConnectionFlags(user: "flaguser", port: 1001)).connection(for: host).port, 1001)
    }

    func testLocalHostIgnoresSSHConfig() throws {
        let c = resolver(ssh: "Host *\n  Port 2222\n  User sshuser\n").connection(for: try checksHost("{ web4: { address: local } }"))
        XCTAssertEqual([c.address, c.user, "\(c.port)"], ["local", "me", "22"])
    }

    func testSSHOnlySettingsAndJumps() throws {
        let ssh = """
            Host web4
                ProxyJump hopuser@bastion:2200,gw
                StrictHostKeyChecking no
                IdentitiesOnly yes
                HostKeyAlias web4-key
                ForwardAgent yes
            Host bastion
                HostName 192.0.2.100
                User ignored
                Port 9999
            Host gw
                User gwuser
                IdentityFile ~/.ssh/gw_key
            """
        let c = resolver(ConnectionFlags(user: "flaguser", port: 1001), ssh: ssh).connection(for: try checksHost("{ web4: {} }"))
        XCTAssertEqual(c.jumps, [JumpHop(address: "192.0.2.100", port: 2200, user: "hopuser"),
                                 JumpHop(address: "gw", port: 22, user: "gwuser", identities: ["/home/t/.ssh/gw_key"])],
                       "a hop's own user and port win; flags speak of the target only")
        XCTAssertTrue(c.acceptNewHostKeys, "StrictHostKeyChecking no is taken as accept-new")
        XCTAssertTrue(c.identitiesOnly)
        XCTAssertEqual(c.hostKeyAlias, "web4-key")
        XCTAssertEqual(c.ignoredSSHSettings, ["ForwardAgent"])
        let proxied = resolver(ssh: "Host web4\n    ProxyCommand nc %h %p\n").connection(for: try checksHost("{ web4: {} }"))
        XCTAssertEqual(proxied.ignoredSSHSettings, ["ProxyCommand"], "reported by the CLI, not run")
        XCTAssertEqual(proxied.jumps, [])
    }

    /// ssh_config is looked up with the user and port given so far, as ssh's -l and -p: `Match user` sees them.
    func testSSHConfigSeesTheGivenUser() throws {
        let ssh = "Match user deploy\n    Port 2200\n"
        XCTAssertEqual(resolver(ConnectionFlags(user: "deploy"), ssh: ssh).connection(for: try checksHost("{ web4: {} }")).port, 2200)
        XCTAssertEqual(resolver(ssh: ssh).connection(for: try checksHost("{ web4: {} }")).port, 22)
    }

    /// ssh_config keys that do not exist on disk are skipped; with none left, the defaults apply.
    func testMissingSSHConfigKeysAreSkipped() throws {
        let r = HostResolver(sshConfig: SSHConfig.parse("Host *\n IdentityFile /nonexistent/k\n", path: "c", home: home,
                                                        readFile: { _ in nil }), localUser: "me", home: home)
        XCTAssertEqual(r.connection(for: try checksHost("{ web4: {} }")).identities, [])
    }
}
