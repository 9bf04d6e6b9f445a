import LabKit
import TestSupport
import XCTest

/// Proves the lab DNS server answers what it is told, and follows updates.
final class DNSLabTests: XCTestCase {
    func testDigSeesConfiguredAndUpdatedRecords() async throws {
        try LabSkip.require("/usr/bin/dig", package: "dnsutils")
        let dns = try await LabDNSServer.start(records: ["name.test": ["192.0.2.10"], "v6.test": ["2001:db8::1"]])
        let first = try await dig(dns, "name.test")
        XCTAssertEqual(first, "192.0.2.10")
        let v6 = try await dig(dns, "v6.test", type: "AAAA")
        XCTAssertEqual(v6, "2001:db8::1")

        try await dns.update(records: ["name.test": ["192.0.2.11", "192.0.2.12"]])
        let updated = try await dig(dns, "name.test")
        XCTAssertEqual(updated.split(separator: "\n").sorted(), ["192.0.2.11", "192.0.2.12"])
        await dns.stop()
    }

    private func dig(_ dns: LabDNSServer, _ name: String, type: String = "A") async throws -> String {
        let answer = try await LabProcess.run("/usr/bin/dig", ["@\(dns.address)", "-p", String(dns.port), name, type,
                                                               "+short", "+time=2", "+tries=1"], timeout: .seconds(10))
        XCTAssertEqual(answer.status, 0, answer.output)
        return answer.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
