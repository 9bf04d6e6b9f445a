import Foundation
import LabKit
import SSH
import XCTest

final class ConnectTests: LabTestCase {
    func testRefusedConnection() async throws {
        let key = try lab.makeKey("ed25519")
        let port = Lab.freePort()
        let server = SSHServerInfo(host: "127.0.0.1", port: port, hostKeys: [], kind: "none")
        let opts = try options(key: key, servers: [server])
        await expectError({ _ = try await self.run(server, opts, "true") }) {
            if case .connectRefused = $0 { return $0.isUnreachable } else { return false }
        }
    }

    /// A listener whose backlog is full: the kernel drops further SYNs, so connect never completes.
    func testConnectThatNeverAnswersHonoursTheTimeout() async throws {
        let key = try lab.makeKey("ed25519")
        let silent = try SilentListener(fillBacklog: true)
        defer { silent.close() }
        let server = SSHServerInfo(host: "127.0.0.1", port: silent.port, hostKeys: [], kind: "none")
        let opts = try options(key: key, servers: [server], timeout: .seconds(1))
        let start = ContinuousClock.now
        await expectError({ _ = try await self.run(server, opts, "true") }) {
            if case .connectTimeout = $0 { return true } else { return false }
        }
        let took = start.duration(to: .now)
        XCTAssertGreaterThanOrEqual(took, .milliseconds(900))
        XCTAssertLessThan(took, .seconds(5))
    }

    func testPortThatAcceptsButNeverSpeaksSSH() async throws {
        let key = try lab.makeKey("ed25519")
        let silent = try SilentListener(fillBacklog: false)
        defer { silent.close() }
        let server = SSHServerInfo(host: "127.0.0.1", port: silent.port, hostKeys: [], kind: "none")
        let opts = try options(key: key, servers: [server], timeout: .seconds(1))
        await expectError({ _ = try await self.run(server, opts, "true") }) {
            if case let .handshake(_, reason) = $0 { return reason.contains("does not speak SSH") } else { return false }
        }
    }

    func testIPv6Loopback() async throws {
        let key = try lab.makeKey("ed25519")
        let v4 = try lab.startSSHD(authorizedKeys: [key], extraConfig: "ListenAddress ::1")
        let server = SSHServerInfo(host: "::1", port: v4.port, hostKeys: v4.hostKeys, kind: v4.kind)
        try Lab.waitForPortV6(server.port)
        let r = try await run(server, options(key: key, servers: [server]), "echo v6")
        XCTAssertEqual(String(decoding: r.stdout, as: UTF8.self), "v6\n")
    }

    func testHostNameIsResolvedOffThePool() async throws {
        let key = try lab.makeKey("ed25519")
        let v4 = try lab.startSSHD(authorizedKeys: [key])
        let server = SSHServerInfo(host: "localhost", port: v4.port, hostKeys: v4.hostKeys, kind: v4.kind)
        let r = try await run(server, options(key: key, servers: [server]), "echo named")
        XCTAssertEqual(String(decoding: r.stdout, as: UTF8.self), "named\n")
    }

    func testTwoHundredConcurrentSessions() async throws {
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key])
        let opts = try options(key: key, servers: [server], timeout: .seconds(30))
        let ep = endpoint(server)
        let outputs = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<200 {
                group.addTask {
                    let s = try await SSHSession.connect(to: ep, options: opts)
                    let r = try await s.exec("echo \(i)")
                    await s.close()
                    return String(decoding: r.stdout, as: UTF8.self)
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        XCTAssertEqual(Set(outputs), Set((0..<200).map { "\($0)\n" }))
    }
}

