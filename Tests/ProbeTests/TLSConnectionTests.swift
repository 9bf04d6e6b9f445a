import Foundation
import LabKit
import TestSupport
import Model
import XCTest
@testable import Probe

/// TLSConnection against real `openssl s_server` processes on loopback, through SocketStream:
/// what the handshake records must equal what `openssl x509` says about the certificate.
final class TLSConnectionTests: XCTestCase {
    /// Stopped in tearDown, which XCTest awaits (a deferred Task may not run before the process exits).
    private var labs: [TLSLab] = []

    private func started(_ lab: TLSLab) -> TLSLab {
        labs.append(lab)
        return lab
    }

    override func tearDown() async throws {
        for lab in labs { await lab.stop() }
        labs = []
    }

    func testTLS13HandshakeRecordsVersionCipherAndTheCertificateAsOpensslSeesIt() async throws {
        let lab = try await started(TLSLab.start())
        let connection = try await lab.open()
        await connection.close()
        let expected = try await lab.leaf.details()
        let info = connection.info
        XCTAssertEqual(info.version, "TLSv1.3")
        XCTAssertEqual(info.cipher, "TLS_AES_256_GCM_SHA384")
        XCTAssertNil(info.error)
        XCTAssertTrue(info.succeeded)
        let certificate = try XCTUnwrap(info.certificate)
        XCTAssertEqual(certificate.subject, expected.subject)
        XCTAssertEqual(certificate.subject, "O=PostPatch Lab,CN=www.lab.test")
        XCTAssertEqual(certificate.issuer, expected.issuer)
        XCTAssertEqual(certificate.issuer, "O=PostPatch Lab,CN=PostPatch Lab CA")
        XCTAssertEqual(certificate.san, expected.san)
        XCTAssertEqual(certificate.san, ["www.lab.test", "alt.lab.test", "127.0.0.1"])
        XCTAssertEqual(certificate.notBefore, expected.notBefore)
        XCTAssertEqual(certificate.notAfter, expected.notAfter)
        XCTAssertEqual(certificate.sha256, expected.sha256)
        XCTAssertEqual(certificate.sha256.count, 64)
    }

    func testTLS12OnlyServer() async throws {
        let lab = try await started(TLSLab.start(versions: .tls12Only))
        let connection = try await lab.open()
        await connection.close()
        XCTAssertEqual(connection.info.version, "TLSv1.2")
        XCTAssertEqual(connection.info.cipher, "ECDHE-ECDSA-AES256-GCM-SHA384")
        let expected = try await lab.leaf.details()
        XCTAssertEqual(connection.info.certificate?.sha256, expected.sha256)
    }

    func testServerRestrictedToTLS13HandshakesWithLearnedAndVerifyingClients() async throws {
        let lab = try await started(TLSLab.start(versions: .tls13Only))
        for options in [TLSOptions(), TLSOptions(serverName: "www.lab.test", verify: true, caFile: lab.ca.certificate.path)] {
            let connection = try await lab.open(options)
            await connection.close()
            XCTAssertEqual(connection.info.version, "TLSv1.3", "\(options)")
        }
    }

    /// A learned probe observes a TLS 1.0 server; a verifying client (TLS 1.2 upwards) refuses it.
    func testLegacyTLS10ServerIsObservedByLearnedProbesAndRefusedWhenVerifying() async throws {
        let lab = try await started(TLSLab.start(versions: .tls10Legacy))
        let connection = try await lab.open(TLSOptions())
        await connection.close()
        XCTAssertEqual(connection.info.version, "TLSv1")
        XCTAssertEqual(connection.info.cipher, "ECDHE-ECDSA-AES256-SHA")

        let refused = try await lab.failure(TLSOptions(serverName: "www.lab.test", verify: true, caFile: lab.ca.certificate.path))
        XCTAssertEqual(refused?.answered, true)
        XCTAssertEqual(refused?.info.error, "tlsv1 alert protocol version")
        XCTAssertNil(refused?.info.version)
    }

