import Foundation
import LabKit
import TestSupport
@testable import SSH
import XCTest

final class HostKeyTests: LabTestCase {
    func testUnknownHostKeyIsRefusedWithFingerprintAndTheFlag() async throws {
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key])
        let empty = lab.dir + "/empty_known_hosts"
        let opts = try options(key: key, servers: [server], knownHosts: empty)
        await expectError({ _ = try await self.run(server, opts, "true") }) {
            guard case let .hostKeyUnknown(_, type, fp, _) = $0 else { return false }
            return type == "ssh-ed25519" && fp.hasPrefix("SHA256:") && $0.description.contains("--accept-new-host-keys")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: empty), "strict checking must not write known_hosts")
    }

    func testAcceptNewRecordsTheKeyWithMode0600AndTrustsItNextTime() async throws {
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key])
        let path = lab.dir + "/ssh/known_hosts"
        let r = try await run(server, options(key: key, servers: [server], acceptNew: true, knownHosts: path), "echo hi")
        XCTAssertEqual(r.exitStatus, 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(text, "[127.0.0.1]:\(server.port) \(server.hostKeys[0])\n")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        // The same file now verifies strictly, and OpenSSH's client agrees with what we wrote.
        _ = try await run(server, options(key: key, servers: [server], knownHosts: path), "true")
        let ssh = try LabProcess.runBlocking("/usr/bin/ssh-keygen", ["-F", "[127.0.0.1]:\(server.port)", "-f", path])
        XCTAssertEqual(ssh.status, 0)
    }

    func testChangedHostKeyIsRefusedAndNeverReplaced() async throws {
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key])
        let other = try lab.makeKey("ed25519", name: "other_host_key")
        let path = lab.dir + "/changed_known_hosts"
        let forged = "[127.0.0.1]:\(server.port) \(other.publicLine.split(separator: " ").prefix(2).joined(separator: " "))\n"
        try forged.write(toFile: path, atomically: true, encoding: .utf8)
        let opts = try options(key: key, servers: [server], acceptNew: true, knownHosts: path)
        await expectError({ _ = try await self.run(server, opts, "true") }) {
            guard case let .hostKeyChanged(_, _, _, _, line) = $0 else { return false }
            return line == 1 && $0.description.contains("man-in-the-middle")
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), forged, "a changed key must never be replaced")
    }

    func testHashedEntriesMatch() async throws {
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key])
        let path = try lab.knownHosts(for: [server], name: "hashed", hashed: true)
        XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("|1|"))
        let r = try await run(server, options(key: key, servers: [server], knownHosts: path), "echo ok")
        XCTAssertEqual(String(decoding: r.stdout, as: UTF8.self), "ok\n")
    }

    func testKnownKeyTypeIsPreferredWhenTheServerHasSeveral() async throws {
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key], hostKeyTypes: ["ed25519", "ecdsa"])
        // Only the ECDSA key is recorded: the handshake must ask for ECDSA first, not report "changed".
        let ecdsaOnly = SSHServerInfo(host: server.host, port: server.port, hostKeys: [server.hostKeys[1]], kind: server.kind)
        let path = try lab.knownHosts(for: [ecdsaOnly], name: "ecdsa_only")
        let r = try await run(server, options(key: key, servers: [server], knownHosts: path), "true")
        XCTAssertEqual(r.exitStatus, 0)
    }

    func testUnreadableKnownHostsIsAClearError() throws {
        let path = lab.dir + "/unreadable"
        try "x".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0)
        // Root reads anything: drop to the check only when not root.
        if getuid() != 0 {
            XCTAssertThrowsError(try KnownHostsStore(path: path, acceptNew: false))
        }
        let dir = lab.dir + "/adir"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        XCTAssertThrowsError(try KnownHostsStore(path: dir, acceptNew: false)) {
            XCTAssertTrue("\($0)".contains("cannot be read"), "\($0)")
        }
    }
}
