import XCTest
@testable import Config

/// /work/shared/fixtures/real/, found from this file: <root>/Tests/ConfigTests/<file>, shared at <root>/../shared.
let sshRealFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures/real")

/// The five real-world ssh_config files, resolved by hand from ssh_config(5) rules.
/// Includes are not read from disk here (readFile answers nil), so results do not depend on this machine.
final class SSHConfigFixtureTests: XCTestCase {
    static func fixture(_ n: Int) throws -> SSHConfig {
        let path = sshRealFixtures.appendingPathComponent("generic_ssh_config\(n)").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return SSHConfig.parse(text, path: "generic_ssh_config\(n)", home: "/home/ops", readFile: { _ in nil },
                               listDirectory: { _ in nil })
    }

    private let catchAll = ["ForwardAgent", "ForwardX11", "ForwardX11Trusted", "ServerAliveInterval", "ServerAliveCountMax"]

    func testConfig1PerHostBlocksThenDefaults() throws {
        let c = try Self.fixture(1)
        XCTAssertEqual(c.warnings, [])
        XCTAssertEqual(c.resolve(host: "server1", localUser: "ops"), SSHHostSettings(
            hostName: "server1.cyberciti.biz", user: "nixcraft", port: 4242,
            identityFiles: ["/nfs/shared/users/nixcraft/keys/server1/id_rsa"], ignored: catchAll))
        let nas = c.resolve(host: "nas01", localUser: "ops")
        XCTAssertEqual(nas.hostName, "192.168.1.100")
        XCTAssertEqual(nas.user, "root", "the Host block's User comes before Host *'s")
        XCTAssertEqual(nas.port, 22, "Port comes from Host *")
        XCTAssertEqual(nas.identityFiles, ["/home/ops/.ssh/nas01.key"])
        let aws = c.resolve(host: "aws.apache", localUser: "ops")
        XCTAssertEqual([aws.hostName, aws.user], ["1.2.3.4", "wwwdata"])
        for gw in ["uk.gw.lan", "uk.lan"] {
            let s = c.resolve(host: gw, localUser: "ops")
            XCTAssertEqual(s.hostName, "192.168.0.251")
            XCTAssertEqual(s.user, "nixcraft")
            XCTAssertEqual(s.proxyJump, [])
            XCTAssertEqual(s.ignored, ["ProxyCommand"] + catchAll, "PostPatch cannot run the ProxyCommand")
        }
        let proxy = c.resolve(host: "proxyus", localUser: "ops")
        XCTAssertEqual(proxy.user, "breakfree")
        XCTAssertEqual(proxy.ignored.first, "LocalForward")
        let other = c.resolve(host: "random.example", localUser: "ops")
        XCTAssertEqual(other, SSHHostSettings(user: "nixcraft", port: 22, ignored: catchAll))
        XCTAssertNil(c.resolve(host: "SERVER1", localUser: "ops").hostName, "Host patterns are case-sensitive")
    }

    func testConfig2WildcardsAndNegation() throws {
        let c = try Self.fixture(2)
        XCTAssertEqual(c.warnings, [])
        XCTAssertEqual(c.resolve(host: "targaryen", localUser: "ops"), SSHHostSettings(
            hostName: "192.168.1.10", user: "daenerys", port: 7654, identityFiles: ["/home/ops/.ssh/targaryen.key"],
            ignored: ["LogLevel", "Compression"]))
        XCTAssertEqual(c.resolve(host: "tyrell", localUser: "ops"), SSHHostSettings(
            hostName: "192.168.10.20", user: "oberyn", ignored: ["LogLevel", "Compression"]))
        // `Host * !martell` skips martell; lowercase `user` in `Host *ell` is still User.
        XCTAssertEqual(c.resolve(host: "martell", localUser: "ops"), SSHHostSettings(
            hostName: "192.168.10.50", user: "oberyn", ignored: ["Compression"]))
        XCTAssertEqual(c.resolve(host: "dorne", localUser: "ops"), SSHHostSettings(
            user: "root", ignored: ["LogLevel", "Compression"]))
        XCTAssertEqual(c.resolve(host: "cornell", localUser: "ops").user, "oberyn")
    }

