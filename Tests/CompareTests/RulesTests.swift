import XCTest
import Model
@testable import Compare

final class RulesTests: DiffTestCase {
    // MARK: policy overrides

    func testSeverityOverride() {
        let rules = CompareRules(severityOverrides: [.packageUpgraded: .warning, .serviceFailed: .info])
        let v = diff(rules: rules) {
            $0.packages = replacing($0.packages, where: { $0.name == "curl" }, with: { $0.version = "7.88.1-10+deb12u5" })
            self.setService("nginx.service", &$0) { $0.active = "failed"; $0.sub = "failed" }
        }
        XCTAssertEqual(v.summary, ["service-failed info nginx.service", "package-upgraded warning curl"])
    }

    func testOverrideOfAnotherKindChangesNothing() {
        let rules = CompareRules(severityOverrides: [.packageDowngraded: .regression])
        let v = diff(rules: rules) {
            $0.packages = replacing($0.packages, where: { $0.name == "curl" }, with: { $0.version = "7.88.1-10+deb12u5" })
        }
        XCTAssertEqual(v.summary, ["package-upgraded info curl"])
    }

    // MARK: ignore globs

    func testIgnoredServicesAreNotChecked() {
        let rules = CompareRules(ignore: IgnoreRules([.services: ["apt-daily*", "php*-fpm.service"]]))
        let v = diff(rules: rules) {
            self.setService("apt-daily-upgrade.service", &$0) { $0.active = "failed"; $0.sub = "failed" }
            $0.services.removeAll { $0.name == "php8.2-fpm.service" }
        }
        XCTAssertEqual(v.findings, [])
        XCTAssertFalse(v.items.contains { $0.subject.hasPrefix("apt-daily") || $0.subject.hasPrefix("php") })
    }

    func testIgnoreSocketByEndpointGlob() {
        let rules = CompareRules(ignore: IgnoreRules([.sockets: ["udp *:68", "tcp 0.0.0.0:63?"]]))
        let v = diff(rules: rules) {
            $0.sockets.removeAll { $0.port == 68 }
            $0.sockets.append(TestSnapshots.sock(.tcp, "0.0.0.0", 631, "cupsd", 2210))
        }
        XCTAssertEqual(v.findings, [])
    }

    func testIgnoreSocketByBarePort() {
        let rules = CompareRules(ignore: IgnoreRules([.sockets: ["631"]]))
        let v = diff(rules: rules) {
            $0.sockets.append(TestSnapshots.sock(.tcp, "0.0.0.0", 631, "cupsd", 2210))
            $0.sockets.append(TestSnapshots.sock(.tcp6, "::", 631, "cupsd", 2210))
        }
        XCTAssertEqual(v.findings, [])
    }

    func testIgnoreSocketWithLiteralBrackets() {
        // "[::]" would be a character class to fnmatch; the literal reading matches too.
        let rules = CompareRules(ignore: IgnoreRules([.sockets: ["tcp6 [::]:22", "tcp6 [::1]:*"]]))
        let v = diff(rules: rules) { $0.sockets.removeAll { $0.protocol == .tcp6 } }
        XCTAssertEqual(v.findings, [])
        let w = diff(rules: rules) { $0.sockets.removeAll { $0.port == 22 } }
        XCTAssertEqual(w.summary, ["socket-closed regression tcp 0.0.0.0:22"], "only the IPv6 socket is ignored")
    }

    func testIgnorePackages() {
        let rules = CompareRules(ignore: IgnoreRules([.packages: ["linux-image-*", "open*"]]))
        let v = diff(rules: rules) {
            $0.packages.append(TestSnapshots.pkg("linux-image-6.1.0-18-amd64", "6.1.76-1"))
            $0.packages.removeAll { $0.name == "openssh-server" }
            $0.pendingUpdates.removeAll { $0.name == "openssl" }
        }
        XCTAssertEqual(v.findings, [], "\(v.summary)")
        XCTAssertTrue(v.items.contains { $0.subject == "installed packages (15)" })
    }

    func testIgnoreDoesNotSpillAcrossCategories() {
        let rules = CompareRules(ignore: IgnoreRules([.services: ["nginx*"], .packages: ["nginx"]]))
        let v = diff(rules: rules) { $0.sockets.removeAll { $0.port == 443 } }
        XCTAssertEqual(v.summary, ["socket-closed regression tcp 0.0.0.0:443"])
    }

    func testGlobMatching() {
        XCTAssertTrue(Glob.matches("apt-daily*.service", "apt-daily-upgrade.service"))
        XCTAssertTrue(Glob.matches("getty@tty[1-6].service", "getty@tty1.service"))
        XCTAssertFalse(Glob.matches("getty@tty[1-6].service", "getty@tty7.service"))
        XCTAssertTrue(Glob.matches("udp6 [[]::]:5353", "udp6 [::]:5353"))
        XCTAssertTrue(Glob.matches("udp6 [::]:53*", "udp6 [::]:5353"))
        XCTAssertFalse(Glob.matches("ssh", "sshd"))
        XCTAssertTrue(Glob.matches("", ""))
    }
}
