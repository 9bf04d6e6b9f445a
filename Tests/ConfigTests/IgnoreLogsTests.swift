import XCTest
import Model
@testable import Config

/// `ignore: { logs: [...] }`: regular expressions, added up across levels like the globs, each
/// compiled when the file is read so a broken one is refused at its line.
final class IgnoreLogsTests: XCTestCase {
    func testRegexesAddUpAcrossLevels() throws {
        let yaml = #"""
            ignore: { logs: ['kex_exchange_identification: .*'] }
            groups:
              web:
                ignore:
                  logs: "^nginx: \\[warn\\]"
            hosts:
              w1: { groups: [web], ignore: { logs: ['(?i)ACPI Error', 'pp-lab-logerr: cannot read /etc/pp-lab-logerr\.conf'] } }
            """#
        let h = try XCTUnwrap(parse(yaml).resolve(names: ["w1"], group: nil).first)
        XCTAssertEqual(h.rules.ignore[.logs], ["kex_exchange_identification: .*", #"^nginx: \[warn\]"#, "(?i)ACPI Error",
                                             #"pp-lab-logerr: cannot read /etc/pp-lab-logerr\.conf"#])
    }

    func testABrokenRegexIsOneLineNamingItsPlaceAndTheFix() {
        assertConfigError("ignore:\n  logs: ['ok', 'Failed (to start']\n",
                          "checks/postpatch.yaml:2:16: 'ignore.logs' entry 2 is not a valid regular expression: 'Failed (to start'; "
                              + "escape special characters such as ( [ { * + ? with a backslash")
        assertConfigError("ignore:\n  logs: ['']\n", "checks/postpatch.yaml:2:10: 'ignore.logs' entry 1 must not be empty")
        assertConfigError("ignore:\n  log: ['x']\n",
                          "checks/postpatch.yaml:2:3: unknown key 'log' under 'ignore' (did you mean 'logs'?)")
    }
}
