import Foundation
import LabKit
import TestSupport
import Model
import SSH
import XCTest
@testable import Probe

/// The production path: TLS to an endpoint the host reaches, its bytes carried by an SSH
/// direct-tcpip channel (a real sshd on loopback), so OpenSSL never sees a socket.
final class TLSOverSSHTests: XCTestCase {
    /// Ended in tearDown, which XCTest awaits.
    private var tls: TLSLab?
    private var session: SSHSession?

    override func tearDown() async throws {
        await session?.close()
        await tls?.stop()
    }

    func testHandshakeAndHTTPGetThroughADirectTCPIPChannel() async throws {
        try LabSkip.require("/usr/sbin/sshd", package: "openssh-server")
        let lab = try Lab()
        defer { lab.stop() }
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key])
        let tls = try await TLSLab.start()
        self.tls = tls
        let options = ConnectOptions(connectTimeout: .seconds(10),
                                     knownHosts: try KnownHostsStore(path: lab.knownHosts(for: [server]), acceptNew: false),
                                     credentials: Credentials(user: Lab.user, identities: [try Identity.load(path: key.privatePath)]))
        let session = try await SSHSession.connect(to: Endpoint(host: server.host, port: server.port), options: options)
        self.session = session

        let tunnel = ChannelStream(try await session.openTunnel(host: "127.0.0.1", port: tls.server.port))
        let connection = try await TLSConnection.open(over: tunnel, options: TLSOptions(serverName: "www.lab.test", verify: true,
                                                                                         caFile: tls.ca.certificate.path),
                                                      deadline: .now + .seconds(10))
        let response = try await HTTPExchange.exchange(.init(host: "www.lab.test"), over: connection, bodyLimit: 4096,
                                                       deadline: .now + .seconds(10))
        await connection.close()
        XCTAssertEqual(connection.info.version, "TLSv1.3")
        let expected = try await tls.leaf.details()
        XCTAssertEqual(connection.info.certificate?.sha256, expected.sha256)
        XCTAssertEqual(response.status, 200)
    }
}

/// An SSH direct-tcpip channel as a ByteStream (what the engine's transport does).
private final class ChannelStream: ByteStream, @unchecked Sendable {
    let tunnel: SSHTunnel
    init(_ tunnel: SSHTunnel) { self.tunnel = tunnel }
    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws { try await tunnel.write(bytes, deadline: deadline) }
    func read(max: Int, deadline: ContinuousClock.Instant) async throws -> [UInt8] { try await tunnel.read(max: max, deadline: deadline) }
    func close() async { await tunnel.close() }
}