    /// The server's alert is named: s_server offering only a suite the verifying client does not.
    func testServerAlertIsNamed() async throws {
        let lab = try await started(TLSLab.start(versions: .tls13Only, extraArguments: ["-ciphersuites", "TLS_AES_128_CCM_8_SHA256"]))
        let refused = try await lab.failure(TLSOptions(serverName: "www.lab.test", verify: true, caFile: lab.ca.certificate.path))
        XCTAssertEqual(refused?.info.error, "sslv3 alert handshake failure")
        XCTAssertEqual(refused?.answered, true)
        // The learned probe offers CCM_8 too, so it observes this server.
        let connection = try await lab.open(TLSOptions())
        await connection.close()
        XCTAssertEqual(connection.info.cipher, "TLS_AES_128_CCM_8_SHA256")
    }

    func testHTTPGetOverTLSReturns200() async throws {
        let lab = try await started(TLSLab.start())
        let connection = try await lab.open()
        let response = try await HTTPExchange.exchange(.init(host: "www.lab.test"), over: connection, bodyLimit: 64 * 1024,
                                                       deadline: .now + .seconds(5))
        await connection.close()
        XCTAssertEqual(response.status, 200)
        // s_server -www describes the session it served: the same suite.
        XCTAssertTrue(String(decoding: response.body, as: UTF8.self).contains("TLS_AES_256_GCM_SHA384"))
        XCTAssertFalse(response.bodyTruncated)
    }

    func testApplicationDataBothWaysAndCloseNotifyIsEndOfStream() async throws {
        let lab = try await started(TLSLab.start(mode: .reverse))
        let connection = try await lab.open()
        let deadline = ContinuousClock.now + .seconds(5)
        // Lines written from one task while another reads: the gates keep records in order.
        let lines = (0..<200).map { "line \($0) " + String(repeating: "x", count: $0 % 50) }
        let writer = Task {
            for line in lines { try await connection.write(Array((line + "\n").utf8), deadline: deadline) }
        }
        var received: [UInt8] = []
        let wanted = lines.reduce(0) { $0 + $1.utf8.count + 1 }
        while received.count < wanted {
            let chunk = try await connection.read(max: 4096, deadline: deadline)
            XCTAssertFalse(chunk.isEmpty, "the stream ended after \(received.count) of \(wanted) bytes")
            if chunk.isEmpty { break }
            received += chunk
        }
        try await writer.value
        let answered = String(decoding: received, as: UTF8.self).split(separator: "\n").map(String.init)
        XCTAssertEqual(answered, lines.map { String($0.reversed()) })

        try await connection.write(Array("CLOSE\n".utf8), deadline: deadline)
        var tail: [UInt8] = []
        for _ in 0..<10 {
            let chunk = try await connection.read(max: 4096, deadline: deadline)
            if chunk.isEmpty { break }
            tail += chunk
        }
        let after = try await connection.read(max: 10, deadline: deadline)
        XCTAssertEqual(after, [], "close_notify reads as end of stream")
        await connection.close()
        await connection.close()
        do {
            _ = try await connection.read(max: 10, deadline: deadline)
            XCTFail("read after close")
        } catch let error as ProbeError {
            XCTAssertEqual(error.reason, .closed)
        }
    }

    /// A peer that vanishes without close_notify ends the stream too (s_server killed).
    func testPeerClosingWithoutCloseNotifyIsEndOfStream() async throws {
        let lab = try await started(TLSLab.start(mode: .reverse))
        let connection = try await lab.open()
        try await connection.write(Array("ping\n".utf8), deadline: .now + .seconds(5))
        let echo = try await connection.read(max: 100, deadline: .now + .seconds(5))
        XCTAssertEqual(String(decoding: echo, as: UTF8.self), "gnip\n")
        await lab.server.stop()
        let end = try await connection.read(max: 100, deadline: .now + .seconds(5))
        XCTAssertEqual(end, [])
        await connection.close()
    }

    func testVerificationWithTheCAFilePasses() async throws {
        let lab = try await started(TLSLab.start())
        for name in ["www.lab.test", "alt.lab.test", "127.0.0.1"] {
            let connection = try await lab.open(TLSOptions(serverName: name, verify: true, caFile: lab.ca.certificate.path))
            await connection.close()
            XCTAssertTrue(connection.info.succeeded, name)
        }
    }

