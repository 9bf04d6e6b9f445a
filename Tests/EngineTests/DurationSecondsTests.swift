import Model
import XCTest

/// The one Duration <-> seconds conversion: exact both ways for ordinary values, and no trap
/// (nil instead) for what a person may type: nan, inf, 1e308, a negative number.
final class DurationSecondsTests: XCTestCase {
    func testInSecondsKeepsTheFraction() {
        XCTAssertEqual(Duration.milliseconds(2310).inSeconds, 2.31, accuracy: 1e-12)
        XCTAssertEqual(Duration.zero.inSeconds, 0)
        XCTAssertEqual(Duration.seconds(-3).inSeconds, -3)
    }

    func testSecondsWithinARangeOrNil() {
        XCTAssertEqual(Duration(seconds: 2.5, within: 0...3600), .milliseconds(2500))
        XCTAssertEqual(Duration(seconds: 3600, within: 0...3600), .seconds(3600))
        XCTAssertEqual(Duration(seconds: 0.0004, within: 0...1), .zero, "to the millisecond")
        for v in [Double.nan, .infinity, -.infinity, 1e308, -1, 3600.5, .greatestFiniteMagnitude] {
            XCTAssertNil(Duration(seconds: v, within: 0...3600), "\(v)")
        }
        XCTAssertNil(Duration(seconds: 1e16, within: 0...Double.greatestFiniteMagnitude), "past Int64 milliseconds")
        XCTAssertNotNil(Duration(seconds: 8e15, within: 0...Double.greatestFiniteMagnitude))
    }

    func testWholeAndPollMilliseconds() {
        XCTAssertEqual(Duration.milliseconds(2310).wholeMilliseconds, 2310)
        XCTAssertEqual((Duration.milliseconds(2310) + .microseconds(900)).wholeMilliseconds, 2310, "fraction dropped")
        XCTAssertEqual(Duration.seconds(Int64.max).wholeMilliseconds, .max, "saturates")
        XCTAssertEqual(Duration.seconds(Int64.min).wholeMilliseconds, .min, "saturates")
        XCTAssertEqual(Duration.microseconds(400).pollMilliseconds, 1, "a fraction waits a whole millisecond")
        XCTAssertEqual(Duration.seconds(2).pollMilliseconds, 2001)
        XCTAssertEqual(Duration.seconds(-2).pollMilliseconds, 0)
        XCTAssertEqual(Duration.seconds(Int64.max).pollMilliseconds, .max)
    }
}
