import XCTest
import Model
@testable import Compare

/// Base for differ tests: the baseline is `TestSnapshots.web1()` (optionally changed), the current
/// snapshot is web1's re-capture (every volatile field different) with one change applied, so
/// every test also proves that volatile fields stay silent. A baseline change does not carry over.
class DiffTestCase: XCTestCase {
    func diff(rules: CompareRules = CompareRules(), baseline change0: (inout Snapshot) -> Void = { _ in },
              _ change: (inout Snapshot) -> Void) -> HostVerdict {
        var base = TestSnapshots.web1()
        change0(&base)
        var cur = TestSnapshots.recaptured(TestSnapshots.web1())
        change(&cur)
        return Differ.compare(baseline: base, current: cur, rules: rules)
    }

    func finding(_ v: HostVerdict, file: StaticString = #filePath, line: UInt = #line) -> Finding? {
        XCTAssertEqual(v.findings.count, 1, "findings: \(v.summary)", file: file, line: line)
        return v.findings.first
    }

    func setService(_ name: String, _ s: inout Snapshot, _ change: (inout Service) -> Void) {
        s.services = replacing(s.services, where: { $0.name == name }, with: change)
    }
}
