import Model
@testable import Probe
import XCTest

/// What a page is: title, media type, server product, body fingerprint.
final class HTTPPageTests: XCTestCase {
    func response(_ headers: [(String, String)], _ body: String) -> HTTPExchange.Response {
        HTTPExchange.Response(status: 200, reason: "OK", headers: headers.map { .init(name: $0.0, value: $0.1) },
                              body: Array(body.utf8), bodyTruncated: false)
    }

    func testNginxDefaultPage() {
        // nginx 1.22's index.nginx-debian.html head, as Debian 12 ships it.
        let body = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\n</style>\n</head>\n"
        var a = HTTPAnswer(status: 200)
        HTTPPage.describe(response([("Server", "nginx/1.22.1"), ("Content-Type", "text/html")], body), into: &a)
        XCTAssertEqual(a.title, "Welcome to nginx!")
        XCTAssertEqual(a.contentType, "text/html")
        XCTAssertEqual(a.server, "nginx")
        XCTAssertEqual(a.body, "sha256:" + SHA256.hex(body))
    }

    func testTitleShapes() {
        XCTAssertEqual(HTTPPage.title(Array("<TITLE lang=en>  Acme\n\t Shop &amp; Co </TITLE>".utf8)), "Acme Shop & Co")
        XCTAssertNil(HTTPPage.title(Array("<title>never closed".utf8)))
        XCTAssertNil(HTTPPage.title(Array("<title></title>".utf8)))
        XCTAssertEqual(HTTPPage.title(Array(("<title>" + String(repeating: "x", count: 500) + "</title>").utf8))?.count ?? 0 <= 203, true)
        XCTAssertEqual(HTTPPage.title(Array("<title>\u{1B}[2Jevil</title>".utf8))?.contains("\u{1B}"), false, "sanitized")
        XCTAssertEqual(HTTPPage.mediaType("Text/HTML; charset=UTF-8"), "text/html")
        XCTAssertEqual(HTTPPage.product("Apache/2.4.62 (Debian)"), "apache")
        XCTAssertEqual(HTTPPage.product("cloudflare"), "cloudflare")
    }

    func testJSONHasNoTitle() {
        var a = HTTPAnswer(status: 200)
        HTTPPage.describe(response([("Content-Type", "application/json")], "{\"title\":\"<title>x</title>\"}"), into: &a)
        XCTAssertNil(a.title)
        XCTAssertNotNil(a.body)
    }
}
