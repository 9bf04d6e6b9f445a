import XCTest
import Model
@testable import Config

/// Host selection, command-line hosts, merging order and `~` expansion.
final class ResolveTests: XCTestCase {
    let home = "/home/tester"

    let yaml = """
        defaults: { user: ops, identity: ~/.ssh/id_ed25519 }
        checks:
          dns: [ { name: global.test } ]
        ignore: { packages: [global-*] }
        policy: { kernel-changed: info, os-changed: info, host-rebooted: info }
        groups:
          first:
            checks: { dns: [ { name: first.test } ] }
            ignore: { packages: [first-*] }
            policy: { kernel-changed: warning, os-changed: warning }
          second:
            checks: { dns: [ { name: second.test } ] }
            ignore: { packages: [second-*] }
            policy: { kernel-changed: regression }
        hosts:
          h1:
            groups: [second, first]
            checks: { dns: [ { name: own.test } ] }
            ignore: { packages: [own-*] }
            policy: { host-rebooted: warning }
          h2: { address: 192.0.2.2, port: 2200, groups: [first, labelonly] }
          h3: { address: 192.0.2.3 }
        """

    func testMergingOrderGlobalGroupsInHostOrderThenHost() throws {
        let h1 = try XCTUnwrap(parse(yaml).resolve(names: ["h1"], group: nil, home: home).first)
        XCTAssertEqual(h1.checks.dns.map(\.name), ["global.test", "second.test", "first.test", "own.test"])
        XCTAssertEqual(h1.rules.ignore[.packages], ["global-*", "second-*", "first-*", "own-*"])
        // The later level wins: first (listed after second) overrides kernel-changed back to warning.
        XCTAssertEqual(h1.rules.severityOverrides, [.kernelChanged: .warning, .osChanged: .warning, .hostRebooted: .warning])
        XCTAssertEqual(h1.address, "h1", "address defaults to the host name")
        XCTAssertNil(h1.port, "no port given: HostResolver picks ssh_config's or 22")
    }

    func testAllHostsWhenNothingSelected() throws {
        let hosts = try parse(yaml).resolve(names: [], group: nil, home: home)
        XCTAssertEqual(hosts.map(\.name), ["h1", "h2", "h3"])
        XCTAssertEqual(hosts[2].checks.dns.map(\.name), ["global.test"])
    }

    func testGroupSelection() throws {
        let config = try parse(yaml)
        XCTAssertEqual(config.groupNames, ["first", "second", "labelonly"])
        XCTAssertEqual(try config.resolve(names: [], group: "first", home: home).map(\.name), ["h1", "h2"])
        XCTAssertEqual(try config.resolve(names: [], group: "labelonly", home: home).map(\.name), ["h2"])
        // Names come first, then the group's members; a host selected both ways appears once.
        XCTAssertEqual(try config.resolve(names: ["h3", "h2"], group: "first", home: home).map(\.name),
                       ["h3", "h2", "h1"])
    }

    func testUnknownGroup() throws {
        let config = try parse(yaml)
        XCTAssertThrowsError(try config.resolve(names: [], group: "frist", home: home)) {
            XCTAssertEqual("\($0)", "checks/postpatch.yaml: no group 'frist' (did you mean 'first'?)")
        }
        XCTAssertThrowsError(try config.resolve(names: [], group: "web", home: home)) {
            XCTAssertEqual("\($0)", "checks/postpatch.yaml: no group 'web'; known groups: first, second, labelonly")
        }
        XCTAssertThrowsError(try ConfigFile(emptyAt: configPath).resolve(names: ["x"], group: "db", home: home)) {
            XCTAssertEqual("\($0)", "checks/postpatch.yaml: no group 'db'; this file defines no groups")
        }
    }

