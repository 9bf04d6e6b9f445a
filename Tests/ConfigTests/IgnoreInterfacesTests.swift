import XCTest
import Model
@testable import Config

/// `ignore: interfaces` globs: read at every level and added up, besides the built-in defaults.
final class IgnoreInterfacesTests: XCTestCase {
    func testInterfaceGlobsAddUpAcrossLevels() throws {
        let yaml = """
            ignore: { interfaces: ["wg*"] }
            groups:
              vpn: { ignore: { interfaces: tun* } }
            hosts:
              h1: { groups: [vpn], ignore: { interfaces: [ens9] } }
            """
        let h1 = try XCTUnwrap(ConfigFile.parse(yaml: yaml, path: "fleet.yaml").resolve(names: ["h1"], group: nil, home: "/home/t").first)
        XCTAssertEqual(h1.rules.ignore[.network], ["wg*", "tun*", "ens9"])
        XCTAssertTrue(IgnoreRules.defaultInterfaces.contains("veth*"))
    }

    func testUnknownIgnoreKeyNamesInterfaces() {
        XCTAssertThrowsError(try ConfigFile.parse(yaml: "ignore: { interface: [eth1] }\n", path: "fleet.yaml")) { error in
            XCTAssertTrue("\(error)".contains("interfaces"), "\(error)")
        }
    }
}

/// `rollout: restart_deny` is resolved into every host's compare rules.
final class RestartDenyRulesTests: XCTestCase {
    func testRestartDenyReachesEveryHostsRules() throws {
        let yaml = """
            rollout: { restart_deny: ["postgresql@*.service"] }
            hosts:
              h1: {}
            """
        let config = try ConfigFile.parse(yaml: yaml, path: "fleet.yaml")
        XCTAssertEqual(try config.resolve(names: ["h1"], group: nil, home: "/home/t").first?.rules.restartDeny, ["postgresql@*.service"])
        XCTAssertEqual(try config.resolve(names: ["other-host"], group: nil, home: "/home/t").first?.rules.restartDeny, ["postgresql@*.service"])
        XCTAssertNil(try ConfigFile.parse(yaml: "hosts: { h1: {} }\n", path: "f.yaml").resolve(names: [], group: nil, home: "/h").first?.rules.restartDeny)
    }
}
