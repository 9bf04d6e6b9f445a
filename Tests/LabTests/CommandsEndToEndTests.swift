import Foundation
import LabKit
import Model
import XCTest

/// Declared command checks end to end: the built binary, a checks file with `commands:`, this
/// machine reached through the lab sshd as the lab user. The "patch" is done to files the
/// commands read: a flag removed, a version file changed, a script turned hostile.
final class CommandsEndToEndTests: E2ETestCase {
    private struct JSONRun: Decodable {
        struct Host: Decodable { var host: String; var status: String; var items: [Item] }
        struct Item: Decodable { var findings: [Finding] }
        var hosts: [Host]
    }

    private var cwd: String!
    /// Files the commands read; the lab user can read them (the lab folder is 0755).
    private var data: String!

    override func setUp() async throws {
        try await super.setUp()
        cwd = lab.dir + "/commands"
        data = lab.dir + "/commands-data"
        for dir in [cwd!, data!] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755])
        }
    }

    private func writeConfig(_ commands: String, http: String = "") throws {
        let config = """
            defaults: { user: \(Lab.user), identity: \(key.privatePath), known_hosts: \(knownHosts!) }
            hosts:
              lab: { address: 127.0.0.1, port: \(sshd.port) }
            checks:
            \(http)
              commands:
            \(commands)
            """
        try config.write(toFile: cwd + "/checks.yaml", atomically: true, encoding: .utf8)
    }

    private func postpatch(_ args: [String]) async throws -> PostPatchCLI.Result {
        try await PostPatchCLI.run(args + ["--config", cwd + "/checks.yaml", "--skip-pending-updates", "--baselines", cwd + "/b"], in: cwd)
    }

    private func write(_ name: String, _ text: String, mode: Int = 0o644) throws {
        try text.write(toFile: data + "/" + name, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: data + "/" + name)
    }

    private func findings(_ json: String) throws -> [Finding] {
        let run = try JSONDecoder().decode(JSONRun.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
        return run.hosts.flatMap { $0.items.flatMap(\.findings) }.filter { !E2ENoise.isForeign($0) }
    }

    /// The case: `app-smoke` passes in the baseline; the patch removes its flag; verify
    /// exits 1 with one regression, command-failed naming app-smoke. A `compare: output` command
    /// whose output changed is a warning beside it.
    func testFailedSmokeTestFailsVerifyWithARegressionNamingIt() async throws {
        try write("ready", "")
        try write("version", "app 1.0\n")
        try writeConfig("""
                - { name: app-smoke, run: "test -f \(data!)/ready", timeout: 10 }
                - { name: app-version, run: "cat \(data!)/version", compare: output }
            """)
        let base = try await postpatch(["baseline"])
        XCTAssertEqual(base.status, 0, base.stdout + base.stderr)
        let snapshot = try SnapshotCoding.decode(try Data(contentsOf: URL(fileURLWithPath: cwd + "/b/lab.json")))
        XCTAssertEqual(snapshot.commands.map { "\($0.name) \($0.exit.map(String.init) ?? "-") \($0.failed)" },
                       ["app-smoke 0 []", "app-version 0 []"])
        XCTAssertEqual(snapshot.commands.last?.excerpt, "app 1.0\n")

        try FileManager.default.removeItem(atPath: data + "/ready")
        try write("version", "app 1.1\n")
        let run = try await postpatch(["verify", "--json", cwd + "/r.json"])
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        let found = try findings(cwd + "/r.json")
        XCTAssertEqual(found.filter { $0.severity == .regression }.map { "\($0.kind.rawValue) \($0.subject)" },
                       ["command-failed app-smoke"], "nothing else regressed: \(found.map(\.message))")
        XCTAssertEqual(found.first { $0.kind == .commandFailed }?.message, "command 'app-smoke' exited 1 (expected 0)")
        XCTAssertEqual(found.filter { $0.category == .section(.commands) && $0.severity == .warning }.map(\.message),
                       ["command 'app-version' output changed (8 → 8 bytes): app 1.1"])
        XCTAssertTrue(run.stdout.contains("command 'app-smoke' exited 1 (expected 0)"), run.stdout)
    }

    /// A declared expectation failing in the baseline run is a regression on its own: exit 1,
    /// the command (and a failing HTTP check) named, and the baseline written all the same.
    func testBaselineWithAFailingCommandExits1AndKeepsTheBaseline() async throws {
        let server = try LabHTTPServer { _ in .text(502, "bad gateway\n") }
        cleanup { server.stop() }
        try writeConfig("""
                - { name: app-smoke, run: "test -f \(data!)/ready" }
                - { name: disk, run: "true" }
            """, http: """
              http:
                - { name: health, url: "\(server.base)/health", status: 200, timeout: 5 }
            """)
        let base = try await postpatch(["baseline"])
        XCTAssertEqual(base.status, 1, base.stdout + base.stderr)
        XCTAssertTrue(base.stdout.contains("regression  commands  app-smoke  command 'app-smoke' exited 1 (expected 0)"), base.stdout)
        XCTAssertTrue(base.stdout.contains("regression  http  health (\(server.base)/health)  http check health (\(server.base)/health) failed: "),
                      base.stdout)
        XCTAssertTrue(base.stdout.contains("2 declared expectations failed"), base.stdout)
        XCTAssertFalse(base.stdout.contains("'disk'"), base.stdout)
        let snapshot = try SnapshotCoding.decode(try Data(contentsOf: URL(fileURLWithPath: cwd + "/b/lab.json")))
        XCTAssertEqual(snapshot.commands.first { $0.name == "app-smoke" }?.failed, ["exited 1 (expected 0)"])
    }

    /// A command that turns hostile (ESC sequences, NUL, invalid UTF-8, a bidi override, 10 MB):
    /// every report stays small and carries no raw control character.
    func testHostileOutputLeavesEveryReportBoundedAndClean() async throws {
        try write("app.sh", "echo fine\n", mode: 0o755)
        try writeConfig("""
                - { name: hostile, run: "\(data!)/app.sh", compare: output, timeout: 60 }
            """)
        let base = try await postpatch(["baseline"])
        XCTAssertEqual(base.status, 0, base.stdout + base.stderr)

        try write("app.sh", """
            printf '\\033[2J\\033]0;owned\\007\\000\\r\\377\\376\\342\\200\\256evil\\n'
            head -c 10485760 /dev/zero | tr '\\000' '\\033'
            exit 3

            """, mode: 0o755)
        let reports = ["--json", "r.json", "--junit", "r.xml", "--markdown", "r.md", "--html", "r.html"].map { $0.hasPrefix("r.") ? cwd + "/" + $0 : $0 }
        let started = Date()
        let run = try await postpatch(["verify", "-v"] + reports)
        XCTAssertLessThan(Date().timeIntervalSince(started), 60)
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        let failed = try XCTUnwrap(try findings(cwd + "/r.json").first { $0.kind == .commandFailed })
        XCTAssertEqual(failed.subject, "hostile")
        XCTAssertTrue(failed.message.hasPrefix("command 'hostile' exited 3 (expected 0): \\u{1B}[2J\\u{1B}]0;owned\\u{07}\\0\\r"), failed.message)
        var texts = ["stdout": run.stdout, "stderr": run.stderr]
        for file in ["r.json", "r.xml", "r.md", "r.html"] {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: cwd + "/" + file))
            XCTAssertLessThan(bytes.count, 512 * 1024, "\(file) is \(bytes.count) bytes")
            texts[file] = String(decoding: bytes, as: UTF8.self)
        }
        for (place, text) in texts {
            let raw = text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r") || (0x7f...0x9f).contains($0.value) }
            XCTAssertEqual(raw.count, 0, "\(place) holds raw control characters: \(raw.prefix(5).map { String($0.value, radix: 16) })")
            XCTAssertFalse(text.unicodeScalars.contains("\u{202E}"), "\(place) holds a raw bidi override")
        }
        XCTAssertLessThan(run.stdout.utf8.count, 64 * 1024)
    }
}