    func testCommandLineHostsNotInConfig() throws {
        let config = try parse(yaml)
        let hosts = try config.resolve(names: ["root@192.0.2.99:2200", "[::1]:2222", "::1", "local", "web9"],
                                       group: nil, home: home)
        XCTAssertEqual(hosts.map(\.name), ["192.0.2.99:2200", "[::1]:2222", "::1", "local", "web9"])
        XCTAssertEqual(hosts[0], ResolvedHost(
            name: "192.0.2.99:2200", address: "192.0.2.99", port: 2200, user: "root",
            identity: "/home/tester/.ssh/id_ed25519", sudo: nil, groups: [],
            checks: CheckSet(dns: [DNSCheck(name: "global.test")]),
            rules: CompareRules(severityOverrides: [.kernelChanged: .info, .osChanged: .info, .hostRebooted: .info],
                                ignore: IgnoreRules([.packages: ["global-*"]]))))
        XCTAssertEqual(hosts[1].address, "::1")
        XCTAssertEqual(hosts[1].port, 2222)
        XCTAssertNil(hosts[2].port)
        XCTAssertEqual(hosts[2].user, "ops", "defaults apply to command-line hosts")
        XCTAssertTrue(hosts[3].isLocal)
        XCTAssertFalse(hosts[4].isLocal)
    }

    func testConfigHostWithUserOrPortOverride() throws {
        let hosts = try parse(yaml).resolve(names: ["admin@h2", "h3:2022"], group: nil, home: home)
        XCTAssertEqual(hosts.map(\.name), ["h2", "h3"])
        XCTAssertEqual(hosts[0].user, "admin")
        XCTAssertEqual(hosts[0].port, 2200)
        XCTAssertEqual(hosts[0].address, "192.0.2.2")
        XCTAssertEqual(hosts[0].checks.dns.map(\.name), ["global.test", "first.test"])
        XCTAssertEqual(hosts[1].port, 2022)
    }

    func testSameHostTwice() throws {
        let config = try parse(yaml)
        XCTAssertEqual(try config.resolve(names: ["h3", "h3"], group: nil, home: home).count, 1)
        XCTAssertThrowsError(try config.resolve(names: ["a@web9", "b@web9"], group: nil, home: home)) {
            XCTAssertEqual("\($0)", "checks/postpatch.yaml: host 'web9' is given twice with different user or port; "
                               + "name it once")
        }
    }

    func testBadCommandLineHost() throws {
        XCTAssertThrowsError(try parse(yaml).resolve(names: ["web1:http"], group: nil, home: home)) {
            XCTAssertTrue($0 is HostSpec.ParseError)
        }
    }

    func testNoHostsAtAll() throws {
        XCTAssertThrowsError(try parse("checks: {}\n").resolve(names: [], group: nil, home: home)) {
            XCTAssertEqual("\($0)", "checks/postpatch.yaml: no hosts to check: add hosts under 'hosts:' or name them "
                               + "on the command line ([user@]host[:port] or local)")
        }
    }

    func testTildeExpansion() throws {
        XCTAssertEqual(ConfigFile.expandTilde("~", home: "/home/a"), "/home/a")
        XCTAssertEqual(ConfigFile.expandTilde("~/.ssh/id", home: "/home/a"), "/home/a/.ssh/id")
        XCTAssertEqual(ConfigFile.expandTilde("~/.ssh/id", home: "/root/"), "/root/.ssh/id")
        XCTAssertEqual(ConfigFile.expandTilde("/etc/ssh/key", home: "/home/a"), "/etc/ssh/key")
        XCTAssertEqual(ConfigFile.expandTilde("keys/~/x", home: "/home/a"), "keys/~/x")
        let config = try parse("defaults: { known_hosts: ~/kh }\nhosts: { h: { identity: ~/.ssh/h } }\n")
        let h = try XCTUnwrap(config.resolve(names: [], group: nil).first)
        let envHome = ProcessInfo.processInfo.environment["HOME"] ?? ""
        XCTAssertFalse(envHome.isEmpty)
        XCTAssertEqual(h.identity, ConfigFile.expandTilde("~/.ssh/h", home: envHome))
        XCTAssertEqual(h.knownHosts, ConfigFile.expandTilde("~/kh", home: envHome))
    }

    func testMergeKeysAndNulls() throws {
        let config = try parse("""
            hosts:
              a: &base { user: deploy, port: 2022, groups: [web] }
              b: { <<: *base, port: 2023 }
              c:
            checks:
            """)
        let hosts = try config.resolve(names: [], group: nil, home: home)
        XCTAssertEqual(hosts.map { "\($0.name) \($0.user ?? "-") \($0.port.map(String.init) ?? "-") \($0.groups)" },
                       ["a deploy 2022 [\"web\"]", "b deploy 2023 [\"web\"]", "c - - []"])
    }
}
