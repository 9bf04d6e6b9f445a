import XCTest
@testable import Config

/// What the fixture inventories (written as Ansible's docs write them) mean, spelled out by hand.
/// InventoryAnsibleTests checks the same files against ansible-inventory itself.
final class InventoryFixtureTests: XCTestCase {
    func load(_ fixture: String) throws -> Inventory {
        try Inventory.load(path: InventoryAnsibleTests.fixtures.appendingPathComponent(fixture).path)
    }

    func host(_ inventory: Inventory, _ name: String, file: StaticString = #filePath, line: UInt = #line) -> InventoryHost {
        guard let host = inventory.hosts.first(where: { $0.name == name }) else {
            XCTFail("no host \(name)", file: file, line: line)
            return InventoryHost(name: "")
        }
        return host
    }

    func testDocsBasicINIAndYAMLAgree() throws {
        let ini = try load("docs-basic/hosts.ini")
        let yaml = try load("docs-basic-yaml/hosts.yml")
        let names = ["mail.example.com", "foo.example.com", "bar.example.com", "one.example.com",
                     "two.example.com", "three.example.com"]
        XCTAssertEqual(ini.hosts.map(\.name), names)
        XCTAssertEqual(yaml.hosts, ini.hosts)
        XCTAssertEqual(ini.groups["ungrouped"], ["mail.example.com"])
        XCTAssertEqual(ini.groups["webservers"], ["foo.example.com", "bar.example.com"])
        XCTAssertEqual(ini.groups["all"], names)
        XCTAssertEqual(host(ini, "mail.example.com").groups, ["all", "ungrouped"])
        XCTAssertEqual(host(ini, "two.example.com").groups, ["all", "dbservers"])
        XCTAssertEqual(try ini.hosts(inGroup: "dbservers").map(\.name),
                       ["one.example.com", "two.example.com", "three.example.com"])
        XCTAssertEqual(ini.warnings, [])
    }

    func testChildrenMakeTransitiveMembers() throws {
        let inventory = try load("docs-parent-child/hosts.yml")
        XCTAssertEqual(inventory.groups["prod"], ["foo.example.com", "one.example.com", "two.example.com"])
        // east sits under prod, so it is deeper and merged later than its parent.
        XCTAssertEqual(host(inventory, "one.example.com").groups, ["all", "dbservers", "prod", "east"])
        let usa = try load("docs-southeast-yaml/hosts.yml")
        XCTAssertEqual(usa.groups["usa"], ["host1", "host2", "host3"])
        XCTAssertEqual(usa.groups["northeast"], [])
        XCTAssertEqual(host(usa, "host2").groups, ["all", "usa", "southeast", "atlanta", "raleigh"])
    }

    func testRanges() throws {
        let inventory = try load("docs-ranges/hosts.ini")
        let web = inventory.groups["webservers"] ?? []
        XCTAssertEqual(web.count, 50)
        XCTAssertEqual(web.first, "www01.example.com")
        XCTAssertEqual(web.last, "www50.example.com")
        let stride = inventory.groups["webservers_stride"] ?? []
        XCTAssertEqual(stride.count, 25)
        XCTAssertEqual(Array(stride.prefix(2)), ["www01.example.com", "www03.example.com"])
        XCTAssertEqual(stride.last, "www49.example.com")
        XCTAssertEqual(inventory.groups["databases"], ["a", "b", "c", "d", "e", "f"].map { "db-\($0).example.com" })
    }

