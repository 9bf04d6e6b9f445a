import Foundation
import XCTest
@testable import Config
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Every fixture inventory read by PostPatch and by the real `ansible-inventory --list` (Debian's
/// ansible-core): the same hosts, the same group memberships, the same connection settings, and
/// the same host order as `ansible all --list-hosts`.
final class InventoryAnsibleTests: XCTestCase {
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/inventory")

    static let readable = [
        "docs-basic/hosts.ini", "docs-basic-yaml/hosts.yml", "docs-basic-all/hosts.yml",
        "docs-what-where-when/hosts.yml", "docs-parent-child/hosts.yml", "docs-ranges/hosts.ini",
        "docs-ranges-yaml/hosts.yml", "docs-host-vars/hosts.ini", "docs-host-vars-yaml/hosts.yml",
        "docs-group-vars/hosts.ini", "docs-group-vars-yaml/hosts.yml", "docs-southeast-yaml/hosts.yml",
        "docs-group-priority/hosts.yml", "vars-dirs/hosts", "precedence-ini/hosts.ini",
        "precedence-yaml/hosts.yml", "ports/hosts.ini", "order/hosts.yml", "vault/hosts.yml", "ini-edges/hosts.ini", "yaml-edges/hosts.yml",
        "depth/hosts.ini",
    ]

    static let refused = [
        "docs-southeast/hosts.ini", "errors/bad-section.ini", "errors/bad-range.ini", "errors/bad-list.yml",
        "errors/unknown-type.ini", "errors/vars-undefined.ini", "errors/loop.yml", "errors/bad-hostvar.ini",
    ]

    func testBothToolsReadTheSameInventories() throws {
        let ansible = try AnsibleCLI.find()
        defer { try? FileManager.default.removeItem(atPath: ansible.directory) }
        for fixture in Self.readable {
            let path = Self.fixtures.appendingPathComponent(fixture).path
            let mine = try Inventory.load(path: path)
            let theirs = try ansible.list(path)
            let context = "\(fixture)"
            XCTAssertEqual(mine.hosts.map(\.name), try ansible.listHosts(path), "host order, \(context)")
            XCTAssertEqual(Set(mine.hosts.map(\.name)), theirs.members(of: "all"), context)
            XCTAssertTrue(Set(theirs.hostvars.keys).isSubset(of: Set(mine.hosts.map(\.name))), context)
            XCTAssertEqual(Set(mine.groups.keys), theirs.groupNames, "group names, \(context)")
            for (group, members) in mine.groups {
                XCTAssertEqual(Set(members), theirs.members(of: group), "members of \(group), \(context)")
            }
            for host in mine.hosts {
                let groups = Set(theirs.groupNames.filter { theirs.members(of: $0).contains(host.name) })
                XCTAssertEqual(Set(host.groups), groups, "groups of \(host.name), \(context)")
                let vars = theirs.hostvars[host.name] ?? [:]
                XCTAssertEqual(host.address, AnsibleCLI.text(vars, InventoryKeys.address), "\(host.name) address, \(context)")
                XCTAssertEqual(host.port, AnsibleCLI.port(vars), "\(host.name) port, \(context)")
                XCTAssertEqual(host.user, AnsibleCLI.text(vars, InventoryKeys.user), "\(host.name) user, \(context)")
                XCTAssertEqual(host.privateKeyFile, AnsibleCLI.text(vars, InventoryKeys.privateKeyFile),
                               "\(host.name) key, \(context)")
            }
        }
    }

    func testBothToolsRefuseTheSameInventories() throws {
        let ansible = try AnsibleCLI.find()
        defer { try? FileManager.default.removeItem(atPath: ansible.directory) }
        for fixture in Self.refused {
            let path = Self.fixtures.appendingPathComponent(fixture).path
            XCTAssertThrowsError(try Inventory.load(path: path), fixture) { error in
                let line = (error as? ConfigError)?.line ?? 0
                XCTAssertGreaterThan(line, 0, "\(fixture): \(error)")
                XCTAssertFalse("\(error)".contains("\n"), "one line: \(error)")
            }
            let run = try ansible.run(["ansible-inventory", "-i", path, "--list"], failOnUnparsed: true)
            XCTAssertNotEqual(run.status, 0, "ansible-inventory accepted \(fixture): \(run.stdout)")
        }
    }
}

/// `ansible-inventory` and `ansible`, started through LabKit's `Shell` (Foundation.Process was seen
/// to hang in this test process) in an empty directory, so no group_vars/ of the working directory is read.
struct AnsibleCLI {
    struct Listing {
        var hostvars: [String: [String: Any]]
        var direct: [String: (hosts: [String], children: [String])]
        var groupNames: Set<String> {
            var names = Set(direct.keys)
            for entry in direct.values { names.formUnion(entry.children) }
            return names
        }

        func members(of group: String, depth: Int = 0) -> Set<String> {
            guard depth < 64, let entry = direct[group] else { return [] }
            var result = Set(entry.hosts)
            for child in entry.children { result.formUnion(members(of: child, depth: depth + 1)) }
            return result
        }
    }

    let directory: String
    let binDirectory: String

    static func find() throws -> AnsibleCLI {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let bin = path.split(separator: ":").map(String.init).first {
            FileManager.default.isExecutableFile(atPath: "\($0)/ansible-inventory")
        }
        guard let bin else {
            // Under CI the cross-check is the point of these tests: a missing tool fails them.
            throw LabSkip.missing("ansible-inventory is not installed",
                                  fix: "install Debian's ansible-core (apt-get install -y --no-install-recommends ansible-core)")
        }
        let directory = NSTemporaryDirectory() + "postpatch-ansible-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory + "/empty", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory + "/ansible.cfg", contents: Data())
        return AnsibleCLI(directory: directory, binDirectory: bin)
    }

    func list(_ inventory: String) throws -> Listing {
        var args = ["ansible-inventory", "-i", inventory, "--list"]
        let password = (inventory as NSString).deletingLastPathComponent + "/vault-password.txt"
        if FileManager.default.fileExists(atPath: password) { args += ["--vault-password-file", password] }
        let run = try self.run(args)
        guard run.status == 0, let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        else { throw AnsibleFailure(message: "\(args.joined(separator: " ")): \(run.status) \(run.stderr)") }
        let meta = json["_meta"] as? [String: Any]
        var listing = Listing(hostvars: meta?["hostvars"] as? [String: [String: Any]] ?? [:], direct: [:])
        for (name, value) in json where name != "_meta" {
            let entry = value as? [String: Any]
            listing.direct[name] = (entry?["hosts"] as? [String] ?? [], entry?["children"] as? [String] ?? [])
        }
        return listing
    }

    /// `ansible all --list-hosts`: Ansible's own host order.
    func listHosts(_ inventory: String) throws -> [String] {
        let run = try self.run(["ansible", "-i", inventory, "all", "--list-hosts"])
        guard run.status == 0 else { throw AnsibleFailure(message: "ansible --list-hosts: \(run.stderr)") }
        return run.stdout.split(separator: "\n").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
    }

    static func text(_ vars: [String: Any], _ aliases: [String]) -> String? {
        for key in aliases.reversed() {
            if let value = vars[key], !(value is NSNull) { return "\(value)" }
        }
        return nil
    }

    static func port(_ vars: [String: Any]) -> Int? {
        text(vars, InventoryKeys.port).flatMap { Int($0) }
    }

    struct AnsibleFailure: Error { var message: String }

    func run(_ args: [String], failOnUnparsed: Bool = false) throws -> LabProcess.Result {
        let env = [
            "PATH": "\(binDirectory):/usr/bin:/bin", "HOME": directory, "LANG": "C.UTF-8",
            "ANSIBLE_HOME": directory + "/home", "ANSIBLE_LOCAL_TEMP": directory + "/tmp",
            "ANSIBLE_CONFIG": directory + "/ansible.cfg", "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
            "ANSIBLE_NOCOLOR": "1", "ANSIBLE_DEPRECATION_WARNINGS": "false",
            "ANSIBLE_INVENTORY_UNPARSED_FAILED": failOnUnparsed ? "true" : "false",
        ]
        // Exactly this environment (nothing inherited), bounded: a hung tool fails the test.
        return try LabProcess.runBlocking("\(binDirectory)/\(args[0])", Array(args.dropFirst()), env: env,
                             directory: directory + "/empty", timeout: .seconds(120), inheritEnvironment: false)
    }
}
