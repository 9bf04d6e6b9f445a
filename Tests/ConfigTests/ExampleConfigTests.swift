import XCTest
import Model
@testable import Config

/// The shipped example, checks/examples/fleet.yaml, loads into exactly these hosts.
final class ExampleConfigTests: XCTestCase {
    let home = "/home/tester"

    var globalChecks: CheckSet {
        CheckSet(dns: [DNSCheck(name: "db1.example.test"),
                       DNSCheck(name: "example.test", type: "MX", server: "192.0.2.53#5353")],
                 connectivity: [ConnectivityCheck(target: "192.0.2.21", port: 5432, timeout: 3),
                                ConnectivityCheck(target: "192.0.2.1", ping: true)])
    }

    var globalRules: CompareRules {
        CompareRules(severityOverrides: [.packageUpgraded: .info],
                     ignore: IgnoreRules([.services: ["apt-daily*.service", "man-db.service"], .sockets: ["udp *:68", "tcp 127.0.0.53:53"], .packages: ["linux-image-*"]]))
    }

    func testExampleLoadsIntoExpectedHosts() throws {
        let path = packageRoot.appendingPathComponent("checks/examples/fleet.yaml").path
        let config = try ConfigFile.load(path: path)
        XCTAssertEqual(config.hostNames, ["web1", "web2", "db1"])
        XCTAssertEqual(config.groupNames, ["web", "db"])

        let hosts = try config.resolve(names: [], group: nil, home: home)
        XCTAssertEqual(hosts.map(\.name), ["web1", "web2", "db1"])

        var web = CheckSet(connectivity: [ConnectivityCheck(target: "127.0.0.1", port: 80)])
        web = globalChecks.merged(with: web)
        XCTAssertEqual(hosts[0], ResolvedHost(
            name: "web1", address: "192.0.2.11", port: 22, user: "ops", identity: "/home/tester/.ssh/id_ed25519",
            sudo: false, groups: ["web"], checks: web, rules: globalRules, connectTimeout: 10, commandTimeout: 120,
            knownHosts: "/home/tester/.ssh/known_hosts"))
        XCTAssertEqual(hosts[1].address, "192.0.2.12")

        let dbGroup = CheckSet(databases: [
            DatabaseCheck(name: "main", kind: .postgres, address: "127.0.0.1", port: 5432, database: "app",
                          user: "monitor", passwordEnv: "PG_MONITOR_PASSWORD", timeout: 5),
            DatabaseCheck(name: "cache", kind: .redis, address: "127.0.0.1", port: 6379),
        ])
        let dbOwn = CheckSet(connectivity: [ConnectivityCheck(target: "192.0.2.31", port: 5432, timeout: 3)])
        let rules = globalRules
            .merged(with: CompareRules(severityOverrides: [.packageUpgraded: .warning],
                                       ignore: IgnoreRules([.services: ["apt-daily*"]])))
            .merged(with: CompareRules(severityOverrides: [.serviceStopped: .regression],
                                       ignore: IgnoreRules([.packages: ["postgresql-15-*"]])))
        XCTAssertEqual(hosts[2], ResolvedHost(
            name: "db1", address: "192.0.2.21", port: 2222, user: "admin", identity: "/home/tester/.ssh/db_key",
            sudo: true, groups: ["db"], checks: globalChecks.merged(with: dbGroup).merged(with: dbOwn), rules: rules,
            connectTimeout: 10, commandTimeout: 120, knownHosts: "/home/tester/.ssh/known_hosts"))
        XCTAssertEqual(hosts[2].rules.severityOverrides,
                       [.packageUpgraded: .warning, .serviceStopped: .regression])
        XCTAssertEqual(hosts[2].rules.ignore[.services], ["apt-daily*.service", "man-db.service", "apt-daily*"])
    }

    /// The example misspelt: the kind is refused while the file is read, at its line and column.
    func testMisspeltPolicyKindRefusedWhileLoading() throws {
        let path = packageRoot.appendingPathComponent("checks/examples/fleet.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = try XCTUnwrap(lines.firstIndex { $0.contains("service-stopped:") }) + 1
        let place = try XCTUnwrap(lines[line - 1].range(of: "service-stopped"))
        let column = lines[line - 1].distance(from: lines[line - 1].startIndex, to: place.lowerBound) + 1
        let misspelt = text.replacingOccurrences(of: "service-stopped:", with: "service-stoped:")
        XCTAssertThrowsError(try ConfigFile.parse(yaml: misspelt, path: path)) {
            XCTAssertTrue("\($0)".hasPrefix("\(path):\(line):\(column): unknown finding kind 'service-stoped' under '"), "\($0)")
            XCTAssertTrue("\($0)".hasSuffix("policy' (did you mean 'service-stopped'?)"), "\($0)")
        }
    }
}

/// Every file under checks/examples/ must load: they are documentation users copy.
final class ExtraExamplesTests: XCTestCase {
    func testEveryExampleLoads() throws {
        let dir = packageRoot.appendingPathComponent("checks/examples")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertFalse(files.isEmpty)
        for file in files {
            let config = try ConfigFile.load(path: dir.appendingPathComponent(file).path)
            XCTAssertFalse(try config.resolve(names: [], group: nil, home: "/h").isEmpty, file)
        }
    }

    func testLoopbackLabRunsLocally() throws {
        let path = packageRoot.appendingPathComponent("checks/examples/loopback-lab.yaml").path
        let hosts = try ConfigFile.load(path: path).resolve(names: [], group: nil, home: "/h")
        XCTAssertEqual(hosts.count, 1)
        XCTAssertTrue(hosts[0].isLocal)
        XCTAssertEqual(hosts[0].checks.databases.map { "\($0.kind.rawValue) \($0.address):\($0.port)" },
                       ["postgres 127.0.0.1:5432", "mysql 127.0.0.1:3306", "redis 127.0.0.1:6379"])
    }
}
