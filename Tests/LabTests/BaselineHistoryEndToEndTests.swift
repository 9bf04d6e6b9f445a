import Engine
import Foundation
import LabKit
import Model
import XCTest

/// `postpatch baseline --keep N`: every replaced baseline of a host goes to history/, the N
/// newest are kept, whatever the timing of the runs.
final class BaselineHistoryEndToEndTests: E2ETestCase {
    func testKeepHoldsThePreviousBaselinesByteForByte() async throws {
        let real = try await capture(sshTarget())
        let history = BaselineStore(directory: lab.dir + "/kept", keep: 2)
        try history.prepare()
        // Three baselines of one host, as three quick runs would write them (each capture took
        // its own time); the first two were taken within the same second.
        let start = Date(timeIntervalSince1970: (real.capturedAt.timeIntervalSince1970).rounded(.down))
        var written: [Data] = []
        for (index, offset) in [0.1, 0.6, 1.2].enumerated() {
            var s = real
            s.capturedAt = start.addingTimeInterval(offset)
            s.durationMs = 100 + index
            try history.write(s)
            written.append(try Data(contentsOf: URL(fileURLWithPath: history.path(for: s.host))))
        }
        let folder = history.directory + "/history"
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        let contents = try kept.map { try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\($0)")) }
        XCTAssertEqual(kept.count, 2, "history: \(kept)")
        XCTAssertEqual(Set(contents), Set(written.prefix(2)), "history must hold the two replaced baselines; it holds \(kept)")
    }
}
