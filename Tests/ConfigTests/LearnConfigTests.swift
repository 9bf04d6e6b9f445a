import Model
import XCTest
@testable import Config

/// `learn: { endpoints }`, `ignore: { endpoints }`, `rules: { expiry_warning_days, endpoint_versions }`
/// and `http_host`, at every level they are allowed, merged as the other rules are.
final class LearnConfigTests: XCTestCase {
    let home = "/home/tester"

    func testLevelsMergeWithTheHostWinning() throws {
        let yaml = """
            learn: { endpoints: false }
            rules: { expiry_warning_days: 30 }
            ignore: { endpoints: [8080, "9000-9100"] }
            groups:
              web:
                learn: { endpoints: true }
                rules: { endpoint_versions: true }
                ignore: { endpoints: 2375 }
            hosts:
              web1: { groups: [web], http_host: www.example.test }
              web2: { groups: [web], learn: { endpoints: false }, rules: { expiry_warning_days: 7, endpoint_versions: false } }
              db1: { address: 192.0.2.21 }
            """
        let hosts = try parse(yaml).resolve(names: [], group: nil, home: home)
        let byName = Dictionary(uniqueKeysWithValues: hosts.map { ($0.name, $0) })
        let web1 = try XCTUnwrap(byName["web1"]), web2 = try XCTUnwrap(byName["web2"]), db1 = try XCTUnwrap(byName["db1"])
        XCTAssertEqual(web1.checks.learning, EndpointLearning(enabled: true, httpHost: "www.example.test"))
        XCTAssertEqual(web1.rules.expiryWarningDays, 30)
        XCTAssertEqual(web1.rules.endpointVersions, true)
        XCTAssertEqual(web1.rules.ignore.endpoints,
                       [PortRange(low: 8080, high: 8080), PortRange(low: 9000, high: 9100), PortRange(low: 2375, high: 2375)])
        XCTAssertTrue(web1.rules.ignore.ignoresEndpoint(port: 9050))
        XCTAssertFalse(web1.rules.ignore.ignoresEndpoint(port: 9101))
        XCTAssertEqual(web2.checks.learning.isEnabled, false)
        XCTAssertEqual(web2.rules.expiryWarningDays, 7)
        XCTAssertEqual(web2.rules.endpointVersions, false)
        XCTAssertEqual(db1.checks.learning, EndpointLearning(enabled: false))
        XCTAssertNil(db1.rules.endpointVersions)
        XCTAssertEqual(db1.rules.ignore.endpoints.count, 2)
    }

    func testNothingSaidMeansLearningOnWithDefaults() throws {
        let host = try XCTUnwrap(try parse("hosts:\n  web1: {}\n").resolve(names: [], group: nil, home: home).first)
        XCTAssertTrue(host.checks.learning.isEnabled)
        XCTAssertNil(host.checks.learning.httpHost)
        XCTAssertNil(host.rules.expiryWarningDays)
        XCTAssertEqual(host.rules.ignore.endpoints, [])
        let adHoc = try XCTUnwrap(try parse("learn: { endpoints: false }\n").resolve(names: ["192.0.2.9"], group: nil, home: home).first)
        XCTAssertFalse(adHoc.checks.learning.isEnabled, "the global level applies to hosts named on the command line")
    }

    func testHTTPHostTakesNamesAndAddresses() throws {
        for (given, kept) in [("www.example.test", "www.example.test"), ("192.0.2.80", "192.0.2.80"), ("\"[2001:db8::80]\"", "2001:db8::80"),
                              ("intranet_01", "intranet_01")] {
            let host = try XCTUnwrap(try parse("hosts:\n  web1: { http_host: \(given) }\n").resolve(names: [], group: nil, home: home).first)
            XCTAssertEqual(host.checks.learning.httpHost, kept)
        }
    }

    func testBadValuesAreOneLineEach() {
        assertConfigError("learn: { endpoints: maybe }\n",
                          "checks/postpatch.yaml:1:21: 'endpoints' must be true or false, got 'maybe'")
        assertConfigError("learn: { endpoint: false }\n",
                          "checks/postpatch.yaml:1:10: unknown key 'endpoint' under 'learn' (did you mean 'endpoints'?)")
        assertConfigError("ignore: { endpoints: [80, \"9100-9000\"] }\n",
                          "checks/postpatch.yaml:1:27: 'ignore.endpoints' entry 2 must be a port (1 to 65535) or a range of ports "
                              + "such as \"9000-9100\", got '9100-9000'")
        assertConfigError("ignore: { endpoints: 70000 }\n",
                          "checks/postpatch.yaml:1:22: 'endpoints' must be a port (1 to 65535) or a range of ports such as \"9000-9100\", got '70000'")
        assertConfigError("ignore: { endpoints: [http] }\n",
                          "checks/postpatch.yaml:1:23: 'ignore.endpoints' entry 1 must be a port (1 to 65535) or a range of ports "
                              + "such as \"9000-9100\", got 'http'")
        assertConfigError("rules: { expiry_warning_days: -1 }\n",
                          "checks/postpatch.yaml:1:31: 'expiry_warning_days' must be a number from 0 to 3650, got '-1'")
        assertConfigError("rules: { expiry_warning_day: 3 }\n",
                          "checks/postpatch.yaml:1:10: unknown key 'expiry_warning_day' under 'rules' (did you mean 'expiry_warning_days'?)")
        assertConfigError("rules: { endpoint_versions: 2 }\n",
                          "checks/postpatch.yaml:1:29: 'endpoint_versions' must be true or false, got '2'")
        assertConfigError("hosts:\n  web1: { http_host: \"www.example.test:8080\" }\n",
                          "checks/postpatch.yaml:2:22: 'http_host' must be a host name or IP address without port or path "
                              + "(the Host header of the learned GET /), got 'www.example.test:8080'")
        assertConfigError("hosts:\n  web1: { http_host: \"a b\" }\n",
                          "checks/postpatch.yaml:2:22: 'http_host' must be a host name or IP address without port or path "
                              + "(the Host header of the learned GET /), got 'a b'")
        assertConfigError("groups:\n  web: { http_host: www.example.test }\n",
                          "checks/postpatch.yaml:2:10: unknown key 'http_host' under 'groups.web'; known keys: checks, ignore, policy, learn, rules")
    }
}
