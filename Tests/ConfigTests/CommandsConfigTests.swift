import XCTest
import Model
@testable import Config

/// `commands:` in the checks file: what it reads into, and every way it can be wrong, with the
/// exact `file:line:col: message` the user sees.
final class CommandsConfigTests: XCTestCase {
    func testEntriesAtEveryLevelMergeGlobalGroupsHost() throws {
        let yaml = """
            checks:
              commands:
                - { name: disk-writable, run: "touch /var/tmp/pp && rm /var/tmp/pp" }
            groups:
              web:
                checks:
                  commands:
                    - name: app-smoke
                      run: |
                        curl -fsS http://127.0.0.1:8080/health
                        test -f /srv/app/ready
                      timeout: 12.5
                      expect: { exit: 0, stdout_contains: "ok" }
                      compare: output
            hosts:
              web1:
                groups: [web]
                checks:
                  commands: [ { name: exit-three, run: "exit 3", expect: { exit: 3 } } ]
              db1: {}
            """
        let config = try parse(yaml)
        let web1 = try XCTUnwrap(config.resolve(names: ["web1"], group: nil).first)
        XCTAssertEqual(web1.checks.commands.map(\.name), ["disk-writable", "app-smoke", "exit-three"])
        XCTAssertEqual(web1.checks.commands[0], CommandCheck(name: "disk-writable", run: "touch /var/tmp/pp && rm /var/tmp/pp"))
        XCTAssertEqual(web1.checks.commands[1],
                       CommandCheck(name: "app-smoke", run: "curl -fsS http://127.0.0.1:8080/health\ntest -f /srv/app/ready\n",
                                    timeout: 12.5, expectExit: 0, expectStdoutContains: "ok", compare: .output))
        XCTAssertEqual(web1.checks.commands[2].expectExit, 3)
        XCTAssertEqual(web1.checks.commands[2].timeout, 30, "default timeout")
        XCTAssertEqual(web1.checks.commands[2].compare, .exit, "default compare")
        let db1 = try XCTUnwrap(config.resolve(names: ["db1"], group: nil).first)
        XCTAssertEqual(db1.checks.commands.map(\.name), ["disk-writable"])
        // The merged set survives a JSON round trip (Codable model).
        let data = try JSONEncoder().encode(web1.checks)
        XCTAssertEqual(try JSONDecoder().decode(CheckSet.self, from: data), web1.checks)
    }

    func testEntryRules() {
        let head = "checks:\n  commands:\n"
        assertConfigError(head + "    - { run: \"true\" }\n",
                          "checks/postpatch.yaml:3:7: missing 'name' in 'checks.commands' entry 1")
        assertConfigError(head + "    - { name: a }\n",
                          "checks/postpatch.yaml:3:7: missing 'run' in 'checks.commands' entry 1")
        assertConfigError(head + "    - { name: a, run: \"  \" }\n",
                          "checks/postpatch.yaml:3:23: 'run' must not be empty")
        assertConfigError(head + "    - { name: \"\", run: \"true\" }\n",
                          "checks/postpatch.yaml:3:15: 'name' must not be empty")
        assertConfigError(head + "    - { name: \"a\\tb\", run: \"true\" }\n",
                          "checks/postpatch.yaml:3:15: 'name' must be one line without control characters: it names the command in every report")
        assertConfigError(head + "    - { name: a, run: \"true\\0\" }\n",
                          "checks/postpatch.yaml:3:23: 'run' holds a NUL character, which no shell can be given: remove it")
        assertConfigError(head + "    - { name: a, run: \"true\" }\n    - { name: a, run: \"false\" }\n",
                          "checks/postpatch.yaml:4:7: command name 'a' is used twice in this list (first in entry 1); give each command a distinct 'name'")
        assertConfigError(head + "    - { name: a, run: x, timeout: 0 }\n",
                          "checks/postpatch.yaml:3:35: 'timeout' must be a number of seconds from 0.001 to 3600, got '0'")
        assertConfigError(head + "    - { name: a, run: x, timeout: 3601 }\n",
                          "checks/postpatch.yaml:3:35: 'timeout' must be a number of seconds from 0.001 to 3600, got '3601'")
        assertConfigError(head + "    - { name: a, run: x, timeout: soon }\n",
                          "checks/postpatch.yaml:3:35: 'timeout' must be a number of seconds from 0.001 to 3600, got 'soon'")
        assertConfigError(head + "    - { name: a, run: x, expect: { exit: 256 } }\n",
                          "checks/postpatch.yaml:3:42: 'exit' must be a number from 0 to 255, got '256'")
        assertConfigError(head + "    - { name: a, run: x, expect: { exit: -1 } }\n",
                          "checks/postpatch.yaml:3:42: 'exit' must be a number from 0 to 255, got '-1'")
        assertConfigError(head + "    - { name: a, run: x, expect: { stdout_contains: \"\" } }\n",
                          "checks/postpatch.yaml:3:53: 'stdout_contains' must not be empty")
        assertConfigError(head + "    - { name: a, run: x, compare: outptu }\n",
                          "checks/postpatch.yaml:3:35: 'compare' must be 'exit' (only the exit status counts) or 'output' "
                              + "(a changed output is a warning too), got 'outptu' (did you mean 'output'?)")
        assertConfigError(head + "    - { name: a, run: x, compare: digest }\n",
                          "checks/postpatch.yaml:3:35: 'compare' must be 'exit' (only the exit status counts) or 'output' "
                              + "(a changed output is a warning too), got 'digest'")
        assertConfigError(head + "    - { name: a, run: [x] }\n",
                          "checks/postpatch.yaml:3:23: 'run' must be text, got a list")
        assertConfigError("checks:\n  commands: { name: a, run: x }\n",
                          "checks/postpatch.yaml:2:13: 'commands' must be a list, got a mapping")
    }

