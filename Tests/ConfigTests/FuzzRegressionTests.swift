import XCTest
import TestSupport
@testable import Config

/// Replays the inputs scripts/fuzz kept under Tests/Fixtures/fuzz/<Target>/ for the config
/// readers, through the same calls as Fuzz/<Target>.swift: an error is fine (a ConfigError), a
/// crash is not, and what is read holds (ReaderInvariants).
final class ConfigFuzzRegressionTests: XCTestCase {
    static let targets: [String: (String) -> Void] = [
        "ConfigFile": { text in ReaderInvariants.configErrorOrValue("ConfigFile") { try ConfigFile.parse(yaml: text, path: "fuzz.yml") } },
        "SSHConfig": { text in
            let config = SSHConfig.parse(text, path: "/fuzz/config", home: "/fuzz", readFile: { _ in nil },
                                         listDirectory: { _ in nil })
            ReaderInvariants.settings(config.resolve(host: "web1", localUser: "root"))
        },
        "InventoryINI": { text in
            ReaderInvariants.configErrorOrValue("INI inventory") {
                try Inventory.read(text: text, file: "fuzz", format: .ini, varsDirectory: nil)
            }.map { ReaderInvariants.inventory($0) }
        },
        "InventoryYAML": { text in
            ReaderInvariants.configErrorOrValue("YAML inventory") {
                try Inventory.read(text: text, file: "fuzz", format: .guess, varsDirectory: nil)
            }.map { ReaderInvariants.inventory($0) }
        },
    ]

    func testKeptInputsReadOrFailWithAConfigError() {
        FuzzCorpus.replay(Self.targets.mapValues(FuzzCorpus.text))
    }

    func testEntriesSurviveDegenerateInputs() {
        for (_, run) in Self.targets {
            for text in ["", "\n", ":", "- [", "Host\n", "[g:children]\n", "\u{0}\u{FFFD}\t"] { run(text) }
        }
        // Nothing in, no host out.
        XCTAssertEqual(try Inventory.read(text: "", file: "fuzz", format: .ini, varsDirectory: nil).hosts.count, 0)
    }
}
