import TestSupport
import Model
import XCTest
@testable import Probe

/// A TLS client's handshake fed seeded random bytes, mutated real server flights (captured from
/// openssl s_server, Tests/Fixtures/probe/tls-*) and the inputs kept for Fuzz/TLS.swift: every
/// input must end in a failed handshake with one line saying why, never a crash or a success.
final class TLSFuzzTests: XCTestCase {
    static let entries: [String: ([UInt8]) -> Void] = ["TLS": { _ = TLSHandle.replay(serverBytes: $0) }]

    func testKeptInputsDoNotCrash() {
        FuzzCorpus.replay(Self.entries)
    }

    func testRealFlightsReplayedToAnotherClientFailWithReasons() throws {
        // Another client's flight: its signature or keys do not fit this client's hello.
        let tls12 = TLSHandle.replay(serverBytes: try fixture("tls-openssl-3.0-tls12-server-flight.bin"))
        XCTAssertEqual(tls12.error, "bad signature")
        XCTAssertEqual(tls12.certificate?.subject, "O=Lab,CN=www.lab.test", "the certificate of a failed handshake is kept")
        XCTAssertEqual(tls12.certificate?.san, ["www.lab.test", "127.0.0.1"])
        XCTAssertNil(tls12.version)

        let tls13 = TLSHandle.replay(serverBytes: try fixture("tls-openssl-3.0-tls13-server-flight.bin"))
        XCTAssertNotNil(tls13.error)
        XCTAssertNil(tls13.certificate, "TLS 1.3 certificates are encrypted under keys this client never shared")

        let alert = TLSHandle.replay(serverBytes: try fixture("tls-openssl-3.0-alert-protocol-version.bin"))
        XCTAssertEqual(alert.error, "tlsv1 alert protocol version")
    }

    func testRandomServerBytes() {
        var random = Seeded(state: 13_013)
        for round in 0..<2000 {
            let length = Int.random(in: 0...(round % 10 == 0 ? 4000 : 120), using: &random)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            // Half the time a plausible record header (handshake or alert, TLS 1.0-1.3 versions,
            // a length that fits), so OpenSSL gets past the record layer into the messages.
            if bytes.count >= 9 && round % 2 == 0 {
                bytes[0] = round % 6 == 0 ? 0x15 : 0x16
                bytes[1] = 3
                bytes[2] = UInt8(round % 4 + 1)
                let body = bytes.count - 5
                bytes[3] = UInt8(body >> 8)
                bytes[4] = UInt8(body & 0xFF)
                bytes[5] = 2  // ServerHello
            }
            check(TLSHandle.replay(serverBytes: bytes), bytes)
        }
    }

    func testMutatedRealFlights() throws {
        var random = Seeded(state: 77)
        for name in ["tls-openssl-3.0-tls12-server-flight.bin", "tls-openssl-3.0-tls13-server-flight.bin",
                     "tls-openssl-3.0-alert-protocol-version.bin"] {
            let capture = try fixture(name)
            for _ in 0..<300 {
                var bytes = capture
                for _ in 0..<Int.random(in: 1...6, using: &random) {
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    bytes[index] = UInt8.random(in: 0...255, using: &random)
                }
                check(TLSHandle.replay(serverBytes: bytes), bytes)
                let cut = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
                check(TLSHandle.replay(serverBytes: cut), cut)
            }
        }
        XCTAssertEqual(TLSHandle.live, 0)
    }

    private func check(_ info: TLSInfo, _ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(info.succeeded, "a handshake succeeded on \(bytes.count) bytes", file: file, line: line)
        guard let error = info.error else { return XCTFail("no error for \(bytes.count) bytes", file: file, line: line) }
        XCTAssertFalse(error.isEmpty, file: file, line: line)
        XCTAssertFalse(error.contains("\n") || error.contains("\r"), error, file: file, line: line)
        XCTAssertLessThanOrEqual(error.count, 201, file: file, line: line)
    }
}
