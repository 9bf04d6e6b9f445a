import Engine
import Foundation
import LabKit
import Model
import XCTest

/// The page behind the port, on the realistic Debian 12 server's real nginx: the shop's page
/// ("Acme Shop") baselined twice (so its body is known stable), then the site reset so nginx
/// serves its default page: http-page-changed names both titles. The same status (200) both
/// times: the status alone said nothing.
final class HTTPPageLabTests: E2ETestCase {
    func testASiteReplacedByTheDefaultPageIsNamed() async throws {
        let host = try await bootSettledHost("page-web", flavour: .realistic)
        try await host.runAsRoot("printf '<!DOCTYPE html>\\n<html><head><title>Acme\\n  Shop &amp; Co</title></head><body>buy</body></html>\\n' "
            + ">/var/www/html/index.html")
        let t = systemdTarget(host, user: SystemdHost.sudoUser, sudo: true)
        let store = BaselineStore(directory: lab.dir + "/page-baselines")
        try store.prepare()
        let connector = try connector([t], knownHosts: host.knownHostsPath)
        for _ in 0..<2 {
            let outcomes = await BaselineJob.run(targets: [t], connector: connector, store: store, settings: Self.fast, parallel: 1)
            XCTAssertNil(outcomes.first?.error)
        }
        let base = try store.read(host: t.name)
        let page = try XCTUnwrap(base.endpoints.first { $0.port == 80 && $0.http != nil }?.http, "\(base.endpoints)")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.title, "Acme Shop & Co")
        XCTAssertEqual(page.contentType, "text/html")
        XCTAssertEqual(page.server, "nginx")
        XCTAssertEqual(page.bodyStable, true, "the same body in both baselines")
        XCTAssertTrue(page.body?.hasPrefix("sha256:") == true)

        // The reset: nginx's own default page is what is left.
        try await host.runAsRoot("rm /var/www/html/index.html")
        let run = await VerifyJob.run(targets: [t], connector: connector, store: store, settings: VerifyJob.Settings(capture: Self.fast), parallel: 1)
        let v = verdict(run, t.name)
        let changed = v?.findings.filter { $0.kind == .httpPageChanged } ?? []
        XCTAssertEqual(changed.map(\.severity), [.warning, .warning], "tcp and tcp6 on port 80: \(v?.findings ?? [])")
        XCTAssertTrue(changed.allSatisfy { $0.message.hasSuffix(" now answers 'Welcome to nginx!', was 'Acme Shop & Co'") }, "\(changed.map(\.message))")
        XCTAssertFalse(v?.findings.contains { $0.kind == .httpStatusChanged || $0.kind == .httpBodyChanged } ?? true, "one finding per port")
    }
}
