import Foundation
import Model
@testable import Collect
import XCTest
import TestSupport

/// The section registry: every section's entries agree with each other and with the tree.
/// (That every section has an entry at all is the compiler's job: each layer's table is an
/// exhaustive switch over SnapshotSection.)
final class SectionRegistryTests: XCTestCase {
    func testStepsAreNamedForTheirSection() {
        for section in SnapshotSection.allCases {
            for step in section.collector.capture?.steps ?? [] {
                XCTAssertEqual(step.section, section, "\(section): step \(step.name)")
            }
        }
    }

    func testEverySectionNamesFuzzTargetsThatExist() {
        let targets = Set(FuzzCorpus.targets)
        for section in SnapshotSection.allCases {
            let named = section.collector.fuzzTargets
            XCTAssertFalse(named.isEmpty, "\(section) names no fuzz target")
            for target in named {
                XCTAssertTrue(targets.contains(target), "\(section): no Fuzz/\(target).swift")
            }
        }
    }

    /// The script holds the fragments in section order, each once.
    func testScriptFollowsSectionOrder() {
        // A capture that knows its baseline: every section's fragment is in (transactions too).
        var options = ScriptOptions()
        options.transactionsSince = Date(timeIntervalSince1970: 1_800_000_000)
        let script = CollectorScript.render(checks: CheckSet(), options: options, nonce: "n")
        let firstSteps = SnapshotSection.allCases.compactMap { $0.collector.capture?.steps.first?.name }
        let offsets = firstSteps.map { step in script.range(of: "'\(step)'")?.lowerBound }
        XCTAssertFalse(offsets.contains(nil), "\(zip(firstSteps, offsets).filter { $0.1 == nil }.map(\.0))")
        let found = offsets.compactMap { $0 }
        XCTAssertEqual(found, found.sorted())
    }

    func testNamesAreOneVocabulary() {
        for section in SnapshotSection.allCases {
            XCTAssertEqual(Category(rawValue: section.rawValue), .section(section))
            XCTAssertEqual(SnapshotSection(name: section.rawValue), section)
        }
        XCTAssertEqual(SnapshotSection(name: "pendingUpdates"), .updates, "the name earlier notCaptured keys used")
        XCTAssertEqual(Category(rawValue: "processes"), .section(.outdated), "the category earlier reports used")
        for kind in FindingKind.allCases {
            XCTAssertEqual(kind.category, kind.section.map(Category.section) ?? .host, "\(kind)")
        }
        let ignoreKeys = SnapshotSection.allCases.compactMap { $0.model.ignore?.name }
        XCTAssertEqual(ignoreKeys.count, Set(ignoreKeys).count)
        XCTAssertEqual(SnapshotSection.ignoredBy("interfaces"), .network)
    }
}