    func testVerificationFailuresSayWhyAndKeepWhatTheServerSent() async throws {
        let lab = try await started(TLSLab.start())
        let caFile = lab.ca.certificate.path
        let wrongName = try await lab.failure(TLSOptions(serverName: "other.lab.test", verify: true, caFile: caFile))
        XCTAssertEqual(wrongName?.info.error, "certificate verify failed: hostname mismatch")
        XCTAssertEqual(wrongName?.answered, true)
        XCTAssertEqual(wrongName?.info.version, "TLSv1.3", "a verification failure keeps what the server sent")
        XCTAssertEqual(wrongName?.info.certificate?.subject, "O=PostPatch Lab,CN=www.lab.test")
        XCTAssertFalse(wrongName?.info.succeeded ?? true)

        let wrongIP = try await lab.failure(TLSOptions(serverName: "127.0.0.2", verify: true, caFile: caFile))
        XCTAssertEqual(wrongIP?.info.error, "certificate verify failed: IP address mismatch")

        let untrusted = try await lab.failure(TLSOptions(serverName: "www.lab.test", verify: true))
        XCTAssertEqual(untrusted?.info.error, "certificate verify failed: unable to get local issuer certificate")
    }

    func testExpiredCertificateFailsVerificationAndIsStillObserved() async throws {
        let lab = try await started(TLSLab.start(days: -1, startingDaysAgo: 30))
        let expired = try await lab.failure(TLSOptions(serverName: "www.lab.test", verify: true, caFile: lab.ca.certificate.path))
        XCTAssertEqual(expired?.info.error, "certificate verify failed: certificate has expired")
        let connection = try await lab.open(TLSOptions())
        await connection.close()
        let notAfter = try XCTUnwrap(connection.info.certificate?.notAfter)
        XCTAssertLessThan(notAfter, Date())
        let expected = try await lab.leaf.details()
        XCTAssertEqual(notAfter, expected.notAfter)
    }

    func testCertificateExpiringInThreeDaysVerifiesAndShowsItsDate() async throws {
        let lab = try await started(TLSLab.start(days: 3))
        let connection = try await lab.open(TLSOptions(serverName: "www.lab.test", verify: true, caFile: lab.ca.certificate.path))
        await connection.close()
        let left = try XCTUnwrap(connection.info.certificate?.notAfter).timeIntervalSinceNow
        XCTAssertEqual(left, 3 * 86400, accuracy: 120)
    }

    func testSelfSignedRootSentInTheChainIsNamed() async throws {
        let lab = try await started(TLSLab.start(sendChain: true))
        let refused = try await lab.failure(TLSOptions(serverName: "www.lab.test", verify: true))
        XCTAssertEqual(refused?.info.error, "certificate verify failed: self-signed certificate in certificate chain")
    }

    func testUnreadableCAFileIsOneLineNamingIt() async throws {
        let lab = try await started(TLSLab.start())
        let refused = try await lab.failure(TLSOptions(serverName: "www.lab.test", verify: true, caFile: "/nonexistent/ca.pem"))
        let message = try XCTUnwrap(refused?.info.error)
        XCTAssertTrue(message.hasPrefix("cannot read the CA file /nonexistent/ca.pem ("), message)
        XCTAssertTrue(message.hasSuffix("): give a PEM file of CA certificates"), message)
        XCTAssertEqual(refused?.answered, false)
    }

