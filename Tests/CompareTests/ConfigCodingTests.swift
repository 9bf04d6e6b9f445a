import Foundation
import XCTest
import Model

/// A dpkg conffile as shipped is written without `manager` and `state`, and reads back equal.
final class ConfigCodingTests: XCTestCase {
    func testTheCommonCaseIsWrittenShortAndReadsBack() throws {
        let shipped = TrackedConfigFile(path: "/etc/cron.d/e2scrub_all", package: "e2fsprogs", manager: .dpkg, state: .shipped,
                                        digest: "md5:0123456789abcdef0123456789abcdef")
        let modified = TrackedConfigFile(path: "/etc/nginx/nginx.conf", package: "nginx-common", manager: .ucf, state: .modified)
        let data = try JSONEncoder().encode([shipped, modified])
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertEqual(text.components(separatedBy: "\"manager\"").count - 1, 1, text)
        XCTAssertEqual(text.components(separatedBy: "\"state\"").count - 1, 1, text)
        XCTAssertEqual(try JSONDecoder().decode([TrackedConfigFile].self, from: data), [shipped, modified])
    }
}
