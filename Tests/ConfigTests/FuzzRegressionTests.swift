import Foundation
import XCTest
import TestSupport
@testable import Config

/// Replays the inputs scripts/fuzz kept under Tests/Fixtures/fuzz/<Target>/ for the config
/// readers, through the same calls as Fuzz/<Target>.swift: an error is fine, a crash is not.
final class ConfigFuzzRegressionTests: XCTestCase {
    static let targets: [String: (String) -> Void] = [
        "ConfigFile": { _ = try? ConfigFile.parse(yaml: $0, path: "fuzz.yml") },
        "SSHConfig": { text in
            let config = SSHConfig.parse(text, path: "/fuzz/config", home: "/fuzz", readFile: { _ in nil },
                                         listDirectory: { _ in nil })
            _ = config.resolve(host: "web1", localUser: "root")
        },
        "InventoryINI": { _ = try? Inventory.read(text: $0, file: "fuzz", format: .ini, varsDirectory: nil) },
        "InventoryYAML": { _ = try? Inventory.read(text: $0, file: "fuzz", format: .guess, varsDirectory: nil) },
    ]

    func testKeptInputsDoNotCrash() {
        FuzzCorpus.replay(Self.targets.mapValues(FuzzCorpus.text))
    }

    func testEntriesSurviveDegenerateInputs() {
        for (_, run) in Self.targets {
            for text in ["", "\n", ":", "- [", "Host\n", "[g:children]\n", "\u{0}\u{FFFD}\t"] { run(text) }
        }
    }
}
