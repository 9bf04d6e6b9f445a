import XCTest
@testable import Probe

/// There is no SQL Server on Debian, so TDS is tested against byte sequences from the
/// [MS-TDS] specification: the Pre-Login Request example of section 4.1 (MS-TDS), the one of
/// [MS-SSTDS] section 4.1, and responses built by hand from the PRELOGIN layout of
/// section 2.2.6.5 (packet header type 0x04; option tokens with big-endian offset/length
/// relative to the packet data; 0xFF terminator; VERSION = major, minor, build (big-endian), sub-build).
final class TDSWireTests: XCTestCase {
    /// [MS-TDS] 4.1 "Pre-Login Request", byte for byte.
    static let specRequest: [UInt8] = [
        0x12, 0x01, 0x00, 0x2F, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1A, 0x00, 0x06, 0x01, 0x00, 0x20,
        0x00, 0x01, 0x02, 0x00, 0x21, 0x00, 0x01, 0x03, 0x00, 0x22, 0x00, 0x04, 0x04, 0x00, 0x26, 0x00,
        0x01, 0xFF, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0xB8, 0x0D, 0x00, 0x00, 0x01,
    ]

    /// [MS-SSTDS] 4.1 "Pre-Login Request" (instance name "MSSQLServer"), byte for byte.
    static let sstdsRequest: [UInt8] = [
        0x12, 0x01, 0x00, 0x34, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x15, 0x00, 0x06, 0x01, 0x00, 0x1B,
        0x00, 0x01, 0x02, 0x00, 0x1C, 0x00, 0x0C, 0x03, 0x00, 0x28, 0x00, 0x04, 0xFF, 0x08, 0x00, 0x01,
        0x55, 0x00, 0x00, 0x00, 0x4D, 0x53, 0x53, 0x51, 0x4C, 0x53, 0x65, 0x72, 0x76, 0x65, 0x72, 0x00,
        0x80, 0x19, 0x00, 0x00,
    ]

    func testEncoderReproducesTheSpecificationExample() {
        let built = TDSWire.prelogin(version: [0x09, 0, 0, 0, 0, 0], encryption: 0x01, instance: [0],
                                     threadID: [0xB8, 0x0D, 0, 0], mars: 0x01)
        XCTAssertEqual(built, Self.specRequest)
    }

    func testDefaultRequestHasTheSameShape() {
        let request = TDSWire.prelogin()
        XCTAssertEqual(request.count, Self.specRequest.count)
        XCTAssertEqual(Array(request[0..<34]), Array(Self.specRequest[0..<34]), "header and option table")
        XCTAssertEqual(request[8 + 0x20], 0x02, "ENCRYPT_NOT_SUP: the probe never negotiates TLS")
    }

    func testDecodesSpecificationStructuresAsResponses() {
        for (bytes, version, encryption) in [(Self.specRequest, "9.0.0", "encryption on"),
                                             (Self.sstdsRequest, "8.0.341", "encryption off")] {
            let response = [TDSWire.responseType] + bytes.dropFirst()
            guard case .done(let prelogin, let consumed) = TDSWire.decodeResponse(response) else {
                return XCTFail("undecoded \(version)")
            }
            XCTAssertEqual(consumed, bytes.count)
            XCTAssertEqual(prelogin.version, version)
            XCTAssertEqual(prelogin.encryption, encryption)
        }
        let sstds = decoded(TDSWire.decodeResponse([TDSWire.responseType] + Self.sstdsRequest.dropFirst()))
        XCTAssertEqual(sstds?.options[2].map { String(decoding: $0, as: UTF8.self) }, "MSSQLServer\0")
    }

    /// SQL Server 2019 RTM (15.0.2000) answering with VERSION and ENCRYPTION = ENCRYPT_REQ.
    static let response2019: [UInt8] = [
        0x04, 0x01, 0x00, 0x1A, 0x00, 0x00, 0x01, 0x00,
        0x00, 0x00, 0x0B, 0x00, 0x06, 0x01, 0x00, 0x11, 0x00, 0x01, 0xFF,
        0x0F, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x03,
    ]

    func testDecodesAServerResponse() {
        let prelogin = decoded(TDSWire.decodeResponse(Self.response2019))
        XCTAssertEqual(prelogin?.version, "15.0.2000")
        XCTAssertEqual(prelogin?.encryption, "encryption required")
        XCTAssertTrue(needsMore(TDSWire.decodeResponse(Array(Self.response2019.prefix(12)))))
    }

    func testReassemblesAResponseSplitOverTwoPackets() {
        let payload = Array(Self.response2019.dropFirst(8))
        let first: [UInt8] = [0x04, 0x00, 0x00, 0x0F, 0, 0, 1, 0] + payload.prefix(7)
        let second: [UInt8] = [0x04, 0x01, 0x00, UInt8(8 + payload.count - 7), 0, 0, 2, 0] + payload.dropFirst(7)
        XCTAssertTrue(needsMore(TDSWire.decodeResponse(first)))
        XCTAssertEqual(decoded(TDSWire.decodeResponse(first + second))?.version, "15.0.2000")
    }

    func testRejectsForeignAndBrokenBytes() {
        XCTAssertTrue(isInvalid(TDSWire.decodeResponse(Array("+PONG\r\n".utf8))))
        var outside = Self.response2019
        outside[10] = 0x40 // VERSION offset beyond the data
        XCTAssertTrue(isInvalid(TDSWire.decodeResponse(outside)))
        var unterminated = Self.response2019
        unterminated[18] = 0x05 // terminator replaced: tokens run into the data
        XCTAssertTrue(isInvalid(TDSWire.decodeResponse(unterminated)))
        XCTAssertTrue(isInvalid(TDSWire.decodeResponse([0x04, 0x01, 0x00, 0x03, 0, 0, 1, 0])), "length below header size")
    }
}
