import Foundation
import LabKit
import TestSupport
import XCTest
@testable import Probe
#if canImport(Glibc)
import Glibc
#endif

/// A CA, a leaf for www.lab.test (and 127.0.0.1) and an s_server serving it, for one test.
struct TLSLab {
    let ca: LabCA
    let leaf: LabCertificate
    let server: LabTLSServer

    static func start(days: Int = 365, startingDaysAgo: Int = 1, versions: LabTLSServer.Versions = .any,
                      mode: LabTLSServer.Mode = .www, sendChain: Bool = false,
                      extraArguments: [String] = []) async throws -> TLSLab {
        let ca = try await LabTLS.makeCA()
        do {
            let leaf = try await ca.issue(commonName: "www.lab.test", san: ["www.lab.test", "alt.lab.test", "127.0.0.1"],
                                          days: days, startingDaysAgo: startingDaysAgo)
            let server = try await LabTLSServer.start(leaf, versions: versions, mode: mode, sendChain: sendChain,
                                                      extraArguments: extraArguments)
            return TLSLab(ca: ca, leaf: leaf, server: server)
        } catch {
            ca.remove()
            throw error
        }
    }

    func stop() async {
        await server.stop()
        ca.remove()
    }

    func connect() async throws -> SocketStream {
        try await SocketStream.connect(host: server.host, port: server.port, deadline: .now + .seconds(5))
    }

    /// Opens TLS over a new socket; the caller closes the connection.
    func open(_ options: TLSOptions = TLSOptions(serverName: "www.lab.test"),
              within: Duration = .seconds(5)) async throws -> TLSConnection {
        let stream = try await connect()
        do {
            return try await TLSConnection.open(over: stream, options: options, deadline: .now + within)
        } catch {
            await stream.close()
            throw error
        }
    }

    /// The handshake error `options` meets (fails the test when the handshake succeeds).
    func failure(_ options: TLSOptions, file: StaticString = #filePath, line: UInt = #line) async throws -> TLSHandshakeError? {
        do {
            let connection = try await open(options)
            await connection.close()
            XCTFail("the handshake succeeded: \(connection.info)", file: file, line: line)
            return nil
        } catch let error as TLSHandshakeError {
            return error
        }
    }
}

/// Opens TLS to a loopback server that is not a TLS server; returns what open threw.
func handshakeError(port: Int, within: Duration = .seconds(3)) async throws -> (Error, Duration) {
    let stream = try await SocketStream.connect(host: "127.0.0.1", port: port, deadline: .now + .seconds(3))
    let started = ContinuousClock.now
    let outcome: Error
    do {
        let connection = try await TLSConnection.open(over: stream, options: TLSOptions(), deadline: .now + within)
        XCTFail("a TLS handshake succeeded with a scripted server: \(connection.info)")
        outcome = LabError("no error")
    } catch {
        outcome = error
    }
    let elapsed = ContinuousClock.now - started
    await stream.close()
    return (outcome, elapsed)
}

/// The handshake error met against a `ReplyThenCloseServer` answering `reply`.
func scriptedFailure(reply: [UInt8], file: StaticString = #filePath, line: UInt = #line) async throws -> TLSHandshakeError {
    let server = try ReplyThenCloseServer(reply: reply)
    defer { server.stop() }
    let (error, _) = try await handshakeError(port: server.port)
    return try XCTUnwrap(error as? TLSHandshakeError, "\(error)", file: file, line: line)
}

/// A one-connection TCP server on 127.0.0.1: waits for the client's first bytes, answers
/// `reply`, then closes (or, with `close: false`, keeps the connection until `stop`).
final class ReplyThenCloseServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let done = DispatchSemaphore(value: 0)

    init(reply: [UInt8], close: Bool = true) throws {
        let bound = try LoopbackSocket.open(.tcp, address: "127.0.0.1", backlog: 4)
        listener = bound.fd
        port = bound.port
        let fd = listener
        let finished = done
        Thread {
            defer { finished.signal() }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 5000) > 0 else { return }
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            var wait = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            if poll(&wait, 1, 5000) > 0 {
                var buffer = [UInt8](repeating: 0, count: 4096)
                _ = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                _ = reply.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
            if close {
                Glibc.close(client)
            } else {
                var idle = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
                _ = poll(&idle, 1, 5000)
                Glibc.close(client)
            }
        }.start()
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        done.wait()
        Glibc.close(listener)
    }
}

/// The resident set size of this process, from /proc/self/status.
func residentKiB() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
}
