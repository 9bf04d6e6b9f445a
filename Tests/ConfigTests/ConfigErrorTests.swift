import XCTest
import Model
@testable import Config

/// Every way a config file can be wrong, with the exact `file:line:col: message` the user sees.
final class ConfigErrorTests: XCTestCase {
    func testUnknownTopLevelKey() {
        assertConfigError("hots:\n  web1: {}\n",
                          "checks/postpatch.yaml:1:1: unknown key 'hots' at top level (did you mean 'hosts'?)")
        assertConfigError("hosts: {}\nchecks: {}\nextras: 1\n",
                          "checks/postpatch.yaml:3:1: unknown key 'extras' at top level; "
                              + "known keys: defaults, hosts, checks, groups, ignore, policy, rollout, learn, rules")
    }

    func testUnknownKeyUnderChecks() {
        assertConfigError("checks:\n  conectivity: []\n",
                          "checks/postpatch.yaml:2:3: unknown key 'conectivity' under 'checks' "
                              + "(did you mean 'connectivity'?)")
        let yaml = """
            hosts:
              db1:
                address: 192.0.2.21
                checks:
                  conectivity:
                    - { target: 192.0.2.1, ping: true }
            """
        assertConfigError(yaml, "checks/postpatch.yaml:5:7: unknown key 'conectivity' under 'hosts.db1.checks' "
                              + "(did you mean 'connectivity'?)")
    }

    func testUnknownKeyInHost() {
        assertConfigError("hosts:\n  web1:\n    adress: 192.0.2.11\n",
                          "checks/postpatch.yaml:3:5: unknown key 'adress' under 'hosts.web1' (did you mean 'address'?)")
        assertConfigError("hosts:\n  web1: { address: 192.0.2.11, knownHosts: /tmp/kh }\n",
                          "checks/postpatch.yaml:2:32: unknown key 'knownHosts' under 'hosts.web1' "
                              + "(did you mean 'known_hosts'?)")
    }

    func testUnknownKeyInCheckEntry() {
        assertConfigError("checks:\n  dns:\n    - { name: a.test }\n    - { nmae: b.test }\n",
                          "checks/postpatch.yaml:4:9: unknown key 'nmae' in 'checks.dns' entry 2 (did you mean 'name'?)")
        assertConfigError("checks:\n  dns:\n    - name: a.test\n      colour: blue\n",
                          "checks/postpatch.yaml:4:7: unknown key 'colour' in 'checks.dns' entry 1; "
                              + "known keys: name, type, server")
    }

    func testWrongTypes() {
        assertConfigError("defaults: { user: ops, port: abc }\n",
                          "checks/postpatch.yaml:1:30: 'port' must be a number from 1 to 65535, got 'abc'")
        assertConfigError("defaults:\n  sudo: maybe\n",
                          "checks/postpatch.yaml:2:9: 'sudo' must be true or false, got 'maybe'")
        assertConfigError("defaults:\n  command_timeout: -1\n",
                          "checks/postpatch.yaml:2:20: 'command_timeout' must be a number of seconds from 0.001 to 86400, got '-1'")
        assertConfigError("hosts:\n  web1:\n    groups: web\n",
                          "checks/postpatch.yaml:3:13: 'groups' must be a list, got 'web'")
        assertConfigError("hosts:\n  web1:\n    user: [a, b]\n",
                          "checks/postpatch.yaml:3:11: 'user' must be text, got a list")
        assertConfigError("checks:\n  dns: { name: a.test }\n",
                          "checks/postpatch.yaml:2:8: 'dns' must be a list, got a mapping")
        assertConfigError("checks:\n  dns:\n    - a.test\n",
                          "checks/postpatch.yaml:3:7: 'checks.dns' entry 1 must be a mapping of 'key: value' lines, "
                              + "got 'a.test'")
        assertConfigError("- web1\n- web2\n",
                          "checks/postpatch.yaml:1:1: the file must be a mapping of 'key: value' lines, got a list")
    }

