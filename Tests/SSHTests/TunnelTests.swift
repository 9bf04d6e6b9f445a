import Foundation
import LabKit
import SSH
import XCTest

final class TunnelTests: LabTestCase {
    /// The host (sshd on loopback) connects to a port of its own; bytes go both ways through SSH.
    func testDirectTCPIPCarriesBytesBothWays() async throws {
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key])
        let echo = try EchoServer()
        defer { echo.close() }
        let echoPort = echo.port
        let session = try await SSHSession.connect(to: endpoint(server), options: options(key: key, servers: [server]))
        let tunnel = try await session.openTunnel(host: "127.0.0.1", port: echoPort)
        let deadline = ContinuousClock.now + .seconds(10)
        try await tunnel.write(Array("ping through ssh\n".utf8), deadline: deadline)
        var got: [UInt8] = []
        while got.count < 17 {
            let chunk = try await tunnel.read(max: 4096, deadline: deadline)
            if chunk.isEmpty { break }
            got += chunk
        }
        XCTAssertEqual(String(decoding: got, as: UTF8.self), "ping through ssh\n")
        await tunnel.close()
        // The session stays usable after a tunnel closes.
        let r = try await session.exec("echo still")
        XCTAssertEqual(String(decoding: r.stdout, as: UTF8.self), "still\n")
        await session.close()
    }

    func testTunnelToAClosedPortFailsClearly() async throws {
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key])
        let session = try await SSHSession.connect(to: endpoint(server), options: options(key: key, servers: [server]))
        let closed = Lab.freePort()
        await expectError({ _ = try await session.openTunnel(host: "127.0.0.1", port: closed) }) {
            if case let .tunnel(_, target, _) = $0 { return target == "127.0.0.1:\(closed)" } else { return false }
        }
        await session.close()
    }

    func testStdinReachesTheCommand() async throws {
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key])
        let session = try await SSHSession.connect(to: endpoint(server), options: options(key: key, servers: [server]))
        let script = String(repeating: "echo line\n", count: 50_000)  // 500 kB: more than one window
        let r = try await session.exec("sh -s", stdin: Array(script.utf8))
        XCTAssertEqual(r.stdout.count, 50_000 * 5)
        XCTAssertEqual(r.exitStatus, 0)
        await session.close()
    }
}
