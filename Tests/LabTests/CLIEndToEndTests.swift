import Foundation
import Engine
import LabKit
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The built `postpatch` binary against this machine over SSH: exit codes, the JUnit file and
/// both CI schemas, and a failed capture that must leave the previous baseline alone.
final class CLIEndToEndTests: E2ETestCase {
    private var cwd: String!
    private var baselines: String { cwd + "/baselines" }
    /// How the CLI names a host given as user@address:port.
    private var hostName: String { "127.0.0.1:\(sshd.port)" }
    private var hostArg: String { "\(Lab.user)@127.0.0.1:\(sshd.port)" }
    private var baselineFile: String { baselines + "/" + BaselineStore.fileName(for: "127.0.0.1:\(sshd.port)") }

    override func setUp() async throws {
        try await super.setUp()
        cwd = lab.dir + "/cli"
        try FileManager.default.createDirectory(atPath: cwd, withIntermediateDirectories: true)
    }

    private func postpatch(_ command: String, _ more: [String] = []) async throws -> PostPatchCLI.Result {
        let common = ["-i", key.privatePath, "--known-hosts", knownHosts!, "--skip-pending-updates", "--baselines", baselines]
        return try await PostPatchCLI.run([command] + common + more + [hostArg], in: cwd)
    }

    func testVerifyExitCodeAgreesWithTheJUnitFileValidUnderBothSchemas() async throws {
        let listener = try listen(.tcp, port: try lowPort())
        let base = try await postpatch("baseline")
        XCTAssertEqual(base.status, 0, base.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: baselineFile), base.stdout)

        let clean = try await postpatch("verify", ["--junit", cwd + "/clean.xml"])
        XCTAssertEqual(clean.status, 0, clean.stdout + clean.stderr)
        try await assertJUnit(cwd + "/clean.xml", failures: 0, errors: 0)

        listener.close()
        let broken = try await postpatch("verify", ["--junit", cwd + "/broken.xml", "--json", cwd + "/broken.json"])
        XCTAssertEqual(broken.status, 1, broken.stdout + broken.stderr)
        try await assertJUnit(cwd + "/broken.xml", failures: 1, errors: 0)
        let xml = try String(contentsOfFile: cwd + "/broken.xml", encoding: .utf8)
        XCTAssertTrue(xml.contains("type=\"socket-closed\""), xml)
        XCTAssertTrue(xml.contains("tcp 127.0.0.1:\(listener.port)"), xml)
        let json = try String(contentsOfFile: cwd + "/broken.json", encoding: .utf8)
        XCTAssertTrue(json.contains("\"socket-closed\""), json)
        XCTAssertTrue(broken.stdout.contains("tcp 127.0.0.1:\(listener.port)"), broken.stdout)
    }

    func testVerifyOfAHostWithoutBaselineExits3() async throws {
        let r = try await postpatch("verify", ["--junit", cwd + "/nobase.xml"])
        XCTAssertEqual(r.status, 3, r.stdout + r.stderr)
        XCTAssertTrue((r.stdout + r.stderr).contains("no baseline for \(hostName)"), r.stdout + r.stderr)
        try await assertJUnit(cwd + "/nobase.xml", failures: 0, errors: 1)
    }

    func testFailedCaptureKeepsThePreviousBaselineByteForByte() async throws {
        let first = try await postpatch("baseline")
        XCTAssertEqual(first.status, 0, first.stderr)
        let before = try Data(contentsOf: URL(fileURLWithPath: baselineFile))

        try stopLabSSHD()
        let second = try await postpatch("baseline", ["--connect-timeout", "3"])
        XCTAssertEqual(second.status, 3, second.stdout + second.stderr)
        XCTAssertTrue(second.stderr.contains("previous baseline kept"), second.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: baselineFile)), before, "the baseline file changed")
        // No temp file left behind; the folder's lock file aside, only the baseline.
        let left = try FileManager.default.contentsOfDirectory(atPath: baselines).filter { $0 != ".postpatch.lock" }
        XCTAssertEqual(left, [BaselineStore.fileName(for: "127.0.0.1:\(sshd.port)")])

        // verify of the unreachable host: not checked (exit 3), an <error> in the JUnit.
        let verify = try await postpatch("verify", ["--connect-timeout", "3", "--junit", cwd + "/down.xml"])
        XCTAssertEqual(verify.status, 3, verify.stdout + verify.stderr)
        try await assertJUnit(cwd + "/down.xml", failures: 0, errors: 1)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: baselineFile)), before, "verify touched the baseline")
    }

    /// pplab has no sudo rights on this machine: `--sudo` is a per-host error, exit 3, one line.
    func testSudoWithoutRightsIsAOneLineHostErrorExit3() async throws {
        try LabSkip.require("/usr/bin/sudo", package: "sudo")
        let r = try await postpatch("baseline", ["--sudo"])
        XCTAssertEqual(r.status, 3, r.stdout + r.stderr)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("sudo wants a password for \(Lab.user)"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: baselineFile))
    }

    // MARK: helpers

    /// Sums `failures`/`errors` over the suites and validates the file against both XSDs.
    private func assertJUnit(_ path: String, failures: Int, errors: Int, file: StaticString = #filePath, line: UInt = #line) async throws {
        let xml = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(sum("failures", in: xml), failures, xml, file: file, line: line)
        XCTAssertEqual(sum("errors", in: xml), errors, xml, file: file, line: line)
        for schema in ["junit-jenkins-10.xsd", "junit-windyroad.xsd"] {
            let problem = try await PostPatchCLI.validate(path, schema: PostPatchCLI.schemas.appendingPathComponent(schema).path)
            XCTAssertNil(problem, "\(path) under \(schema)", file: file, line: line)
        }
    }

    /// The attribute's values on every <testsuite>, added up.
    private func sum(_ attribute: String, in xml: String) -> Int {
        var total = 0
        for suite in xml.components(separatedBy: "<testsuite ").dropFirst() {
            let head = suite.prefix { $0 != ">" }
            guard let r = head.range(of: " \(attribute)=\"") else { continue }
            total += Int(head[r.upperBound...].prefix { $0.isNumber }) ?? 0
        }
        return total
    }

    /// Stops the lab sshd (its pid file is in the lab folder) and waits until the port is closed.
    private func stopLabSSHD() throws {
        let pidFile = "\(lab.dir)/sshd-\(sshd.port)/sshd.pid"
        let text = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let pid = pid_t(text) else { throw LabError("no pid in \(pidFile)") }
        kill(pid, SIGTERM)
        try waitUntilBlocking("the lab sshd to stop listening on \(sshd.port)", timeout: .seconds(5)) {
            !LabProcess.isListening(port: sshd.port)
        }
    }
}
