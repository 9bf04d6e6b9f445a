import XCTest
import Model
@testable import Config

/// `rules:` (space_warning_percent, critical_modules) and the mounts/modules ignore globs: read
/// at every level, merged, and refused with one line naming the key and the fix.
final class MountRulesTests: XCTestCase {
    let yaml = """
        rules: { space_warning_percent: 85, critical_modules: [zfs] }
        ignore: { mounts: ["/mnt/*"], modules: nls_* }
        groups:
          storage:
            rules: { critical_modules: ["nvidia*", spl] }
        hosts:
          nas1:
            groups: [storage]
            rules: { space_warning_percent: 95 }
            ignore: { mounts: ["/media/*"] }
          web1: {}
        """

    func testLevelsMerge() throws {
        let config = try parse(yaml)
        let nas = try XCTUnwrap(config.resolve(names: ["nas1"], group: nil).first)
        XCTAssertEqual(nas.rules.spaceWarningPercent, 95, "the host's threshold wins")
        XCTAssertEqual(nas.rules.criticalModules, ["zfs", "nvidia*", "spl"])
        XCTAssertEqual(nas.rules.ignore[.mounts], ["/mnt/*", "/media/*"])
        XCTAssertEqual(nas.rules.ignore[.modules], ["nls_*"], "a single glob without brackets")
        let web = try XCTUnwrap(config.resolve(names: ["web1"], group: nil).first)
        XCTAssertEqual(web.rules.spaceWarningPercentInForce, 85)
        XCTAssertEqual(try parse("hosts: { h: {} }\n").resolve(names: ["h"], group: nil).first?.rules.spaceWarningPercentInForce, 90,
                       "the default when nobody says")
    }

    func testBadValuesNameTheKeyAndTheRange() {
        assertConfigError("rules: { space_warning_percent: 150 }\n",
                          "checks/postpatch.yaml:1:33: 'space_warning_percent' must be a number from 1 to 100, got '150'")
        assertConfigError("rules: { space_warning_percent: 90% }\n",
                          "checks/postpatch.yaml:1:33: 'space_warning_percent' must be a number from 1 to 100, got '90%'")
        assertConfigError("hosts:\n  h:\n    rules: { space_warnings_percent: 80 }\n",
                          "checks/postpatch.yaml:3:14: unknown key 'space_warnings_percent' under 'hosts.h.rules' "
                              + "(did you mean 'space_warning_percent'?)")
        assertConfigError("rules: { critical_modules: ['zfs[' ] }\n",
                          "checks/postpatch.yaml:1:29: 'rules.critical_modules' entry 1 is not a valid glob: '[' and ']' do not pair up in 'zfs['")
        assertConfigError("ignore: { mount: [/mnt] }\n",
                          "checks/postpatch.yaml:1:11: unknown key 'mount' under 'ignore' (did you mean 'mounts'?)")
    }
}
