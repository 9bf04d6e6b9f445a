@testable import Config
import Foundation
import XCTest

/// Issue 12 point 3: small hostile inventories and checks files end in a one-line error naming
/// the limit, fast, instead of minutes and gigabytes. Each input here is the example.
final class HostileFileLimitsTests: XCTestCase {
    private func ini(_ text: String, limits: Limits = .standard) throws -> Inventory {
        try Inventory.read(text: text, file: "hosts.ini", format: .ini, varsDirectory: nil, limits: limits)
    }

    private func yaml(_ text: String, limits: Limits = .standard) throws -> Inventory {
        try Inventory.read(text: text, file: "hosts.yml", format: .yaml, varsDirectory: nil, limits: limits)
    }

    /// 2.9 KB, 200 lines each under the per-entry cap: took 4.1 GB before.
    func testRangesThatEachStayUnderTheEntryCapCannotAddUpPastTheHostLimit() {
        let text = (0..<200).map { "x\($0)-[0:99999]" }.joined(separator: "\n")
        XCTAssertLessThan(text.utf8.count, 3000)
        XCTAssertThrowsError(try ini(text)) {
            XCTAssertTrue("\($0)".hasPrefix("hosts.ini:2:1: the inventory lists more than 100000 hosts"), "\($0)")
            XCTAssertTrue("\($0)".contains("POSTPATCH_MAX_HOSTS"), "\($0)")
        }
        XCTAssertEqual(try ini("x[1:5]\ny[1:5]", limits: Limits(hosts: 10, groups: 10)).hosts.count, 10)
        XCTAssertThrowsError(try ini("x[1:6]\ny[1:5]", limits: Limits(hosts: 10, groups: 10)))
    }

    /// 1.6 KB, groups aliasing the level below twice, 29 levels: ran past 60 s before.
    func testGroupsAliasingEachOtherAreCutOffByTheEntryBudget() {
        var lines = ["all:", "  children:", "    a0: &a0", "      hosts:", "        h0:"]
        for i in 1...29 {
            lines += ["    a\(i): &a\(i)", "      children:", "        l\(i): *a\(i - 1)", "        r\(i): *a\(i - 1)"]
        }
        // The standard budget (1,000,000) takes seconds in a debug build; a smaller one shows the same.
        XCTAssertThrowsError(try yaml(lines.joined(separator: "\n"), limits: Limits(hosts: 1000, groups: 100))) {
            XCTAssertTrue("\($0)".contains("more than 10000 host and group entries once YAML aliases"), "\($0)")
            XCTAssertTrue("\($0)".hasPrefix("hosts.yml:"), "\($0)")
        }
    }

    func testMergeKeysAliasingEachOtherAreCutOffToo() {
        var lines = ["m0: &m0 {hosts: {h0: }}"]
        for i in 1...29 { lines.append("m\(i): &m\(i) {<<: [*m\(i - 1), *m\(i - 1)], vars: {v\(i): 1}}") }
        XCTAssertThrowsError(try yaml(lines.joined(separator: "\n"), limits: Limits(hosts: 1000, groups: 100))) {
            XCTAssertTrue("\($0)".contains("more than 10000 host and group entries"), "\($0)")
        }
    }

    /// A few aliases, as real inventories use them, still read.
    func testOrdinaryAliasesStillRead() throws {
        let inventory = try yaml("""
            all:
              children:
                web: &web {hosts: {w1: , w2: }}
                web_copy: *web
            """)
        XCTAssertEqual(inventory.hosts.map(\.name), ["w1", "w2"])
        XCTAssertEqual(inventory.groups["web_copy"], ["w1", "w2"])
    }

