import Model
import XCTest
@testable import Probe

/// BannerParser on greetings captured from real servers on this machine (Tests/Fixtures/probe/
/// banners/README.md says how), and on the documented greetings of servers not run here.
final class BannerParserTests: XCTestCase {
    func testOpenSSHFromItsIdentificationLine() throws {
        let banner = BannerParser.parse(try fixture("banners/openssh-9.2p1-deb12u10.bin"), port: 22)
        XCTAssertEqual(banner, BannerInfo(proto: "ssh", product: "OpenSSH", version: "9.2p1",
                                          line: "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10"))
    }

    func testDropbearSendsItsKEXINITInTheSameReadAndOnlyTheLineCounts() throws {
        let bytes = try fixture("banners/dropbear-2022.83-with-kexinit.bin")
        XCTAssertGreaterThan(bytes.count, 100)
        XCTAssertTrue(BannerParser.isComplete(bytes, limit: 16384))
        XCTAssertEqual(BannerParser.parse(bytes), BannerInfo(proto: "ssh", product: "dropbear", version: "2022.83",
                                                            line: "SSH-2.0-dropbear_2022.83"))
    }

    func testVsftpdGreeting() throws {
        XCTAssertEqual(BannerParser.parse(try fixture("banners/vsftpd-3.0.3.bin"), port: 21),
                       BannerInfo(proto: "ftp", product: "vsFTPd", version: "3.0.3", line: "220 (vsFTPd 3.0.3)"))
    }

    func testMariaDBGreetingIsBinaryAndComplete() throws {
        let bytes = try fixture("mariadb-10.11-handshake.bin")
        XCTAssertTrue(BannerParser.isComplete(bytes, limit: 16384))
        XCTAssertFalse(BannerParser.isComplete(Array(bytes.prefix(20)), limit: 16384), "a packet still arriving")
        let banner = try XCTUnwrap(BannerParser.parse(bytes, port: 3306))
        XCTAssertEqual(banner.proto, "mysql")
        XCTAssertEqual(banner.product, "MariaDB")
        XCTAssertEqual(banner.version, "10.11.19")
        XCTAssertEqual(banner.line, "protocol 10, server 10.11.19-MariaDB-0+deb12u1")

        let refused = try XCTUnwrap(BannerParser.parse(try fixture("mariadb-10.11-err-host-not-allowed.bin")))
        XCTAssertEqual(refused.proto, "mysql")
        XCTAssertNil(refused.product)
        XCTAssertTrue(refused.line.hasPrefix("error 1130: Host "), refused.line)
    }

    func testRepliesToTheServicesOwnHandshakes() throws {
        XCTAssertEqual(BannerParser.parse(try fixture("redis-7.0-pong.bin"), after: .redis),
                       BannerInfo(proto: "redis", product: "Redis", line: "+PONG"))
        XCTAssertEqual(BannerParser.parse(try fixture("redis-7.0-noauth.bin"), after: .redis),
                       BannerInfo(proto: "redis", product: "Redis", line: "-NOAUTH Authentication required."))
        XCTAssertEqual(BannerParser.parse(try fixture("banners/postgres-15-sslrequest-reply.bin"), after: .postgres),
                       BannerInfo(proto: "postgres", product: "PostgreSQL", line: "SSLRequest: N (no TLS)"))
        XCTAssertEqual(BannerParser.parse(Array("HTTP/1.1 400 Bad Request\r\n".utf8), after: .redis)?.proto, "unknown")
    }

    func testDocumentedGreetings() throws {
        let text = String(decoding: try fixture("banners/documented.txt"), as: UTF8.self)
        var checked = 0
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(fields.count, 3, String(line))
            let expected = fields[2].split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let banner = try XCTUnwrap(BannerParser.parse(Array((fields[1] + "\r\n").utf8), port: Int(fields[0])))
            XCTAssertEqual([banner.proto, banner.product ?? "", banner.version ?? ""], expected, fields[1])
            XCTAssertEqual(banner.line, fields[1])
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 17)
    }

    func testHostileBytesStayBoundedAndInert() {
        let long = Array(repeating: UInt8(ascii: "A"), count: 100_000)
        let banner = BannerParser.parse(long)
        XCTAssertEqual(banner?.proto, "unknown")
        XCTAssertLessThanOrEqual(banner?.line.count ?? 0, 201)
        let escape = Array("SSH-2.0-Evil_1\u{1B}[31m\u{07}x \u{1B}]0;pwned\u{07}\r\n".utf8)
        let evil = BannerParser.parse(escape)
        XCTAssertFalse(evil?.line.contains("\u{1B}") ?? true)
        XCTAssertFalse(evil?.version?.contains("\u{1B}") ?? true)
        XCTAssertNil(BannerParser.parse([]))
        XCTAssertEqual(BannerParser.parse([0xFF, 0xFD, 0x18])?.proto, "telnet")
        for bytes: [UInt8] in [[0], [0x0A], Array("220".utf8), Array("SSH-".utf8), Array("* OK".utf8), [0x05, 0, 0, 0, 0x0A]] {
            _ = BannerParser.parse(bytes)
            _ = BannerParser.isComplete(bytes, limit: 4)
        }
    }
}
