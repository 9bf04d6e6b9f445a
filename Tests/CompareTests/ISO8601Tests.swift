import Foundation
import Model
import XCTest

/// The hand-made ISO 8601 writer gives what ISO8601DateFormatter gives.
final class ISO8601Tests: XCTestCase {
    func testSameAsTheFormatter() {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        var g = SystemRandomNumberGenerator()
        var samples: [Double] = [0, -0.5, 0.5, 1.5, -1.5, 2.5, 0.999, 1.0, 86_399.999_9, 951_782_400, 1_700_000_000.75, 4_102_444_799.9, -62_135_596_800]
        for _ in 0..<5000 { samples.append(Double.random(in: -2_000_000_000...4_000_000_000, using: &g)) }
        for t in samples {
            let date = Date(timeIntervalSince1970: t)
            XCTAssertEqual(ISO8601.string(date), f.string(from: date), "\(t)")
        }
    }
}

extension ISO8601Tests {
    /// Reading agrees with the formatter too, on what PostPatch writes and on what it does not.
    func testReadingAgreesWithTheFormatter() {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        var g = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let date = Date(timeIntervalSince1970: Double(Int.random(in: -2_000_000_000...4_000_000_000, using: &g)))
            let text = ISO8601.string(date)
            XCTAssertEqual(ISO8601.date(text), f.date(from: text), text)
        }
        for text in ["2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-21T24:00:00Z", "2026-11-21T12:28:13+01:00",
                     "2026-11-21T12:28:13.250Z", "2026-11-21 12:28:13Z", "1899-12-31T23:59:59Z", "２026-11-21T12:28:13Z", ""] {
            let formatter = f.date(from: text) ?? { f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                defer { f.formatOptions = [.withInternetDateTime] }; return f.date(from: text) }()
            XCTAssertEqual(ISO8601.date(text), formatter, text)
        }
    }
}
