import Foundation
import LabKit
import TestSupport
@testable import SSH
import XCTest

final class AuthTests: LabTestCase {
    func testAgentKeysAuthenticate() async throws {
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key])
        let agent = try lab.startAgent(keys: [key])
        let r = try await run(server, options(key: nil, servers: [server], agent: agent), "echo agent")
        XCTAssertEqual(String(decoding: r.stdout, as: UTF8.self), "agent\n")
    }

    func testWrongKeyIsRefusedNamingWhatWasTried() async throws {
        let good = try lab.makeKey("ed25519")
        let wrong = try lab.makeKey("ecdsa", name: "wrong")
        let server = try lab.startSSHD(authorizedKeys: [good])
        let opts = try options(key: wrong, servers: [server])
        await expectError({ _ = try await self.run(server, opts, "true") }) {
            guard case let .authFailed(_, user, tried, accepts, rsa) = $0 else { return false }
            return user == Lab.user && tried == [wrong.privatePath] && accepts == "publickey" && !rsa
        }
    }

    func testRSAKeyRefusedByOpenSSHExplainsLibssh2Limit() async throws {
        let rsa = try lab.makeKey("rsa")
        let server = try lab.startSSHD(authorizedKeys: [rsa])
        let opts = try options(key: rsa, servers: [server])
        await expectError({ _ = try await self.run(server, opts, "true") }) {
            guard case .authFailed(_, _, _, _, true) = $0 else { return false }
            let text = $0.description
            return text.contains("rsa-sha2") == false && text.contains("OpenSSH 8.8") && text.contains("Ed25519 or ECDSA")
        }
    }

    /// An unencrypted Ed25519 key signs through the key decoded once (KeySigner); ECDSA and
    /// encrypted keys go to libssh2 as the file. Both kinds log in, to OpenSSH and Dropbear.
    func testEd25519KeyDecodedOnceLogsIn() async throws {
        let ed = try lab.makeKey("ed25519")
        let ec = try lab.makeKey("ecdsa", name: "ec")
        XCTAssertNotNil(try Identity.load(path: ed.privatePath).signer)
        XCTAssertNil(try Identity.load(path: ec.privatePath).signer)
        for server in [try lab.startSSHD(authorizedKeys: [ed, ec]), try lab.startDropbear(authorizedKeys: [ed, ec])] {
            for key in [ed, ec] {
                let r = try await run(server, options(key: key, servers: [server]), "echo signed")
                XCTAssertEqual(String(decoding: r.stdout, as: UTF8.self), "signed\n", "\(key.privatePath)")
            }
        }
    }

    func testEncryptedKeyWithPassphrase() async throws {
        let key = try lab.makeKey("ed25519", name: "locked", passphrase: "correct horse")
        let server = try lab.startSSHD(authorizedKeys: [key])
        let id = try Identity.load(path: key.privatePath)
        XCTAssertTrue(id.encrypted)
        XCTAssertEqual(id.kind, .ed25519)
        XCTAssertNil(id.signer, "an encrypted key is libssh2's to decrypt")
        var opts = try options(key: nil, servers: [server])
        opts.credentials.identities = [id.with(passphrase: Secret("correct horse"))]
        let r = try await run(server, opts, "echo unlocked")
        XCTAssertEqual(String(decoding: r.stdout, as: UTF8.self), "unlocked\n")

        opts.credentials.identities = [id.with(passphrase: Secret("wrong"))]
        let bad = opts
        await expectError({ _ = try await self.run(server, bad, "true") }) {
            guard case let .authFailed(_, _, tried, _, _) = $0 else { return false }
            return tried.first?.contains("wrong passphrase") == true && !$0.description.contains("correct horse")
        }
    }

    func testPasswordAuthAgainstDropbearAndOpenSSH() async throws {
        let password = "lab-\(UUID().uuidString.prefix(8))"
        try Lab.setUserPassword(password)
        defer { _ = try? LabProcess.runBlocking("/usr/sbin/usermod", ["-p", "*", Lab.user]) }
        let sshd = try lab.startSSHD(authorizedKeys: [], password: true)
        let dropbear = try lab.startDropbear(authorizedKeys: [])
        for server in [sshd, dropbear] {
            let r = try await run(server, options(key: nil, servers: [sshd, dropbear], password: password), "echo pw")
            XCTAssertEqual(String(decoding: r.stdout, as: UTF8.self), "pw\n", server.kind)
        }
        let wrong = try options(key: nil, servers: [sshd], password: "nope")
        await expectError({ _ = try await self.run(sshd, wrong, "true") }) {
            if case .authFailed = $0 { return !$0.description.contains("nope") } else { return false }
        }
    }
}
