import XCTest
import Model
@testable import Collect

/// The `via: host` parser on real captures of this machine's clients (Tests/Fixtures/collect/
/// debian-12_http-checks-*.out: curl 7.88, GNU wget 1.21, busybox 1.35 wget against Python's
/// http.server, a closed port and a silent listener), framed as the collector frames them.
final class HTTPChecksParserTests: XCTestCase {
    static let checks = [
        HTTPCheck(name: "ok", url: "http://127.0.0.1:18801/", status: 200, contains: "status: ok", via: .host),
        HTTPCheck(name: "missing", url: "http://127.0.0.1:18801/nope", via: .host),
        HTTPCheck(name: "moved", url: "http://127.0.0.1:18801/sub", via: .host),
        HTTPCheck(name: "refused", url: "http://127.0.0.1:18803/", via: .host, timeout: 3),
        HTTPCheck(name: "silent", url: "http://127.0.0.1:18802/", via: .host, timeout: 1),
    ]

    func parse(_ fixture: String) throws -> [String: HTTPCheckResult] {
        let output = ScriptOutput.parse(try Fixtures.local(fixture), nonce: "0123456789abcdef0123456789abcdef")
        let results = HTTPChecksParser.parse(output, checks: Self.checks)
        XCTAssertEqual(results.map(\.name), Self.checks.map(\.name))
        return Dictionary(uniqueKeysWithValues: results.map { ($0.name, $0) })
    }

    func assertCommon(_ r: [String: HTTPCheckResult], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r["ok"]?.status, 200, file: file, line: line)
        XCTAssertEqual(r["ok"]?.containsMatched, true, file: file, line: line)
        XCTAssertEqual(r["ok"]?.failed, [], file: file, line: line)
        XCTAssertEqual(r["missing"]?.failed, ["status 404, expected below 400"], file: file, line: line)
        XCTAssertEqual(r["moved"]?.status, 301, "the URL's own answer, not the redirect's target", file: file, line: line)
        XCTAssertEqual(r["moved"]?.location, "/sub/", file: file, line: line)
        XCTAssertEqual(r["moved"]?.failed, [], file: file, line: line)
        XCTAssertEqual(r["silent"]?.failed, ["no answer within 1 s"], file: file, line: line)
        XCTAssertTrue(r.values.allSatisfy { $0.via == .host && $0.latencyMs == nil }, file: file, line: line)
    }

    func testCurl() throws {
        let r = try parse("debian-12_http-checks-curl.out")
        assertCommon(r)
        XCTAssertEqual(r["refused"]?.failed, ["curl: (7) Failed to connect to 127.0.0.1 port 18803 after 0 ms: Couldn't connect to server"])
    }

    func testGNUWget() throws {
        let r = try parse("debian-12_http-checks-gnu-wget.out")
        assertCommon(r)
        XCTAssertEqual(r["refused"]?.failed, ["wget: failed: Connection refused."])
    }

    func testBusyboxWget() throws {
        let r = try parse("debian-12_http-checks-busybox-wget.out")
        assertCommon(r)
        XCTAssertEqual(r["refused"]?.failed, ["wget: can't connect to remote host (127.0.0.1): Connection refused"])
    }

    func testOddOutputNeverFails() {
        let check = HTTPCheck(name: "x", url: "http://x/", status: 200, via: .host)
        let framed = "\n@@PP-n BEGIN http.0\ntool=curl\nh=HTTP/1.1 2000 nonsense\nh=\u{1b}[31mLocation: x\nrc=abc\n"
            + "\n@@PP-n STDERR http.0\n\u{1b}]0;pwned\u{7}\n\n@@PP-n END http.0 0\n\n@@PP-n DONE\n"
        let r = HTTPChecksParser.parse(ScriptOutput.parse(framed, nonce: "n"), checks: [check])
        XCTAssertEqual(r.first?.failed, ["curl: .]0;pwned."], "escape sequences are neutralised")
        let cut = HTTPChecksParser.parse(ScriptOutput.parse("\n@@PP-n BEGIN system\n", nonce: "n"), checks: [check])
        XCTAssertEqual(cut.first?.failed, ["no result from the host (run cut short)"])
        let invalid = HTTPChecksParser.parse(ScriptOutput(), checks: [HTTPCheck(name: "bad", url: "ftp://x/", via: .host)])
        XCTAssertEqual(invalid.first?.failed, ["not run: url must start with http:// or https://"])
    }
}
