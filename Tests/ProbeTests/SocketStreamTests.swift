import TestSupport
import XCTest
@testable import Probe

final class SocketStreamTests: XCTestCase {
    func testRefusedPortSaysSo() async throws {
        let port = try LabProcess.freePort()
        do {
            _ = try await SocketStream.connect(host: "127.0.0.1", port: port, deadline: .now + .seconds(2))
            XCTFail("connected to a closed port")
        } catch let error as ProbeError {
            XCTAssertEqual(error.reason, .refused)
            XCTAssertEqual(error.message, "connect to 127.0.0.1:\(port): connection refused")
        }
    }

    func testIPv6AndNamesConnectAndExchangeBytes() async throws {
        for (ipv6, host) in [(true, "::1"), (false, "localhost"), (false, "127.0.0.1")] {
            let server = try ScriptedServer(.answer(Array("pong".utf8)), ipv6: ipv6)
            defer { server.stop() }
            let stream = try await SocketStream.connect(host: host, port: server.port, deadline: .now + .seconds(2))
            try await stream.write(Array("ping".utf8), deadline: .now + .seconds(2))
            let answer = try await stream.read(max: 100, deadline: .now + .seconds(2))
            XCTAssertEqual(String(decoding: answer, as: UTF8.self), "pong", host)
            XCTAssertEqual(stream.peer, ipv6 ? "[::1]:\(server.port)" : "127.0.0.1:\(server.port)")
            await stream.close()
            await stream.close()
        }
    }

    func testReadTimesOutOnASilentServer() async throws {
        let server = try ScriptedServer(.silent)
        defer { server.stop() }
        let stream = try await SocketStream.connect(host: "127.0.0.1", port: server.port, deadline: .now + .seconds(2))
        let started = ContinuousClock.now
        do {
            _ = try await stream.read(max: 10, deadline: .now + .milliseconds(300))
            XCTFail("read returned from a silent server")
        } catch let error as ProbeError {
            XCTAssertEqual(error.reason, .timedOut)
            XCTAssertEqual(error.message, "read from 127.0.0.1:\(server.port): timed out after 0.3 s")
        }
        XCTAssertLessThan(ContinuousClock.now - started, .milliseconds(2500))
        await stream.close()
    }

    func testCancellationStopsARead() async throws {
        let server = try ScriptedServer(.silent)
        defer { server.stop() }
        let stream = try await SocketStream.connect(host: "127.0.0.1", port: server.port, deadline: .now + .seconds(2))
        let started = ContinuousClock.now
        let reading = Task { try await stream.read(max: 10, deadline: .now + .seconds(30)) }
        // Not a wait for a condition: gives the read time to block first; a cancel that came
        // before the read started must end it just the same.
        try await Task.sleep(for: .milliseconds(100))
        reading.cancel()
        let result = await reading.result
        XCTAssertThrowsError(try result.get())
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(4))
        await stream.close()
    }

    func testUnknownNameIsAResolveError() async {
        do {
            _ = try await SocketStream.connect(host: "no-such-host.invalid", port: 5432, deadline: .now + .seconds(3))
            XCTFail("resolved an .invalid name")
        } catch let error as ProbeError {
            XCTAssertTrue(error.message.hasPrefix("cannot resolve no-such-host.invalid: "), error.message)
        } catch {
            XCTFail("unexpected \(error)")
        }
    }
}
