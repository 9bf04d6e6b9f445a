import Foundation
import LabKit
import TestSupport
import XCTest

/// The CLI reading the user's OpenSSH client config (ProxyJump chains included) and an Ansible inventory.
final class SSHConfigEndToEndTests: XCTestCase {
    var lab: Lab!

    override func setUpWithError() throws {
        try LabSkip.require("/usr/sbin/sshd", package: "openssh-server")
        try PostPatchCLI.requireBinary()
        lab = try Lab()
    }

    override func tearDown() { lab?.stop() }

    func testProxyJumpFromSSHConfigAndHostsFromAnInventory() async throws {
        let key = try lab.makeKey("ed25519")
        let jump = try lab.startSSHD(authorizedKeys: [key])
        let target = try lab.startDropbear(authorizedKeys: [key])
        let kh = try lab.knownHosts(for: [jump, target])
        let cfg = lab.dir + "/ssh_config"
        try """
        Host target
            HostName 127.0.0.1
            Port \(target.port)
            ProxyJump bastion

        Host bastion
            HostName 127.0.0.1
            Port \(jump.port)

        Host *
            User \(Lab.user)
            IdentityFile \(key.privatePath)
            UserKnownHostsFile \(kh)
            ForwardAgent yes
        """.write(toFile: cfg, atomically: true, encoding: .utf8)
        var r = try await PostPatchCLI.run(["exec", "-F", cfg, "target", "--", "echo via-jump"], in: lab.dir)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("=== target") && r.stdout.contains("via-jump"), r.stdout)

        // The same host through an Ansible inventory group, the jump still from ssh_config.
        let inv = lab.dir + "/hosts.ini"
        try """
        [web]
        target ansible_user=\(Lab.user)

        [db]
        direct ansible_host=127.0.0.1 ansible_port=\(jump.port) ansible_user=\(Lab.user) ansible_ssh_private_key_file=\(key.privatePath)
        """.write(toFile: inv, atomically: true, encoding: .utf8)
        r = try await PostPatchCLI.run(["exec", "-F", cfg, "--inventory", inv, "--known-hosts", kh, "--group", "web", "--", "echo from-inventory"], in: lab.dir)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("from-inventory") && r.stdout.contains("1 host"), r.stdout)
        r = try await PostPatchCLI.run(["exec", "-F", cfg, "--inventory", inv, "--known-hosts", kh, "--", "true"], in: lab.dir)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("2 hosts: 2 ok"), r.stdout)
        r = try await PostPatchCLI.run(["exec", "--inventory", inv, "--group", "nope", "--", "true"], in: lab.dir)
        XCTAssertEqual(r.status, 2)
        r = try await PostPatchCLI.run(["exec", "-F", lab.dir + "/missing", "target", "--", "true"], in: lab.dir)
        XCTAssertEqual(r.status, 2)
    }
}
