import Config
import Engine
import Model
import XCTest

/// HostTarget takes every connection setting from HostResolver's answer, and checks from the config.
final class HostTargetTests: XCTestCase {
    func testEverySettingOfTheConnectionIsCarried() throws {
        let config = try ConfigFile.parse(yaml: "hosts: { web4: { port: 22, checks: { dns: [ { name: a.test } ] } } }",
                                          path: "checks.yaml")
        let host = try config.resolve(names: ["web4"], group: nil, home: "/home/t")[0]
        let ssh = SSHConfig.parse("Host web4\n  Port 2222\n  HostKeyAlias k4\n  StrictHostKeyChecking accept-new\n",
                                  path: "ssh_config", home: "/home/t", readFile: { _ in nil })
        let resolver = HostResolver(flags: ConnectionFlags(knownHosts: "/tmp/kh", commandTimeout: 30), sshConfig: ssh,
                                    localUser: "me", home: "/home/t")
        let t = HostTarget(host, connection: resolver.connection(for: host))
        XCTAssertEqual([t.name, t.address, t.user, "\(t.port)"], ["web4", "web4", "me", "22"], "the checks file's port: 22 wins")
        XCTAssertEqual(t.knownHosts, "/tmp/kh")
        XCTAssertEqual(t.connectTimeout, .seconds(10))
        XCTAssertEqual(t.commandTimeout, .seconds(30))
        XCTAssertEqual(t.hostKeyAlias, "k4")
        XCTAssertTrue(t.acceptNewHostKeys)
        XCTAssertEqual(t.checks.dns.map(\.name), ["a.test"])
    }
}
