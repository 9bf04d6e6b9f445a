@testable import Report
import XCTest

final class XMLWriterTests: XCTestCase {
    func testTextEscaping() {
        XCTAssertEqual(XMLWriter.escapeText("a<b>&c]]>d\"'"), "a&lt;b&gt;&amp;c]]&gt;d\"'")
        XCTAssertEqual(XMLWriter.escapeText("x\r\ny\tz"), "x&#13;\ny\tz")
        XCTAssertEqual(XMLWriter.escapeText("\u{0}\u{8}\u{B}\u{C}\u{1F}\u{FFFE}\u{FFFF}\u{10FFFF}"),
                       "\\u{00}\\u{08}\\u{0B}\\u{0C}\\u{1F}\\u{FFFE}\\u{FFFF}\u{10FFFF}")
    }

    func testAttributeEscaping() {
        XCTAssertEqual(XMLWriter.escapeAttribute("a\"b<c>&d'e"), "a&quot;b&lt;c&gt;&amp;d'e")
        XCTAssertEqual(XMLWriter.escapeAttribute("1\t2\n3\r4"), "1&#9;2&#10;3&#13;4")
    }

    func testStructure() {
        var w = XMLWriter()
        w.start("a", ["k": "v&"])
        w.element("b", text: "t<")
        w.element("c")
        let out = w.finish()
        XCTAssertEqual(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a k=\"v&amp;\">\n  <b>t&lt;</b>\n  <c/>\n</a>\n")
    }

    func testVisibleTextLeavesOrdinaryTextAlone() {
        let s = "nginx.service — Ünïcödé 日本 🎉 \u{FFFD}"
        XCTAssertEqual(VisibleText.escape(s), s)
        XCTAssertEqual(VisibleText.oneLine("a\r\nb\tc\u{1B}"), "a ⏎ b c\\u{1B}")
    }
}