    func testConnectionVariablesFromTheDocs() throws {
        let inventory = try load("docs-host-vars/hosts.ini")
        XCTAssertEqual(host(inventory, "badwolf.example.com"),
                       InventoryHost(name: "badwolf.example.com", port: 5309, groups: ["all", "ungrouped"]))
        XCTAssertEqual(host(inventory, "jumper"),
                       InventoryHost(name: "jumper", address: "192.0.2.50", port: 5555, groups: ["all", "ungrouped"]))
        XCTAssertEqual(host(inventory, "some_host").user, "manager")
        XCTAssertEqual(host(inventory, "some_host").port, 2222)
        XCTAssertEqual(host(inventory, "aws_host").privateKeyFile, "/home/example/.ssh/aws.pem")
        XCTAssertEqual(host(inventory, "other2.example.com").user, "myotheruser")
        XCTAssertEqual(inventory.warnings.count, 1)
        let warning = inventory.warnings.first ?? ""
        for ignored in ["http_port", "maxRequestsPerChild", "ansible_connection", "ansible_python_interpreter"] {
            XCTAssertTrue(warning.contains(ignored), warning)
        }
        XCTAssertTrue(warning.hasPrefix(InventoryAnsibleTests.fixtures.path + "/docs-host-vars/hosts.ini: "), warning)
    }

    func testPrecedenceINI() throws {
        let inventory = try load("precedence-ini/hosts.ini")
        let key = "/keys/prod-from-file.pem"
        // group_vars/all.yml (2300) beats every group's inline port: files come after inline group vars.
        XCTAssertEqual(host(inventory, "web1.example.com"), InventoryHost(
            name: "web1.example.com", address: "eu.example.net", port: 2300, user: "webadmin", privateKeyFile: key,
            groups: ["all", "euwest", "prod", "web"]))
        XCTAssertEqual(host(inventory, "web2.example.com").user, "web2-admin")
        // db (priority 2) is merged after its sibling web; lb is shallower than both.
        XCTAssertEqual(host(inventory, "shared.example.com"), InventoryHost(
            name: "shared.example.com", address: "eu.example.net", port: 2300, user: "dbadmin", privateKeyFile: key,
            groups: ["all", "euwest", "lb", "prod", "web", "db"]))
        XCTAssertEqual(host(inventory, "legacy.example.com").address, "10.1.1.1")
        XCTAssertEqual(host(inventory, "legacy.example.com").user, "olduser")
        XCTAssertNil(host(inventory, "nulluser.example.com").user)
        // The SSH plugin prefers ansible_ssh_user whatever level set it.
        XCTAssertEqual(host(inventory, "mixed.example.com"), InventoryHost(
            name: "mixed.example.com", port: 2300, user: "legacy-group", groups: ["all", "old"]))
    }

    func testPrecedenceYAML() throws {
        let inventory = try load("precedence-yaml/hosts.yml")
        XCTAssertEqual(host(inventory, "par1.example.com"), InventoryHost(
            name: "par1.example.com", address: "paris-gw.example.net", port: 2099, user: "paris-ops",
            groups: ["all", "europe", "berlin", "paris"]))
        XCTAssertEqual(host(inventory, "par2.example.com").user, "par2-admin")
        XCTAssertEqual(host(inventory, "par2.example.com").port, 2022)
        XCTAssertEqual(host(inventory, "ber1.example.com"), InventoryHost(
            name: "ber1.example.com", address: "198.51.100.1", port: 2024, user: "berlin-ops",
            privateKeyFile: "/keys/managed.pem", groups: ["all", "europe", "managed", "berlin"]))
        let priority = try load("docs-group-priority/hosts.yml")
        XCTAssertEqual(host(priority, "shared.example.com").user, "a")
    }

    func testDepthIsTheLongestPathAndSSHAliasesWin() throws {
        let inventory = try load("depth/hosts.ini")
        XCTAssertEqual(inventory.hosts, [InventoryHost(name: "h1", user: "c-user", privateKeyFile: "/keys/y.pem",
                                                       groups: ["all", "a", "x", "b", "y", "c"])])
    }

