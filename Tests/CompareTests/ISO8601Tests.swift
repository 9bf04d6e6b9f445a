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