    func testBadPort() {
        assertConfigError("hosts:\n  db1: { port: 70000 }\n",
                          "checks/postpatch.yaml:2:16: 'port' must be a number from 1 to 65535, got '70000'")
        assertConfigError("checks:\n  connectivity:\n    - { target: 192.0.2.1, port: 0 }\n",
                          "checks/postpatch.yaml:3:34: 'port' must be a number from 1 to 65535, got '0'")
        assertConfigError("checks:\n  dns:\n    - { name: a.test, server: \"192.0.2.53#dns\" }\n",
                          "checks/postpatch.yaml:3:31: 'server' must be an address, optionally with a port as "
                              + "\"192.0.2.53#5353\", got '192.0.2.53#dns'")
    }

    func testDuplicates() {
        assertConfigError("hosts:\n  web1: { address: 192.0.2.11 }\n  web1: { address: 192.0.2.12 }\n",
                          "checks/postpatch.yaml:3:3: host 'web1' is listed twice (first at line 2, column 3); "
                              + "give each host one entry")
        assertConfigError("defaults:\n  port: 22\n  user: ops\n  port: 2222\n",
                          "checks/postpatch.yaml:4:3: duplicate key 'port' under 'defaults' (first at line 2, column 3)")
        assertConfigError("groups:\n  db: {}\n  db: {}\n",
                          "checks/postpatch.yaml:3:3: group 'db' is defined twice (first at line 2, column 3)")
        assertConfigError("hosts:\n  db1: { groups: [db, db] }\n",
                          "checks/postpatch.yaml:2:23: group 'db' is listed twice for host 'db1' (first at line 2, column 19)")
        assertConfigError("checks:\n  databases:\n    - { name: main, kind: redis }\n    - { name: main, kind: mysql }\n",
                          "checks/postpatch.yaml:4:7: database name 'main' is used twice in this list (first in entry 1); "
                              + "give each a distinct 'name'")
    }

    func testInlinePassword() {
        let yaml = "checks:\n  databases:\n    - name: main\n      kind: postgres\n      password: hunter2\n"
        let expected = "checks/postpatch.yaml:5:7: inline secret 'password' in 'checks.databases' entry 1: secrets never go "
            + "in the config file; put it in an environment variable and name that variable with "
            + "'password_env: PG_MONITOR_PASSWORD'"
        assertConfigError(yaml, expected)
        assertConfigError("defaults: { ssh_passphrase: xyzzy }\n",
                          "checks/postpatch.yaml:1:13: inline secret 'ssh_passphrase' under 'defaults': secrets never go "
                              + "in the config file; put it in an environment variable and name that variable with "
                              + "'password_env: PG_MONITOR_PASSWORD'")
    }

    func testSecretsAreNeverEchoed() {
        assertConfigError("checks:\n  databases:\n    - { name: m, kind: redis, password_env: 'hunter2!' }\n",
                          "checks/postpatch.yaml:3:45: 'password_env' must be the name of an environment variable "
                              + "(letters, digits and _, like PG_MONITOR_PASSWORD), not the password itself")
        assertConfigError("checks:\n  databases:\n    - { name: m, kind: mysql, address: 'mysql://u:hunter2@db' }\n",
                          "checks/postpatch.yaml:3:40: 'address' holds a password inside a URL: secrets never go in the "
                              + "config file; give the host name here and name an environment variable with 'password_env'")
    }

    func testUserWithPasswordIsNotEchoed() {
        assertConfigError("defaults:\n  user: 'ops:hunter2'\n",
                          "checks/postpatch.yaml:2:9: 'user' must be a plain login name, without spaces, '@' or ':'")
    }

    func testYAMLSyntaxError() {
        assertConfigError("hosts:\n  web1: { address: 192.0.2.11\nchecks: {}\n",
                          "checks/postpatch.yaml:3:7: YAML syntax error: did not find expected ',' or '}' "
                              + "(while parsing a flow mapping at line 2, column 9)")
        assertConfigError("hosts:\n\tweb1: {}\n",
                          "checks/postpatch.yaml:2:1: YAML syntax error: found character that cannot start any token "
                              + "(while scanning for the next token at line 2, column 1); "
                              + "YAML indentation must use spaces, not tabs")
    }

