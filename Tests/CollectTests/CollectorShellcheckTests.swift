import Foundation
import XCTest
import Model
@testable import Collect
import TestSupport

/// The collector script is source code: what `postpatch script` prints passes `shellcheck -s sh`
/// with no findings, for every section, every declared check kind and hostile values in the
/// checks (quotes, `$()`, backquotes, newlines, `;`, spaces, globs), under each option that
/// changes the text.
final class CollectorShellcheckTests: XCTestCase {
    /// Values a checks file could hold that a shell would read specially if they escaped their quotes.
    static let hostile = ["it's", "$(touch /tmp/pp-pwned)", "`touch /tmp/pp-pwned`", "a;reboot", "two words",
                          "x\ntouch /tmp/pp-pwned", "*.example.[ch]?", "\"quoted\" \\ back", "${HOME}", "-oProxyCommand=id"]

    /// Every check kind the script runs on the host (databases and tunnelled HTTP checks add no
    /// script text), each with hostile names, hosts, URLs, headers and commands.
    static var hostileChecks: CheckSet {
        let dns = hostile.map { DNSCheck(name: $0) } + hostile.map { DNSCheck(name: "localhost", type: "A", server: $0) }
            + [DNSCheck(name: "localhost", type: "MX", server: "127.0.0.1#5353")]
        let connectivity = hostile.map { ConnectivityCheck(target: $0, port: 443, timeout: 1) }
            + hostile.map { ConnectivityCheck(target: $0, ping: true, timeout: 1.5) }
        let http = hostile.enumerated().map { i, value in
            HTTPCheck(name: value, url: "https://example.com/\(value)?q=\(value)", contains: value,
                      headers: ["X-Test": value, "X-Empty": ""], tlsVerify: i % 2 == 0, via: .host, timeout: 2.5,
                      basicAuthEnv: i % 3 == 0 ? "PP_TEST_AUTH" : nil, bearerEnv: i % 3 == 1 ? "PP_TEST_TOKEN" : nil)
        } + [HTTPCheck(name: "plain", url: "http://127.0.0.1:8080/health", via: .host)]
        let commands = hostile.map { CommandCheck(name: $0, run: $0, timeout: 3) }
            + [CommandCheck(name: "pipeline", run: "systemctl is-active nginx | grep -q active && echo \"ok $HOME\"")]
        let files = hostile.map { FileCheck(path: "/etc/" + $0) }
        return CheckSet(dns: dns, connectivity: connectivity, http: http, commands: commands, files: files)
    }

    /// Option sets that change the script's text: updates off, updates refreshed first, other timeouts.
    static let optionVariants = [
        ScriptOptions(),
        ScriptOptions(pendingUpdates: false),
        ScriptOptions(refresh: true, stepTimeout: 7, updatesTimeout: 300),
        { var o = ScriptOptions(); o.transactionsSince = Date(timeIntervalSince1970: 1_800_000_000); return o }(),
    ]

    func testScriptPassesShellcheck() throws {
        let shellcheck = try LabSkip.tool("shellcheck", package: "shellcheck")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pp-shellcheck-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let configs: [(label: String, checks: CheckSet)] = [("no checks", CheckSet()), ("hostile checks", Self.hostileChecks)]
        for (label, checks) in configs {
            for (n, options) in Self.optionVariants.enumerated() {
                let script = CollectorScript.render(checks: checks, options: options, nonce: "0123456789abcdef")
                let file = dir.appendingPathComponent("collector-\(n).sh")
                try Data(script.utf8).write(to: file)
                let run = try ShellRunner.run([shellcheck, "-s", "sh", "-f", "gcc", file.path], stdin: "")
                let findings = String(decoding: run.stdout, as: UTF8.self)
                XCTAssertEqual(findings, "", "\(label), \(options): shellcheck found")
                XCTAssertEqual(run.status, 0, "\(label), \(options): shellcheck exited \(run.status): \(run.stderr)")
            }
        }
    }

    /// The credential prelude the run puts before the script is shell too.
    func testCredentialPreludePassesShellcheck() throws {
        let shellcheck = try LabSkip.tool("shellcheck", package: "shellcheck")
        let prelude = HTTPChecksSection.credentials(Self.hostileChecks.http,
                                                    environment: ["PP_TEST_AUTH": "user:it's $(secret)", "PP_TEST_TOKEN": "tok`en`"])
        let script = prelude + CollectorScript.render(checks: Self.hostileChecks, options: ScriptOptions(), nonce: "n")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pp-shellcheck-\(UUID().uuidString).sh")
        try Data(script.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try ShellRunner.run([shellcheck, "-s", "sh", "-f", "gcc", file.path], stdin: "")
        XCTAssertEqual(String(decoding: run.stdout, as: UTF8.self), "", "shellcheck found")
        XCTAssertEqual(run.status, 0, run.stderr)
    }
}
