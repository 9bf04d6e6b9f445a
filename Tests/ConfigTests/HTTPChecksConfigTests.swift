import Foundation
import Model
import XCTest
@testable import Config

/// `http:` in the checks file: every key read, every bad value one line naming the key and the fix,
/// no credential ever accepted in the file or echoed back.
final class HTTPChecksConfigTests: XCTestCase {
    func http(_ entry: String) -> String { "checks:\n  http:\n    - \(entry)\n" }

    func testEveryKeyIsRead() throws {
        let ca = FileManager.default.temporaryDirectory.appendingPathComponent("pp-http-ca-\(UUID().uuidString).pem").path
        try "-----BEGIN CERTIFICATE-----\n".write(toFile: ca, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: ca) }
        let yaml = """
            checks:
              http:
                - name: health
                  url: https://[2001:db8::1]:8443/health?full=1
                  status: 204
                  contains: "ok"
                  headers: { Accept: application/json, X-Empty: "" }
                  tls_verify: false
                  ca_file: \(ca)
                  timeout: 2.5
                  basic_auth_env: WEB_AUTH
                - { name: api, url: "http://api.example.test/", via: host, bearer_env: API_TOKEN }
            """
        let checks = try parse(yaml).resolve(names: ["h"], group: nil, home: "/root").first?.checks.http
        XCTAssertEqual(checks, [
            HTTPCheck(name: "health", url: "https://[2001:db8::1]:8443/health?full=1", status: 204, contains: "ok",
                      headers: ["Accept": "application/json", "X-Empty": ""], tlsVerify: false, caFile: ca,
                      via: .tunnel, timeout: 2.5, basicAuthEnv: "WEB_AUTH"),
            HTTPCheck(name: "api", url: "http://api.example.test/", via: .host, bearerEnv: "API_TOKEN"),
        ])
    }

    func testDefaults() throws {
        let check = try XCTUnwrap(parse(http("{ name: h, url: 'http://127.0.0.1:8080' }")).global.checks.http.first)
        XCTAssertEqual(check, HTTPCheck(name: "h", url: "http://127.0.0.1:8080"))
        XCTAssertEqual(check.via, .tunnel)
        XCTAssertTrue(check.tlsVerify)
        XCTAssertEqual(check.timeout, 10)
        XCTAssertNil(check.status, "no status: any status below 400 passes")
    }

    func testGroupAndHostLevelsAddUp() throws {
        let yaml = """
            checks: { http: [ { name: a, url: "http://a/" } ] }
            groups:
              web: { checks: { http: [ { name: b, url: "http://b/" } ] } }
            hosts:
              w1: { groups: [web], checks: { http: [ { name: c, url: "http://c/" } ] } }
            """
        let host = try XCTUnwrap(parse(yaml).resolve(names: ["w1"], group: nil, home: "/root").first)
        XCTAssertEqual(host.checks.http.map(\.name), ["a", "b", "c"])
    }

    func testURLProblems() {
        let cases: [(String, String)] = [
            ("ftp://x/", "must start with http:// or https://"),
            ("http://", "has no host name or address"),
            ("http://web 1/", "holds a space: percent-encode it (%20 for a space)"),
            ("http://x:0/", "has port '0': give a number from 1 to 65535"),
            ("http://x:http/", "has port 'http': give a number from 1 to 65535"),
            ("http://2001:db8::1/", "has an IPv6 address without brackets: write it as http://[2001:db8::1]:8080/"),
            ("http://[2001:db8::1/", "has an IPv6 address without its closing ']'"),
            ("http://[web]/", "has '[web]', which is not an IPv6 address"),
            ("http://user@x/", "holds a user name or password: name an environment variable holding user:password with 'basic_auth_env' instead"),
            ("http://-x/", "has host '-x': a host name or IP address holds only letters, digits, '-', '.' and '_'"),
        ]
        for (url, message) in cases {
            assertConfigError(http("{ name: h, url: '\(url)' }"), "checks/postpatch.yaml:3:23: 'url' '\(url)' \(message)")
        }
    }

    func testURLPartsForTheRequest() throws {
        let v6 = try HTTPCheckURL.parse("HTTPS://[::1]:8443?x=1#frag")
        XCTAssertEqual([v6.secure, v6.explicitPort], [true, true])
        XCTAssertEqual(v6.host, "::1")
        XCTAssertEqual(v6.port, 8443)
        XCTAssertEqual(v6.target, "/?x=1")
        XCTAssertEqual(v6.hostHeader, "[::1]:8443")
        let plain = try HTTPCheckURL.parse("http://web1.example.test:80/a/b")
        XCTAssertEqual(plain.hostHeader, "web1.example.test", "the scheme's own port is not repeated")
        XCTAssertEqual(plain.target, "/a/b")
        XCTAssertEqual(try HTTPCheckURL.parse("https://x").port, 443)
    }

    func testPasswordInURLIsNotEchoed() {
        assertConfigError(http("{ name: h, url: 'http://ops:hunter2@web1/' }"),
                          "checks/postpatch.yaml:3:23: 'url' holds a password: secrets never go in the config file; "
                              + "name an environment variable holding user:password with 'basic_auth_env'")
    }

    func testValueProblems() {
        assertConfigError(http("{ name: h, url: 'http://x/', status: 600 }"),
                          "checks/postpatch.yaml:3:44: 'status' must be a number from 100 to 599, got '600'")
        assertConfigError(http("{ name: h, url: 'http://x/', timeout: 301 }"),
                          "checks/postpatch.yaml:3:45: 'timeout' must be a number of seconds from 0.001 to 300, got '301'")
        assertConfigError(http("{ name: h, url: 'http://x/', timeout: 0 }"),
                          "checks/postpatch.yaml:3:45: 'timeout' must be a number of seconds from 0.001 to 300, got '0'")
        assertConfigError(http("{ name: h, url: 'http://x/', via: tunel }"),
                          "checks/postpatch.yaml:3:41: 'via' must be 'tunnel' (PostPatch asks through the SSH session) or "
                              + "'host' (the host's own curl or wget), got 'tunel' (did you mean 'tunnel'?)")
        assertConfigError(http("{ name: h, url: 'http://x/', tls_verify: false }"),
                          "checks/postpatch.yaml:3:48: 'tls_verify' applies to https:// URLs only")
        assertConfigError(http("{ name: h, url: 'https://x/', tls_verify: maybe }"),
                          "checks/postpatch.yaml:3:49: 'tls_verify' must be true or false, got 'maybe'")
        assertConfigError(http("{ name: h, url: 'https://x/', ca_file: /nonexistent/ca.pem }"),
                          "checks/postpatch.yaml:3:46: 'ca_file' '/nonexistent/ca.pem' is not a readable file on this machine: "
                              + "give the path of a PEM file of CA certificates")
        assertConfigError(http("{ name: h, url: 'https://x/', ca_file: /tmp }"),
                          "checks/postpatch.yaml:3:46: 'ca_file' '/tmp' is not a readable file on this machine: "
                              + "give the path of a PEM file of CA certificates")
        assertConfigError(http("{ name: h, url: 'https://x/', via: host, ca_file: /etc/hostname }"),
                          "checks/postpatch.yaml:3:57: 'ca_file' applies to 'via: tunnel' only: with 'via: host' the host's "
                              + "own client trusts the host's CA store")
        assertConfigError(http("{ name: h, url: 'http://x/', ca_file: /etc/hostname }"),
                          "checks/postpatch.yaml:3:45: 'ca_file' applies to https:// URLs only")
        assertConfigError(http("{ name: h, url: 'http://x/', contains: \"a\\nb\" }"),
                          "checks/postpatch.yaml:3:46: 'contains' must be one line of text without control characters "
                              + "(the host's grep -F would read a newline as a second text)")
        assertConfigError(http("{ name: h, url: 'http://x/', contains: '' }"),
                          "checks/postpatch.yaml:3:46: 'contains' must not be empty")
        assertConfigError(http("{ url: 'http://x/' }"), "checks/postpatch.yaml:3:7: missing 'name' in 'checks.http' entry 1")
        assertConfigError(http("{ name: h }"), "checks/postpatch.yaml:3:7: missing 'url' in 'checks.http' entry 1")
    }

    func testHeaderProblems() {
        assertConfigError(http("{ name: h, url: 'http://x/', headers: { Authorization: 'Basic b3BzOmh1bnRlcjI=' } }"),
                          "checks/postpatch.yaml:3:47: header 'Authorization' must not be typed in the file: name an "
                              + "environment variable holding user:password with 'basic_auth_env', or a token with 'bearer_env'")
        assertConfigError(http("{ name: h, url: 'http://x/', headers: { proxy-authorization: x } }"),
                          "checks/postpatch.yaml:3:47: header 'proxy-authorization' must not be typed in the file: name an "
                              + "environment variable holding user:password with 'basic_auth_env', or a token with 'bearer_env'")
        assertConfigError(http("{ name: h, url: 'http://x/', headers: { 'X Y': 1 } }"),
                          "checks/postpatch.yaml:3:47: header name (a key of 3 characters that is not a plain word, not shown: "
                              + "it may be a pasted secret) under 'checks.http[1].headers' must be an HTTP token "
                              + "(letters, digits and !#$%&'*+-.^_`|~), like X-Request-Id")
        assertConfigError(http("{ name: h, url: 'http://x/', headers: { X-A: \"1\\r\\nInjected: 1\" } }"),
                          "checks/postpatch.yaml:3:52: header 'X-A' must be one line without control characters")
        assertConfigError(http("{ name: h, url: 'http://x/', headers: { Connection: keep-alive } }"),
                          "checks/postpatch.yaml:3:47: header 'Connection' is set by PostPatch (one GET per connection, no body): remove it")
        assertConfigError(http("{ name: h, url: 'http://x/', headers: { Accept: a, accept: b } }"),
                          "checks/postpatch.yaml:3:58: header 'accept' is given twice (names ignore case)")
    }

    func testCredentialKeys() {
        assertConfigError(http("{ name: h, url: 'http://x/', password: hunter2 }"),
                          "checks/postpatch.yaml:3:36: inline secret 'password' in 'checks.http' entry 1: secrets never go in "
                              + "the config file; put user:password in an environment variable and name it with 'basic_auth_env', "
                              + "or a token with 'bearer_env'")
        assertConfigError(http("{ name: h, url: 'http://x/', basic_auth_env: 'ops:hunter2' }"),
                          "checks/postpatch.yaml:3:52: 'basic_auth_env' must be the name of an environment variable "
                              + "(letters, digits and _, like WEB_HEALTH_AUTH), not the user:password itself")
        assertConfigError(http("{ name: h, url: 'http://x/', bearer_env: 'eyJ.abc-1' }"),
                          "checks/postpatch.yaml:3:48: 'bearer_env' must be the name of an environment variable "
                              + "(letters, digits and _, like WEB_HEALTH_TOKEN), not the token itself")
        assertConfigError(http("{ name: h, url: 'http://x/', basic_auth_env: A, bearer_env: B }"),
                          "checks/postpatch.yaml:3:67: give either 'basic_auth_env' or 'bearer_env', not both: a request "
                              + "carries one Authorization header")
    }

    func testUnknownKeySuggestsTheKnownOne() {
        assertConfigError(http("{ name: h, url: 'http://x/', contain: ok }"),
                          "checks/postpatch.yaml:3:36: unknown key 'contain' in 'checks.http' entry 1 (did you mean 'contains'?)")
        assertConfigError(http("{ name: h, url: 'http://x/', tlsverify: false }"),
                          "checks/postpatch.yaml:3:36: unknown key 'tlsverify' in 'checks.http' entry 1 (did you mean 'tls_verify'?)")
        assertConfigError("checks:\n  htp: []\n", "checks/postpatch.yaml:2:3: unknown key 'htp' under 'checks' (did you mean 'http'?)")
    }

    func testNamesAreUnique() {
        assertConfigError("checks:\n  http:\n    - { name: h, url: 'http://a/' }\n    - { name: h, url: 'http://b/' }\n",
                          "checks/postpatch.yaml:4:7: http check name 'h' is used twice in this list (first in entry 1); "
                              + "give each a distinct 'name'")
        let across = """
            checks: { http: [ { name: h, url: "http://a/" } ] }
            groups:
              web: { checks: { http: [ { name: h, url: "http://b/" } ] } }
            hosts:
              w1: { groups: [web] }
            """
        assertConfigError(across, "checks/postpatch.yaml:5:3: http check 'h' reaches host 'w1' twice (from the global checks "
                              + "and from group 'web'): give each a distinct name")
    }
}