    func testUnknownKeysGetSuggestions() {
        let head = "checks:\n  commands:\n"
        assertConfigError(head + "    - { name: a, command: x }\n",
                          "checks/postpatch.yaml:3:18: unknown key 'command' in 'checks.commands' entry 1; "
                              + "known keys: name, run, timeout, expect, compare")
        assertConfigError(head + "    - { name: a, run: x, timout: 5 }\n",
                          "checks/postpatch.yaml:3:26: unknown key 'timout' in 'checks.commands' entry 1 (did you mean 'timeout'?)")
        assertConfigError(head + "    - { name: a, run: x, expect: { exit_code: 0 } }\n",
                          "checks/postpatch.yaml:3:36: unknown key 'exit_code' under 'checks.commands[1].expect'; known keys: exit, stdout_contains")
        assertConfigError(head + "    - { name: a, run: x, expect: { stdoutContains: ok } }\n",
                          "checks/postpatch.yaml:3:36: unknown key 'stdoutContains' under 'checks.commands[1].expect' (did you mean 'stdout_contains'?)")
        assertConfigError("checks:\n  comands: []\n",
                          "checks/postpatch.yaml:2:3: unknown key 'comands' under 'checks' (did you mean 'commands'?)")
    }

    /// A host runs global, group and host commands together: one name twice would make two
    /// findings no one could tell apart.
    func testNamesUniqueAcrossTheLevelsAHostCombines() {
        assertConfigError("""
            checks: { commands: [ { name: smoke, run: x } ] }
            groups:
              web: { checks: { commands: [ { name: smoke, run: y } ] } }

            """, "checks/postpatch.yaml:3:40: command name 'smoke' of group 'web' is already declared for the same hosts "
                + "(at line 1, column 31); give each command a distinct 'name'")
        assertConfigError("""
            checks: { commands: [ { name: smoke, run: x } ] }
            hosts:
              h1: { checks: { commands: [ { name: smoke, run: y } ] } }

            """, "checks/postpatch.yaml:3:39: command name 'smoke' of host 'h1' is already declared for the same hosts "
                + "(at line 1, column 31); give each command a distinct 'name'")
        assertConfigError("""
            groups:
              web: { checks: { commands: [ { name: smoke, run: x } ] } }
              app: { checks: { commands: [ { name: smoke, run: y } ] } }
            hosts:
              h1: { groups: [web, app] }

            """, "checks/postpatch.yaml:3:40: command name 'smoke' of group 'app' (host 'h1' is in it) is already declared "
                + "for the same hosts (at line 2, column 40); give each command a distinct 'name'")
        // Two groups no host combines may use one name.
        XCTAssertNoThrow(try parse("""
            groups:
              web: { checks: { commands: [ { name: smoke, run: x } ] } }
              app: { checks: { commands: [ { name: smoke, run: y } ] } }
            hosts:
              h1: { groups: [web] }
              h2: { groups: [app] }

            """))
    }
}