    func testPlainHTTPServerFailsAnsweredAndSaysWhatItSaid() async throws {
        let server = try ReplyThenCloseServer(reply: Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8))
        defer { server.stop() }
        let (error, elapsed) = try await handshakeError(port: server.port)
        let failure = try XCTUnwrap(error as? TLSHandshakeError, "\(error)")
        XCTAssertTrue(failure.answered)
        XCTAssertEqual(failure.info.error, "not a TLS answer: 'HTTP/1.1 400 Bad Request' (wrong version number)")
        XCTAssertLessThan(elapsed, .seconds(3))
    }

    func testSilentServerFailsWithinTheDeadlineUnanswered() async throws {
        let listener = try SilentListener(fillBacklog: false)
        defer { listener.close() }
        let (error, elapsed) = try await handshakeError(port: listener.port, within: .milliseconds(500))
        let failure = try XCTUnwrap(error as? TLSHandshakeError, "\(error)")
        XCTAssertFalse(failure.answered)
        XCTAssertEqual(failure.info.error, "no TLS answer: read from 127.0.0.1:\(listener.port): timed out after 0.5 s")
        XCTAssertNil(failure.info.certificate)
        XCTAssertLessThan(elapsed, .seconds(2))
    }

    func testServerClosingAtOnceIsUnanswered() async throws {
        let failure = try await scriptedFailure(reply: [])
        XCTAssertFalse(failure.answered)
        XCTAssertEqual(failure.info.error, "the server closed the connection without a TLS answer")
    }

    /// The first 40 bytes of a real ServerHello record, then the connection closes.
    func testServerClosingMidHandshake() async throws {
        let hello: [UInt8] = [0x16, 0x03, 0x03, 0x00, 0x7a, 0x02, 0x00, 0x00, 0x76, 0x03, 0x03]
            + (0..<29).map { UInt8($0) }
        let failure = try await scriptedFailure(reply: hello)
        XCTAssertTrue(failure.answered)
        let message = try XCTUnwrap(failure.info.error)
        XCTAssertTrue(message.hasPrefix("the server closed the connection mid-handshake after 40 bytes ("), message)
    }

    func testGarbageAnswersFailAnswered() async throws {
        var random = Seeded(state: 4242)
        for first: UInt8 in [0x16, 0x15, 0x17, 0xFF, 0x00, 0x80] {
            let reply = [first] + (0..<300).map { _ in UInt8.random(in: 0...255, using: &random) }
            let failure = try await scriptedFailure(reply: reply)
            XCTAssertTrue(failure.answered)
            let message = try XCTUnwrap(failure.info.error)
            XCTAssertFalse(message.isEmpty)
            XCTAssertFalse(message.contains("\n"))
            print("garbage starting 0x\(String(first, radix: 16)): \(message)")
        }
    }

    /// Cancelled and completed handshakes, 200 in all: every C handle is freed, and the
    /// process RSS settles (printed, and bounded loosely so a leak of one session each shows).
    func testHandlesAreFreedOnCancellationOver200Handshakes() async throws {
        let lab = try await started(TLSLab.start())
        let silent = try ScriptedServer(.silent)  // accepts each connection, then says nothing
        defer { silent.stop() }
        var completed = 0
        var cancelled = 0
        var before = 0
        for round in 0..<200 {
            if round == 20 { before = residentKiB() }
            if round % 2 == 0 {
                let connection = try await lab.open(TLSOptions(serverName: "www.lab.test", verify: true,
                                                               caFile: lab.ca.certificate.path))
                await connection.close()
                completed += 1
            } else {
                let stream = try await SocketStream.connect(host: "127.0.0.1", port: silent.port, deadline: .now + .seconds(2))
                let opening = Task { try await TLSConnection.open(over: stream, options: TLSOptions(), deadline: .now + .seconds(30)) }
                // Not a wait for anything: lets some rounds cancel mid-handshake and some before it
                // starts; both must end as a cancellation.
                try await Task.sleep(for: .milliseconds(2))
                opening.cancel()
                let result = await opening.result
                XCTAssertThrowsError(try result.get())
                if case .failure(let error) = result, error is TLSHandshakeError { XCTFail("cancellation became \(error)") }
                await stream.close()
                cancelled += 1
            }
            if TLSHandle.live != 0 { XCTFail("round \(round): \(TLSHandle.live) TLS handles alive"); break }
        }
        let after = residentKiB()
        print("TLS handles: \(completed) completed, \(cancelled) cancelled; RSS \(before) KiB after 20 rounds, \(after) KiB after 200 (+\(after - before) KiB)")
        XCTAssertEqual(TLSHandle.live, 0)
        XCTAssertLessThan(after - before, 20 * 1024, "RSS grew by \(after - before) KiB over 180 handshakes")
    }
}
