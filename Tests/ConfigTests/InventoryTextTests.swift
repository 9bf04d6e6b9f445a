import Foundation
import XCTest
@testable import Config

/// The pieces of inventory reading, on small texts.
final class InventoryTextTests: XCTestCase {
    func ini(_ text: String) throws -> Inventory {
        try Inventory.read(text: text, file: "hosts.ini", format: .ini, varsDirectory: nil)
    }

    func yaml(_ text: String) throws -> Inventory {
        try Inventory.read(text: text, file: "hosts.yml", format: .yaml, varsDirectory: nil)
    }

    func assertRefused(_ body: @autoclosure () throws -> Inventory, _ expected: String,
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual("\(error)", expected, file: file, line: line)
        }
    }

    func testRangeExpansion() throws {
        XCTAssertEqual(try InventoryHostPattern.expand("db-[a:c].example.com"),
                       ["db-a.example.com", "db-b.example.com", "db-c.example.com"])
        XCTAssertEqual(try InventoryHostPattern.expand("web[1:10:3]"), ["web1", "web4", "web7", "web10"])
        XCTAssertEqual(try InventoryHostPattern.expand("n[08:10]"), ["n08", "n09", "n10"])
        XCTAssertEqual(try InventoryHostPattern.expand("x[:2]"), ["x0", "x1", "x2"])
        XCTAssertEqual(try InventoryHostPattern.expand("h[y:B]"), ["hy", "hz", "hA", "hB"])
        XCTAssertEqual(try InventoryHostPattern.expand("r[1:2]c[a:b]"), ["r1ca", "r1cb", "r2ca", "r2cb"])
        XCTAssertEqual(try InventoryHostPattern.expand("plain"), ["plain"])
        let bad = ["w[1:2:0]", "w[01:5]", "w[a:1]", "w[5:1]", "w[c:a]", "w[1:2", "w[1]", "w[1:]", "w[1:9999999]",
                   "w[1:2:3:4]", "w[1x:3]"]
        for pattern in bad {
            XCTAssertThrowsError(try InventoryHostPattern.expand(pattern), pattern) { error in
                XCTAssertTrue("\(error)".contains(pattern) || "\((error as? InventoryGraph.Refusal)?.message ?? "")"
                    .contains(pattern), "\(error)")
            }
        }
    }

    func testPortSplitting() {
        XCTAssertTrue(InventoryHostPattern.split("host.example.com:2222") == ("host.example.com", 2222))
        XCTAssertTrue(InventoryHostPattern.split("[2001:db8::1]:22") == ("2001:db8::1", 22))
        XCTAssertTrue(InventoryHostPattern.split("2001:db8::1") == ("2001:db8::1", nil))
        XCTAssertTrue(InventoryHostPattern.split("web[01:20].example.com") == ("web[01:20].example.com", nil))
        XCTAssertTrue(InventoryHostPattern.split("web[01:20]:2200") == ("web[01:20]", 2200))
        // Not a host name, so Ansible keeps the whole text as the name.
        XCTAssertTrue(InventoryHostPattern.split("bad_:22") == ("bad_:22", nil))
    }

    func testShellWords() throws {
        XCTAssertEqual(try InventoryINIValues.shellWords("h a='x y' b=\"q\\\"r\" c=d\\ e #rest"),
                       ["h", "a=x y", "b=q\"r", "c=d e"])
        XCTAssertEqual(try InventoryINIValues.shellWords("h a=b#comment"), ["h", "a=b"])
        XCTAssertThrowsError(try InventoryINIValues.shellWords("h a=\"open"))
        XCTAssertThrowsError(try InventoryINIValues.shellWords("h a=\\"))
        XCTAssertEqual(InventoryINIValues.literal("22 # ssh"), .int(22))
        XCTAssertEqual(InventoryINIValues.literal("deploy # who"), .string("deploy # who"))
        XCTAssertEqual(InventoryINIValues.literal("'quoted'"), .string("quoted"))
        XCTAssertEqual(InventoryINIValues.literal("None"), .null)
    }

    func testINIStructure() throws {
        let inventory = try ini("""
            [web:children]
            blue
            [blue]
            b1 ansible_port=2001
            [web:vars]
            ansible_group_priority=oops
            """)
        XCTAssertEqual(inventory.groups["web"], ["b1"])
        XCTAssertEqual(inventory.hosts, [InventoryHost(name: "b1", port: 2001, groups: ["all", "web", "blue"])])
        XCTAssertEqual(inventory.warnings, ["hosts.ini:6: ansible_group_priority 'oops' is not a whole number; ignored"])
        assertRefused(try ini("[a:children]\nb\n[b:children]\na\n"),
                      "hosts.ini:4:1: making 'a' a child of 'b' creates a loop ('b' is already inside 'a')")
        assertRefused(try ini("web1:\n"),
                      "hosts.ini:1:1: host 'web1:' ends in ':'; that character introduces a port, as in host:2222")
        assertRefused(try ini("---\nall:\n"),
                      "hosts.ini:1:1: host '---' looks like the start of a YAML document; name YAML inventories *.yml")
        assertRefused(try ini("[web]\nw1\n[web:vars]\nansible_password: hunter2\n"),
                      "hosts.ini:4:1: expected key=value in [web:vars], got a line without '=' starting "
                        + "'ansible_password'")
        assertRefused(try ini("w1 ansible_user=u hunter2\n"),
                      "hosts.ini:1:1: host 'w1': every word after the host name must be key=value, word 3 has no '='")
        assertRefused(try ini("[web:children]\nbad name\n"),
                      "hosts.ini:2:1: expected a group name in [web:children], got 'bad name'")
        assertRefused(try ini("h ansible_password=\"x\n"),
                      "hosts.ini:1:1: cannot read the line of host 'h': a quote is not closed")
    }

    func testYAMLShapes() throws {
        let inventory = try yaml("""
            web:
              hosts: w1
              vars:
                ansible_user: "{{ lookup('env', 'USER') }}"
                ansible_port: !vault |
                  $ANSIBLE_VAULT;1.1;AES256
                  6162
                ansible_host: [a, b]
            """)
        XCTAssertEqual(inventory.hosts, [InventoryHost(name: "w1", groups: ["all", "web"])])
        XCTAssertEqual(inventory.warnings, [
            "hosts.yml:4: ansible_user is a Jinja template ({{ lookup('env', 'USER') }}), which PostPatch does not "
                + "evaluate; treated as unset (write the plain value)",
            "hosts.yml:5: ansible_port is encrypted with Ansible Vault, which PostPatch does not decrypt; treated "
                + "as unset (write it in plain text or set it on the command line)",
            "host 'w1': ansible_host is a list, not a single value; ignored",
        ])
        assertRefused(try yaml("plugin: aws_ec2\nregions: [eu-west-1]\n"),
                      "hosts.yml:1:1: this is an inventory plugin configuration, not a static inventory; PostPatch "
                        + "reads static files: export one with 'ansible-inventory -i hosts.yml --list --yaml > hosts.yml'")
        assertRefused(try yaml("web:\n  hosts:\n    - w1\n"),
                      "hosts.yml:3:5: 'hosts' of group 'web' must be a mapping (one '- item' list is not accepted by "
                        + "Ansible either): write each entry as 'name:' on its own line")
        assertRefused(try yaml("web:\n  hosts:\n    w1: 22\n"),
                      "hosts.yml:3:9: the variables of host 'w1' must be a mapping (key: value lines), got a single value")
        assertRefused(try yaml("# only a comment\n"),
                      "hosts.yml: the YAML inventory is empty; list groups as in docs/inventory.md")
        assertRefused(try yaml("web: [\n"), "hosts.yml:2:1: YAML syntax error: did not find expected node content "
                        + "(while parsing a flow node at line 2, column 1)")
    }

    func testPortsOutOfRangeWarn() throws {
        let inventory = try ini("a ansible_port=70000\nb ansible_port=ssh\n")
        XCTAssertEqual(inventory.hosts.map(\.port), [nil, nil])
        XCTAssertEqual(inventory.warnings, [
            "host 'a': ansible_port 70000 is not a port number (1-65535); using the SSH default",
            "host 'b': ansible_port 'ssh' is not a port number (1-65535); using the SSH default",
        ])
    }

    func testUnknownGroupListsKnownOnes() throws {
        let inventory = try ini("[web]\nw1\n[db]\nd1\n")
        assertGroupError(inventory, "hosts.ini: no group 'dbs' in the inventory; its groups are: all, db, ungrouped, web")
        XCTAssertEqual(try inventory.hosts(inGroup: "all").map(\.name), ["w1", "d1"])
        XCTAssertEqual(try inventory.hosts(inGroup: "ungrouped"), [])
    }

    func assertGroupError(_ inventory: Inventory, _ expected: String) {
        XCTAssertThrowsError(try inventory.hosts(inGroup: "dbs")) { XCTAssertEqual("\($0)", expected) }
    }

    func testLoadPicksTheFormatAndRefusesWhatItCannotRead() throws {
        let dir = NSTemporaryDirectory() + "postpatch-inventory-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func write(_ name: String, _ text: String) -> String {
            let path = dir + "/" + name
            _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
            return path
        }
        // No extension: a YAML mapping is YAML, anything else INI, as Ansible tries its plugins.
        XCTAssertEqual(try Inventory.load(path: write("yamlish", "web:\n  hosts:\n    w1:\n")).groups["web"], ["w1"])
        XCTAssertEqual(try Inventory.load(path: write("inish", "[web]\nw1\n")).groups["web"], ["w1"])
        XCTAssertEqual(try Inventory.load(path: write("hosts.txt", "w1 ansible_user=u\n")).hosts.first?.user, "u")
        let vaulted = write("hosts.ini", "$ANSIBLE_VAULT;1.1;AES256\n6162\n")
        XCTAssertThrowsError(try Inventory.load(path: vaulted)) {
            XCTAssertTrue("\($0)".contains("encrypted with Ansible Vault"), "\($0)")
        }
        XCTAssertThrowsError(try Inventory.load(path: dir)) { XCTAssertTrue("\($0)".contains("is a directory"), "\($0)") }
        XCTAssertThrowsError(try Inventory.load(path: dir + "/missing")) {
            XCTAssertEqual("\($0)", dir + "/missing: inventory file not found; check the --inventory path")
        }
        let binary = dir + "/binary.ini"
        _ = FileManager.default.createFile(atPath: binary, contents: Data([0xff, 0xfe, 0x00, 0x80]))
        XCTAssertThrowsError(try Inventory.load(path: binary)) { XCTAssertTrue("\($0)".contains("not UTF-8"), "\($0)") }
    }

    /// One range line may stand for tens of thousands of hosts; reading stays linear.
    func testLargeRangesStayFast() throws {
        let start = Date()
        let inventory = try ini("[web]\nweb[00001:40000].example.com\n[db]\nweb[00001:40000].example.com\n")
        XCTAssertEqual(inventory.hosts.count, 40000)
        XCTAssertEqual(inventory.groups["ungrouped"], [])
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
        assertRefused(try ini("w[0:100000]\n"),
                      "hosts.ini:1:1: bad host range '[0:100000]' in 'w[0:100000]': it gives more than 100000 hosts")
    }
}