    func testGroupCountAndNestingAreCapped() {
        let many = (0..<30).map { "[g\($0)]\nh\($0)" }.joined(separator: "\n")
        XCTAssertThrowsError(try ini(many, limits: Limits(hosts: 100, groups: 20))) {
            XCTAssertTrue("\($0)".contains("more than 20 groups (the POSTPATCH_MAX_GROUPS limit)"), "\($0)")
        }
        // Built top-down (each new group a child of the last): the loop check stays cheap.
        var chain = ["[g0]"]
        for i in 0..<300 { chain += ["[g\(i):children]", "g\(i + 1)", "[g\(i + 1)]"] }
        XCTAssertThrowsError(try ini(chain.joined(separator: "\n"))) {
            XCTAssertTrue("\($0)".contains("groups nest more than 200 deep"), "\($0)")
        }
    }

    /// Every host carries its groups: hosts x nested groups is capped, and `groups` is computed on demand.
    func testHostsTimesNestedGroupsIsCapped() {
        var lines = ["[g0]", "h[0:999]"]
        for i in 1..<150 { lines += ["[g\(i):children]", "g\(i - 1)"] }
        XCTAssertThrowsError(try ini(lines.joined(separator: "\n"), limits: Limits(hosts: 1000, groups: 1000))) {
            XCTAssertTrue("\($0)".contains("hosts are in more than 50000 groups in all"), "\($0)")
        }
    }

    func testLimitsComeFromTheEnvironment() throws {
        XCTAssertEqual(try Limits.fromEnvironment([:], file: "f"), .standard)
        XCTAssertEqual(try Limits.fromEnvironment(["POSTPATCH_MAX_HOSTS": "5", "POSTPATCH_MAX_GROUPS": "7"], file: "f"),
                       Limits(hosts: 5, groups: 7))
        for bad in ["0", "-1", "1e9", "abc", ""] {
            XCTAssertThrowsError(try Limits.fromEnvironment(["POSTPATCH_MAX_HOSTS": bad], file: "f")) {
                XCTAssertEqual("\($0)", "f: POSTPATCH_MAX_HOSTS must be a whole number from 1 to 100000000")
            }
        }
    }

    /// One host given 200,000 groups: quadratic before (minutes); now refused at once, and
    /// 10,000 (the limit) read in linear time.
    func testChecksFileHostWithTooManyGroups() throws {
        func config(_ n: Int) -> String {
            "hosts:\n  web1:\n    groups: [" + (0..<n).map { "g\($0)" }.joined(separator: ", ") + "]\n"
        }
        XCTAssertThrowsError(try ConfigFile.parse(yaml: config(200_000), path: "c.yaml")) {
            XCTAssertTrue("\($0)".hasPrefix("c.yaml:3:"), "\($0)")
            XCTAssertTrue("\($0)".contains("host 'web1' lists more than 10000 groups (the POSTPATCH_MAX_GROUPS limit)"), "\($0)")
        }
        let started = Date()
        let parsed = try ConfigFile.parse(yaml: config(10_000), path: "c.yaml")
        XCTAssertEqual(parsed.groupNames.count, 10_000)
        XCTAssertEqual(try parsed.resolve(names: ["web1"], group: nil, home: "/root")[0].groups.count, 10_000)
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
    }

    func testChecksFileHostAndGroupCountsAreCapped() {
        let hosts = "hosts:\n" + (0..<30).map { "  h\($0): {}" }.joined(separator: "\n")
        XCTAssertThrowsError(try ConfigFile.parse(yaml: hosts, path: "c.yaml", limits: Limits(hosts: 20, groups: 20))) {
            XCTAssertTrue("\($0)".contains("the file lists more than 20 hosts (the POSTPATCH_MAX_HOSTS limit)"), "\($0)")
        }
        let groups = "groups:\n" + (0..<30).map { "  g\($0): {}" }.joined(separator: "\n")
        XCTAssertThrowsError(try ConfigFile.parse(yaml: groups, path: "c.yaml", limits: Limits(hosts: 20, groups: 20))) {
            XCTAssertTrue("\($0)".contains("the file defines more than 20 groups"), "\($0)")
        }
    }
}
