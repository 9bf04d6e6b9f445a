import Foundation
import LabKit
import TestSupport
import SSH
import XCTest

/// libssh2 opens one channel at a time per session; a second open asked meanwhile continues the
/// first (its target) and may be handed its channel. The gate keeps every channel with the open
/// that asked for it, and an open left behind a stuck one says so instead of inheriting it.
final class TunnelOpenGateTests: LabTestCase {
    /// Twelve opens at once, each to its own echo server: each tunnel reaches its own.
    func testConcurrentOpensEachGetTheirOwnTarget() async throws {
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key])
        var echoes: [EchoServer] = []
        for _ in 0..<12 { echoes.append(try EchoServer()) }
        defer { echoes.forEach { $0.close() } }
        let session = try await SSHSession.connect(to: endpoint(server), options: options(key: key, servers: [server]))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for echo in echoes {
                let port = echo.port
                group.addTask {
                    let tunnel = try await session.openTunnel(host: "127.0.0.1", port: port)
                    let deadline = ContinuousClock.now + .seconds(10)
                    let word = Array("port \(port)\n".utf8)
                    try await tunnel.write(word, deadline: deadline)
                    var got: [UInt8] = []
                    while got.count < word.count {
                        let chunk = try await tunnel.read(max: 4096, deadline: deadline)
                        if chunk.isEmpty { break }
                        got += chunk
                    }
                    XCTAssertEqual(got, word)
                    await tunnel.close()
                }
            }
            try await group.waitForAll()
        }
        await session.close()
    }

    /// An open whose host-side connect never completes (the listener's accept queue is full)
    /// times out; an open asked behind it fails saying it waited, and a later open, once the
    /// stuck one is given up, does not inherit its channel.
    func testAnOpenBehindAStuckOneFailsSayingSoAndNoneInheritsIt() async throws {
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key])
        let hung = try SilentListener(fillBacklog: true)
        defer { hung.close() }
        let echo = try EchoServer()
        defer { echo.close() }
        let session = try await SSHSession.connect(to: endpoint(server), options: options(key: key, servers: [server]))
        let pendingBefore = hung.pendingConnects()
        async let stuck = outcome { _ = try await session.openTunnel(host: "127.0.0.1", port: hung.port, timeout: .seconds(2)) }
        try await waitUntil("sshd's connect to the hung port \(hung.port)", timeout: .seconds(2), poll: .milliseconds(10)) {
            hung.pendingConnects() > pendingBefore
        }
        let behind = await outcome { try await session.openTunnel(host: "127.0.0.1", port: echo.port, timeout: .seconds(1)) }
        let stuckResult = await stuck
        guard case .failure(SSHError.tunnelTimeout) = stuckResult else { return XCTFail("\(stuckResult)") }
        // Asked while the stuck open was pending, and again after its caller gave up on it: the
        // open is still pending in libssh2, and neither gets its channel.
        let later = await outcome { try await session.openTunnel(host: "127.0.0.1", port: echo.port, timeout: .seconds(1)) }
        for result in [behind, later] {
            switch result {
            case .success: XCTFail("an open asked behind a stuck one cannot have completed")
            case .failure(let error):
                guard case let SSHError.tunnel(_, target, reason) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(target, "127.0.0.1:\(echo.port)")
                XCTAssertEqual(reason, SSHSession.channelOpenQueued)
            }
        }
        await session.close()
    }
}

/// The result of `body`, its error included.
private func outcome<T>(_ body: () async throws -> T) async -> Result<T, Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
