import Foundation
import LabKit
import SSH
import XCTest

/// ProxyJump: sessions carried through other sessions' direct-tcpip channels.
final class JumpTests: LabTestCase {
    func testSessionThroughAJumpHostAndAChainOfTwo() async throws {
        let key = try lab.makeKey("ed25519")
        let jump1 = try lab.startSSHD(authorizedKeys: [key])
        let jump2 = try lab.startDropbear(authorizedKeys: [key])
        let target = try lab.startSSHD(authorizedKeys: [key])
        let opts = try options(key: key, servers: [jump1, jump2, target])

        let first = try await SSHSession.connect(to: endpoint(jump1), options: opts)
        let via1 = try await SSHSession.connect(to: endpoint(target), options: opts, via: first)
        let r = try await via1.exec("echo through-one; echo err >&2; exit 2")
        XCTAssertEqual(String(decoding: r.stdout, as: UTF8.self), "through-one\n")
        XCTAssertEqual(String(decoding: r.stderr, as: UTF8.self), "err\n")
        XCTAssertEqual(r.exitStatus, 2)
        // Bulk data through the pump arrives intact.
        let big = try await via1.exec("head -c 3000000 /dev/zero | tr '\\0' 'x'")
        XCTAssertEqual(big.stdout.count, 3_000_000)
        XCTAssertTrue(big.stdout.allSatisfy { $0 == UInt8(ascii: "x") })

        // jump1 -> jump2 (Dropbear) -> target
        let second = try await SSHSession.connect(to: endpoint(jump2), options: opts, via: first)
        let via2 = try await SSHSession.connect(to: endpoint(target), options: opts, via: second)
        let r2 = try await via2.exec("echo through-two")
        XCTAssertEqual(String(decoding: r2.stdout, as: UTF8.self), "through-two\n")
        await via2.close()
        await second.close()
        await via1.close()
        // The jump session is still usable after its jumped sessions closed.
        let r3 = try await first.exec("echo jump-ok")
        XCTAssertEqual(String(decoding: r3.stdout, as: UTF8.self), "jump-ok\n")
        await first.close()
    }

    func testJumpToAnUnknownHostKeyIsRefusedAndAClosedPortIsClear() async throws {
        let key = try lab.makeKey("ed25519")
        let jump = try lab.startSSHD(authorizedKeys: [key])
        let target = try lab.startSSHD(authorizedKeys: [key])
        let onlyJump = try options(key: key, servers: [jump])
        let first = try await SSHSession.connect(to: endpoint(jump), options: onlyJump)
        await expectError({ _ = try await SSHSession.connect(to: self.endpoint(target), options: onlyJump, via: first) }) {
            if case .hostKeyUnknown = $0 { return true } else { return false }
        }
        let closed = Endpoint(host: "127.0.0.1", port: Lab.freePort())
        await expectError({ _ = try await SSHSession.connect(to: closed, options: onlyJump, via: first) }) {
            if case .tunnel = $0 { return true } else { return false }
        }
        await first.close()
    }
}