    func testEmptyFile() {
        let expected = "checks/postpatch.yaml:1:1: the config file is empty; start from the commented example "
            + "in checks/postpatch.yaml or docs/config.md"
        assertConfigError("", expected)
        assertConfigError("# nothing yet\n\n", expected)
    }

    func testCheckEntryRules() {
        assertConfigError("checks:\n  connectivity:\n    - { target: 192.0.2.1 }\n",
                          "checks/postpatch.yaml:3:7: missing 'port' in 'checks.connectivity' entry 1: "
                              + "add 'port: N' for a TCP connect, or 'ping: true' to ping")
        assertConfigError("checks:\n  connectivity:\n    - { target: 192.0.2.1, ping: true, port: 80 }\n",
                          "checks/postpatch.yaml:3:46: give either 'port' (a TCP connect) or 'ping: true' (ICMP), not both")
        assertConfigError("checks:\n  databases:\n    - { name: main, kind: postgress }\n",
                          "checks/postpatch.yaml:3:27: unknown database kind 'postgress' (did you mean 'postgres'?)")
        assertConfigError("checks:\n  databases:\n    - { name: main, kind: tcp }\n",
                          "checks/postpatch.yaml:3:7: missing 'port' in 'checks.databases' entry 1: "
                              + "a 'tcp' check has no default port")
        assertConfigError("checks:\n  dns:\n    - { type: MX }\n",
                          "checks/postpatch.yaml:3:7: missing 'name' in 'checks.dns' entry 1")
    }

    func testHostFieldRules() {
        assertConfigError("hosts:\n  web1: { address: '192.0.2.11:2222' }\n",
                          "checks/postpatch.yaml:2:20: 'address' must not hold a port; put it in 'port:'")
        assertConfigError("defaults:\n  identity: ~alice/.ssh/id\n",
                          "checks/postpatch.yaml:2:13: 'identity': only '~/' is expanded (to $HOME); "
                              + "write '~alice/.ssh/id' as a full path")
        assertConfigError("hosts:\n  'web 1': {}\n",
                          "checks/postpatch.yaml:2:3: host name 'web 1' may hold only letters, digits, '.', '_' and '-'")
        assertConfigError("groups:\n  db: {}\nhosts:\n  db1: { groups: [dbb] }\n",
                          "checks/postpatch.yaml:4:19: host 'db1' names group 'dbb', which is not defined under 'groups' "
                              + "(did you mean 'db'?)")
    }

    func testPolicyRules() {
        assertConfigError("policy:\n  package-upgraded: fatal\n",
                          "checks/postpatch.yaml:2:21: policy for 'package-upgraded' must be regression, warning or info, "
                              + "got 'fatal'")
        assertConfigError("policy:\n  package-upgraded: ignore\n",
                          "checks/postpatch.yaml:2:21: policy for 'package-upgraded' must be regression, warning or info, "
                              + "got 'ignore'; to drop changes, list them under 'ignore:'")
        assertConfigError("policy:\n  PackageUpgraded: info\n",
                          "checks/postpatch.yaml:2:3: unknown finding kind 'PackageUpgraded' under 'policy' "
                              + "(did you mean 'package-upgraded'?)")
        assertConfigError("groups:\n  db:\n    policy: { servce-stopped: info }\n",
                          "checks/postpatch.yaml:3:15: unknown finding kind 'servce-stopped' under 'groups.db.policy' "
                              + "(did you mean 'service-stopped'?)")
        assertConfigError("hosts:\n  web1:\n    policy: { everything: info }\n",
                          "checks/postpatch.yaml:3:15: unknown finding kind 'everything' under 'hosts.web1.policy'; "
                              + "finding kinds: " + FindingKind.allCases.map(\.rawValue).joined(separator: ", "))
        assertConfigError("ignore:\n  services: ['apt-[daily*']\n",
                          "checks/postpatch.yaml:2:14: 'ignore.services' entry 1 is not a valid glob: '[' and ']' "
                              + "do not pair up in 'apt-[daily*'")
    }

    func testMissingFile() {
        XCTAssertThrowsError(try ConfigFile.load(path: "/nonexistent/postpatch.yaml")) { error in
            XCTAssertEqual("\(error)", "/nonexistent/postpatch.yaml: no such config file; check the path given to --config")
        }
    }
}
