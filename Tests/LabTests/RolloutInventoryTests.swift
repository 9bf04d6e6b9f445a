import Foundation
import LabKit
import TestSupport
import XCTest

/// `postpatch rollout --dry-run` on an Ansible inventory plans exactly the hosts that
/// `ansible-inventory --list` puts in those groups.
final class RolloutInventoryTests: XCTestCase {
    func testDryRunListsTheSameHostsAsAnsibleInventory() async throws {
        try LabSkip.require("/usr/bin/ansible-inventory", package: "ansible-core")
        try PostPatchCLI.requireBinary()
        let dir = try LabProcess.makeTempDir("rollout-inv")
        defer { try? FileManager.default.removeItem(at: dir) }
        // Written the way Ansible's inventory guide shows it: groups, ranges, children, vars.
        let inv = dir.appendingPathComponent("hosts.ini").path
        try """
        [canary]
        canary1.example.test ansible_host=192.0.2.10

        [webservers]
        www[01:03].example.test ansible_user=deploy

        [dbservers]
        db-[a:b].example.test ansible_port=2222

        [backend:children]
        dbservers

        [backend:vars]
        ansible_user=dbadmin
        """.write(toFile: inv, atomically: true, encoding: .utf8)
        let waves = ["canary", "webservers", "backend"]
        let r = try await PostPatchCLI.run(["rollout", "--inventory", inv, "--waves", waves.joined(separator: ","),
                                            "--patch-command", "apt-get -y upgrade", "--dry-run"], in: dir.path)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        var planned: [String: [String]] = [:]
        var wave = ""
        for line in r.stdout.split(separator: "\n") {
            let words = line.split(separator: " ")
            if line.hasPrefix("wave "), words.count >= 3 { wave = String(words[2].dropLast()); continue }
            if line.hasPrefix("  "), !wave.isEmpty, let first = words.first, first.contains(".") {
                planned[wave, default: []].append(String(first))
            }
        }
        let home = dir.appendingPathComponent("ansible-home").path
        let listing = try LabProcess.runBlocking("/usr/bin/ansible-inventory", ["-i", inv, "--list"],
                                    env: ["ANSIBLE_HOME": home, "ANSIBLE_LOCAL_TEMP": home + "/tmp",
                                          "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false"])
        XCTAssertEqual(listing.status, 0, listing.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [String: Any] ?? [:]
        func members(_ group: String) -> [String] {
            let g = json[group] as? [String: Any] ?? [:]
            let own = g["hosts"] as? [String] ?? []
            let kids = (g["children"] as? [String] ?? []).flatMap(members)
            return own + kids
        }
        for w in waves {
            XCTAssertEqual(Set(planned[w] ?? []), Set(members(w)), "wave \(w): \(r.stdout)")
            XCTAssertFalse(members(w).isEmpty)
        }
        // Connection variables made it too: the user and port ansible would use.
        XCTAssertTrue(r.stdout.contains("deploy@www01.example.test:22"), r.stdout)
        XCTAssertTrue(r.stdout.contains("dbadmin@db-a.example.test:2222"), r.stdout)
        XCTAssertTrue(r.stdout.contains("192.0.2.10"), r.stdout)
    }
}
