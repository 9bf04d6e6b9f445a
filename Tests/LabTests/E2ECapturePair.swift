import Engine
import Model
import XCTest

extension E2ETestCase {
    /// Captures `target` twice, back to back: the two must differ in their capture time and be
    /// equal once the volatile fields are cleared and the sockets the differ ignores are dropped
    /// (`E2ENoise.scrub`, keeping the test's own `ports`). Returns both.
    @discardableResult
    func assertTwoCapturesEqual(_ target: HostTarget, settings: Capture.Settings = fast, knownHosts: String? = nil,
                                keepingPorts ports: Set<Int>,
                                file: StaticString = #filePath, line: UInt = #line) async throws -> (Snapshot, Snapshot) {
        let first = try await capture(target, settings: settings, knownHosts: knownHosts, file: file, line: line)
        let second = try await capture(target, settings: settings, knownHosts: knownHosts, file: file, line: line)
        XCTAssertNotEqual(first.capturedAt, second.capturedAt, file: file, line: line)
        let a = E2ENoise.scrub(first, keepingPorts: ports).withoutVolatileFields()
        let b = E2ENoise.scrub(second, keepingPorts: ports).withoutVolatileFields()
        XCTAssertEqual(a, b, "\(target.name): two captures of an unchanged host differ: \(E2ENoise.differences(a, b))",
                       file: file, line: line)
        return (first, second)
    }
}
