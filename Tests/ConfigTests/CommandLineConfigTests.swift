import XCTest
@testable import Config

/// Which config a command uses when `--config` is or is not given.
final class CommandLineConfigTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("postpatch-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: dir)
    }

    func testMissingDefaultWithoutHostsTellsWhatToDo() {
        let missing = dir.appendingPathComponent("checks/postpatch.yaml").path
        XCTAssertThrowsError(try ConfigFile.forCommandLine(configPath: nil, hostsGiven: false, defaultPath: missing)) {
            XCTAssertEqual("\($0)", "\(missing): no config file and no hosts given: name hosts on the command line "
                               + "([user@]host[:port] or local), or create \(missing) (see docs/config.md), "
                               + "or pass --config FILE")
        }
    }

    func testMissingDefaultWithHostsIsAnEmptyConfig() throws {
        let missing = dir.appendingPathComponent("checks/postpatch.yaml").path
        let config = try ConfigFile.forCommandLine(configPath: nil, hostsGiven: true, defaultPath: missing)
        XCTAssertEqual(config.hostNames, [])
        let hosts = try config.resolve(names: ["ops@192.0.2.5"], group: nil, home: "/h")
        XCTAssertEqual(hosts, [ResolvedHost(name: "192.0.2.5", address: "192.0.2.5", user: "ops")])
    }

    func testDefaultFileIsReadWhenPresent() throws {
        let path = dir.appendingPathComponent("postpatch.yaml").path
        try "hosts: { web1: {} }\n".write(toFile: path, atomically: true, encoding: .utf8)
        let config = try ConfigFile.forCommandLine(configPath: nil, hostsGiven: false, defaultPath: path)
        XCTAssertEqual(config.hostNames, ["web1"])
        XCTAssertEqual(config.path, path)
    }

    func testExplicitConfigMustExist() {
        let missing = dir.appendingPathComponent("other.yaml").path
        XCTAssertThrowsError(try ConfigFile.forCommandLine(configPath: missing, hostsGiven: true)) {
            XCTAssertEqual("\($0)", "\(missing): no such config file; check the path given to --config")
        }
    }

    func testErrorsNameTheLoadedFile() throws {
        let path = dir.appendingPathComponent("bad.yaml").path
        try "hosts:\n  web1: { prot: 22 }\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ConfigFile.load(path: path)) {
            XCTAssertEqual("\($0)", "\(path):2:11: unknown key 'prot' under 'hosts.web1' (did you mean 'port'?)")
        }
    }
}
