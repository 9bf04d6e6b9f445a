import XCTest
@testable import Config
import Model

/// ConfigFile.select: which hosts a command acts on, with or without an Ansible inventory.
final class HostSelectionTests: XCTestCase {
    let home = "/home/t"
    let yaml = """
        defaults: { user: ops }
        checks: { dns: [ { name: global.test } ] }
        hosts:
          web1: { address: 192.0.2.11, port: 2201, checks: { dns: [ { name: own.test } ] } }
          db9: { address: 192.0.2.99 }
        """
    let ini = """
        [web]
        web1 ansible_port=2202
        web2 ansible_host=10.0.0.2

        [db]
        db1 ansible_user=dba
        """

    func inventory() throws -> Inventory {
        try Inventory.read(text: ini, file: "hosts.ini", format: .ini, varsDirectory: nil)
    }

    func testWithoutInventoryItIsResolve() throws {
        let config = try parse(yaml)
        let picked = try config.select(names: ["web1"], group: nil, inventory: nil, home: home)
        XCTAssertEqual(picked, [SelectedHost(host: try config.resolve(names: ["web1"], group: nil, home: home)[0])])
    }

    func testAllInventoryHostsInAnsibleOrder() throws {
        let picked = try parse(yaml).select(names: [], group: nil, inventory: try inventory(), home: home)
        XCTAssertEqual(picked.map(\.host.name), ["web1", "web2", "db1"])
        XCTAssertEqual(picked.map { $0.inventory?.name }, ["web1", "web2", "db1"])
        // web1 is also a config host: its checks and settings come along, for the resolver to weigh.
        XCTAssertEqual(picked[0].host.checks.dns.map(\.name), ["global.test", "own.test"])
        XCTAssertEqual(picked[0].host.port, 2201)
        XCTAssertEqual(picked[0].inventory?.port, 2202)
        XCTAssertEqual(picked[0].host.groups, ["all", "web"], "the inventory's groups")
        // web2 is not: the file's defaults and global checks, found by its address.
        XCTAssertEqual(picked[1].host.address, "10.0.0.2")
        XCTAssertEqual(picked[1].host.user, "ops")
        XCTAssertEqual(picked[1].host.checks.dns.map(\.name), ["global.test"])
    }

    func testNamesGroupAndOthers() throws {
        let picked = try parse(yaml).select(names: ["db1", "db9", "admin@198.51.100.7"], group: "web",
                                            inventory: try inventory(), home: home)
        // Names the inventory lacks come first (from the checks file), then the picked inventory hosts.
        XCTAssertEqual(picked.map(\.host.name), ["db9", "198.51.100.7", "db1", "web1", "web2"])
        XCTAssertEqual(picked.map { $0.inventory != nil }, [false, false, true, true, true])
        XCTAssertEqual(picked[1].host.user, "admin")
    }

    func testAHostNamedTwiceIsPickedOnce() throws {
        let picked = try parse(yaml).select(names: ["web1"], group: "web", inventory: try inventory(), home: home)
        XCTAssertEqual(picked.map(\.host.name), ["web1", "web2"])
    }

    func testUnknownInventoryGroup() throws {
        XCTAssertThrowsError(try parse(yaml).select(names: [], group: "nope", inventory: try inventory(), home: home)) {
            XCTAssertEqual("\($0)", "hosts.ini: no group 'nope' in the inventory; its groups are: all, db, ungrouped, web")
        }
    }
}