    func testGroupAndHostVarsFolders() throws {
        let inventory = try load("vars-dirs/hosts")
        XCTAssertEqual(host(inventory, "foosball"), InventoryHost(
            name: "foosball", address: "192.0.2.10", port: 2201, user: "raleigh-admin",
            privateKeyFile: "~/.ssh/web.pem", groups: ["all", "raleigh", "webservers"]))
        XCTAssertEqual(host(inventory, "web1.example.com").user, "deploy")
        XCTAssertEqual(host(inventory, "db1.example.com"), InventoryHost(
            name: "db1.example.com", address: "10.0.0.6", port: 5022, user: "postgres", groups: ["all", "dbservers"]))
        let warnings = inventory.warnings.joined(separator: "\n")
        XCTAssertTrue(warnings.contains("group_vars/all.yml: this vars file sets variables PostPatch does not use, "
            + "ignored: ntp_server"), warnings)
        XCTAssertTrue(warnings.contains("raleigh/db_settings: this vars file sets variables PostPatch does not use, "
            + "ignored: ntp_server, database_server"), warnings)
        XCTAssertFalse(warnings.contains("never-read"), warnings)
    }

    func testPorts() throws {
        let inventory = try load("ports/hosts.ini")
        let ports = Dictionary(uniqueKeysWithValues: inventory.hosts.map { ($0.name, $0.port ?? 0) })
        XCTAssertEqual(ports, [
            "plain.example.com": 2201, "192.0.2.7": 2202, "2001:db8::7": 2203, "2001:db8::8": 0,
            "web1.example.com": 2204, "web2.example.com": 2204, "web3.example.com": 2204,
            "quoted.example.com": 2205, "sshport.example.com": 2207, "first.example.com": 0,
            "v1.example.com": 2209,
        ])
        XCTAssertEqual(host(inventory, "v1.example.com").user, "quoted user")
    }

    func testVaultFilesAreSkippedWithAWarning() throws {
        let inventory = try load("vault/hosts.yml")
        XCTAssertEqual(host(inventory, "vault1.example.com"), InventoryHost(
            name: "vault1.example.com", address: "203.0.113.9", user: "admin", groups: ["all", "secrets"]))
        let warnings = inventory.warnings.joined(separator: "\n")
        XCTAssertTrue(warnings.contains("group_vars/secrets.yml: encrypted with Ansible Vault, which PostPatch does "
            + "not decrypt"), warnings)
        XCTAssertFalse(warnings.contains("example-only"), warnings)
    }

    func testHostOrderFollowsAnsible() throws {
        let inventory = try load("order/hosts.yml")
        XCTAssertEqual(inventory.hosts.map(\.name), [
            "zeta.example.com", "fe-direct.example.com", "db1.example.com", "web1.example.com",
            "alpha1.example.com", "web2.example.com", "cache1.example.com",
        ])
        XCTAssertEqual(inventory.groups["frontend"], ["fe-direct.example.com", "web2.example.com",
                                                      "web1.example.com", "cache1.example.com"])
    }

    func testRefusalsNameFileAndLine() throws {
        let expected = [
            "docs-southeast/hosts.ini": ":21:1: [usa:children] lists 'northeast', which no section of this file declares",
            "errors/bad-section.ini": ":1:1: invalid section header [web servers]",
            "errors/bad-range.ini": ":2:1: bad host range '[01:2]' in 'web[01:2].example.com': a zero-padded begin",
            "errors/bad-list.yml": ":1:1: a YAML inventory must be a mapping of group names",
            "errors/unknown-type.ini": ":1:1: section [web:hostz] has unknown type 'hostz'",
            "errors/vars-undefined.ini": ":1:1: [web:vars] is for group 'web', which no section of this file declares",
            "errors/loop.yml": ":3:5: making 'b' a child of 'a' creates a loop",
            "errors/bad-hostvar.ini": ":2:1: host 'web1.example.com': every word after the host name must be key=value",
        ]
        for (fixture, message) in expected {
            let path = InventoryAnsibleTests.fixtures.appendingPathComponent(fixture).path
            XCTAssertThrowsError(try Inventory.load(path: path), fixture) { error in
                XCTAssertTrue("\(error)".hasPrefix(path + message), "\(error)")
            }
        }
    }
}