    func testConfig3HasNoDefaults() throws {
        let c = try Self.fixture(3)
        XCTAssertEqual(c.warnings, [])
        XCTAssertEqual(c.resolve(host: "server1", localUser: "ops").port, 4242)
        XCTAssertEqual(c.resolve(host: "nas01", localUser: "ops").port, nil)
        XCTAssertEqual(c.resolve(host: "uk.lan", localUser: "ops").ignored, ["ProxyCommand"])
        XCTAssertEqual(c.resolve(host: "unlisted", localUser: "ops"), SSHHostSettings())
    }

    func testConfig4EveryKeywordUnderHostStar() throws {
        let c = try Self.fixture(4)
        XCTAssertEqual(c.warnings, [
            "generic_ssh_config4:9: CanonicalizeHostname: unsupported option 'none' (line ignored)",
            "generic_ssh_config4:50: Include ~/.ssh/config-extras matched no files",
            "generic_ssh_config4:50: Include ~/foo/bar matched no files",
            "generic_ssh_config4:51: Include ~/.ssh/config-extra-extras matched no files",
        ])
        let s = c.resolve(host: "anyhost", localUser: "ops")
        XCTAssertEqual(s.hostName, "localhost")
        XCTAssertEqual(s.user, "nixcraft")
        XCTAssertEqual(s.port, 22)
        XCTAssertEqual(s.identityFiles, ["/home/ops/.ssh/vps1.cyberciti.biz.key", "/home/ops/.ssh/vps2.cyberciti.biz.key"])
        XCTAssertEqual(s.identitiesOnly, true)
        XCTAssertEqual(s.userKnownHostsFile, "/home/ops/.ssh/knownhosts1")
        XCTAssertEqual(s.strictHostKeyChecking, "ask")
        XCTAssertEqual(s.connectTimeout, 30)
        XCTAssertEqual(s.hostKeyAlias, "foobar")
        XCTAssertEqual(s.proxyJump, [], "ProxyCommand comes first, so ssh ignores the later ProxyJump")
        XCTAssertTrue(s.ignored.contains("ProxyCommand"))
        for keyword in ["AddKeysToAgent", "ControlMaster", "ForwardAgent", "LocalForward", "XAuthLocation", "MACs"] {
            XCTAssertTrue(s.ignored.contains(keyword), keyword)
        }
        XCTAssertFalse(s.ignored.contains("Protocol"), "obsolete: ssh skips it too")
        XCTAssertFalse(s.ignored.contains("CanonicalizeHostname"), "its only line was invalid")
        // Every distinct keyword of the file but the ten honoured ones, Host, Include, IgnoreUnknown,
        // Protocol (obsolete) and CanonicalizeHostname (invalid value).
        XCTAssertEqual(s.ignored.count, 83)
    }

    func testConfig5CommentsEverywhere() throws {
        let c = try Self.fixture(5)
        XCTAssertEqual(c.warnings, [])
        XCTAssertEqual(c.resolve(host: "svu", localUser: "ops"), SSHHostSettings(
            hostName: "www.svuniversity.ac.in", user: "something", port: 22, ignored: ["ProxyCommand"]))
        XCTAssertEqual(c.resolve(host: "elsewhere", localUser: "ops"), SSHHostSettings(user: "something"))
    }

    func testLoadReadsIncludesFromDiskAndNamesAMissingFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sshconfig-load-\(getpid())")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".ssh/conf.d"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "Include conf.d/*\nHost *\n  User main\n".write(to: dir.appendingPathComponent(".ssh/config"), atomically: true, encoding: .utf8)
        try "Host db\n  Port 5432\n".write(to: dir.appendingPathComponent(".ssh/conf.d/db"), atomically: true, encoding: .utf8)
        let c = try SSHConfig.loadUserConfig(home: dir.path)
        XCTAssertEqual(c.warnings, [])
        XCTAssertEqual(c.resolve(host: "db", localUser: "o"), SSHHostSettings(user: "main", port: 5432))

        let missing = dir.appendingPathComponent("nope").path
        XCTAssertThrowsError(try SSHConfig.load(path: missing, home: dir.path)) { error in
            XCTAssertEqual("\(error)", "ssh config \(missing): no such file; check the path given to -F (or drop -F to use ~/.ssh/config)")
        }
        XCTAssertThrowsError(try SSHConfig.load(path: dir.path, home: dir.path))
        let empty = try SSHConfig.loadUserConfig(home: dir.appendingPathComponent("nohome").path)
        XCTAssertEqual(empty.resolve(host: "x", localUser: "o"), SSHHostSettings())
    }
}
