import XCTest
import Foundation
import Model
@testable import Compare

final class FindingKindTests: XCTestCase {
    func testKindsAreKebabCaseAndUnique() {
        let names = FindingKind.allCases.map(\.rawValue)
        XCTAssertEqual(Set(names).count, names.count)
        for n in names {
            XCTAssertNotNil(n.range(of: "^[a-z]+(-[a-z0-9]+)+$", options: .regularExpression), n)
        }
    }

    func testOnlySettlingKindsAreRegressions() {
        for k in FindingKind.allCases where k.mightSettle {
            XCTAssertEqual(k.defaultSeverity, .regression, k.rawValue)
        }
    }

    /// docs/findings.md has one table row per kind with the right category and severity.
    func testDocsListEveryKind() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/findings.md"), encoding: .utf8)
        var rows: [String: [String]] = [:]
        for line in doc.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            rows[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = Array(cells.dropFirst())
        }
        XCTAssertEqual(Set(rows.keys), Set(FindingKind.allCases.map(\.rawValue)))
        for k in FindingKind.allCases {
            XCTAssertEqual(rows[k.rawValue]?.first, k.category.rawValue, k.rawValue)
            XCTAssertEqual(rows[k.rawValue]?.dropFirst().first, k.defaultSeverity.rawValue, k.rawValue)
        }
    }
}

final class NaturalOrderTests: XCTestCase {
    func testNumbersCompareAsNumbers() {
        let sorted = ["tcp 0.0.0.0:443", "tcp 0.0.0.0:80", "loop10", "loop9", "tcp 0.0.0.0:22", "loop09", "a", ""]
            .sorted(by: NaturalOrder.less)
        XCTAssertEqual(sorted, ["", "a", "loop09", "loop9", "loop10", "tcp 0.0.0.0:22", "tcp 0.0.0.0:80", "tcp 0.0.0.0:443"])
    }
}

final class UTCStampTests: XCTestCase {
    func testSameTextAsModelISO8601() {
        let dates: [Double] = [0, 1, 59.999, 86_399.5, 951_782_400 /* 2000-02-29 */, 1_763_720_000, 1_763_720_000.75,
                               4_102_444_799 /* 2099-12-31T23:59:59 */, 1_709_164_800 /* 2024-02-29 */, 253_402_300_799]
        for t in dates {
            let d = Date(timeIntervalSince1970: t)
            XCTAssertEqual(UTCStamp.string(d), ISO8601.string(d), "\(t)")
        }
    }
}
