import Foundation
import LabKit
import TestSupport
import XCTest

/// Issue 7's promise on secrets, checked over every artifact of full CLI runs: an SSH login
/// password (--password-env), a key passphrase (--passphrase-env) and two database passwords
/// (password_env) are used for real, and none of them appears in any process's argv while the
/// runs go, in stdout or stderr, or in any file the runs wrote: baselines, their history,
/// reports of every format, the rollout's run folder and its logs.
final class SecretsEverywhereTests: E2ETestCase {
    /// Reads every process's argv a few times a second while a run goes; keeps any that holds a secret.
    final class ArgvWatch: @unchecked Sendable {
        private let secrets: [String]
        private let lock = NSLock()
        private var seen: [String] = []
        private var samples = 0
        private var stopped = false
        private var thread: Thread?

        init(_ secrets: [String]) { self.secrets = secrets }

        func start() {
            let t = Thread { [self] in
                while !lock.withLock({ stopped }) {
                    sample()
                    usleep(50_000)  // the sampling interval, not a wait for anything
                }
            }
            thread = t
            t.start()
        }

        private func sample() {
            let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            var found: [String] = []
            for pid in pids where pid.allSatisfy(\.isNumber) {
                guard let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !raw.isEmpty else { continue }
                let argv = String(decoding: raw.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
                for s in secrets where argv.contains(s) { found.append("pid \(pid): \(argv.prefix(200))") }
            }
            lock.withLock {
                seen += found
                samples += 1
            }
        }

        func stop() -> (leaks: [String], samples: Int) {
            lock.withLock { stopped = true }
            try? waitUntilBlocking("the argv sampler to stop", timeout: .seconds(10), poll: .milliseconds(10)) {
                thread?.isFinished != false
            }
            return lock.withLock { (seen, samples) }
        }
    }

    /// Asserts that no secret was in a sampled argv, in a command's output, or in a file under
    /// `dir` (but `skipping`, relative paths); returns how many files were searched.
    static func assertNoSecret(_ secrets: [String], argv: (leaks: [String], samples: Int), outputs: [String: String],
                               filesUnder dir: String, skipping: Set<String> = [],
                               file: StaticString = #filePath, line: UInt = #line) -> Int {
        XCTAssertGreaterThan(argv.samples, 10, "argv was sampled while the runs went", file: file, line: line)
        XCTAssertEqual(argv.leaks, [], "a secret in a process's argv", file: file, line: line)
        for (name, text) in outputs {
            for s in secrets { XCTAssertFalse(text.contains(s), "a secret in the output of \(name)", file: file, line: line) }
        }
        var files = 0
        let walker = FileManager.default.enumerator(atPath: dir)
        while let rel = walker?.nextObject() as? String {
            let path = dir + "/" + rel
            var isDir: ObjCBool = false
            guard !skipping.contains(rel), FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
                  let data = FileManager.default.contents(atPath: path) else { continue }
            files += 1
            for s in secrets { XCTAssertNil(data.range(of: Data(s.utf8)), "a secret in \(rel)", file: file, line: line) }
        }
        return files
    }

    func testNoSecretInArgvOutputOrAnyFileOfFullRuns() async throws {
        let sshPassword = "pp-login-" + LabProcess.randomPassword(length: 20)
        let passphrase = "pp-phrase-" + LabProcess.randomPassword(length: 20)
        try Lab.setUserPassword(sshPassword)
        defer { _ = try? LabProcess.runBlocking("/usr/sbin/usermod", ["-p", "*", Lab.user]) }
        let locked = try lab.makeKey("ed25519", name: "locked", passphrase: passphrase)
        let byPassword = try lab.startSSHD(authorizedKeys: [], password: true)
        let byKey = try lab.startSSHD(authorizedKeys: [locked])
        let kh = try lab.knownHosts(for: [byPassword, byKey])
        let redis = try await RedisLab.start(requirePassword: true)
        cleanup { await redis.stop() }
        let postgres = try await PostgresLab.start(auth: .scram)
        cleanup { await postgres.stop() }
        let secrets = [sshPassword, passphrase, try XCTUnwrap(redis.password), try XCTUnwrap(postgres.password)]

        let cwd = lab.dir + "/secrets"
        try FileManager.default.createDirectory(atPath: cwd, withIntermediateDirectories: true)
        try """
            defaults: { user: \(Lab.user), known_hosts: \(kh) }
            hosts:
              by-password: { address: 127.0.0.1, port: \(byPassword.port), groups: [canary] }
              by-key: { address: 127.0.0.1, port: \(byKey.port), identity: \(locked.privatePath), groups: [main] }
            checks:
              databases:
                - { name: cache, kind: redis, port: \(redis.port), password_env: PP_REDIS_PW, timeout: 3 }
                - { name: pg, kind: postgres, port: \(postgres.port), user: postgres, database: postgres, password_env: PP_PG_PW, timeout: 3 }
            rollout: { waves: [canary, main] }

            """.write(toFile: cwd + "/checks.yaml", atomically: true, encoding: .utf8)
        let env = ["PP_SSH_PW": sshPassword, "PP_PHRASE": passphrase,
                   "PP_REDIS_PW": secrets[2], "PP_PG_PW": secrets[3]]
        let common = ["--config", cwd + "/checks.yaml", "--password-env", "PP_SSH_PW", "--passphrase-env", "PP_PHRASE"]
        let captureOptions = ["--skip-pending-updates", "--baselines", cwd + "/baselines"]

        let watch = ArgvWatch(secrets)
        watch.start()
        var outputs: [String: String] = [:]
        func run(_ name: String, _ args: [String], expect: Int32, capturing: Bool = true) async throws {
            let r = try await PostPatchCLI.run([args[0]] + common + (capturing ? captureOptions : []) + args.dropFirst(), in: cwd, environment: env)
            XCTAssertEqual(r.status, expect, "\(name): " + r.stdout + r.stderr)
            outputs[name] = r.stdout + r.stderr
        }
        try await run("baseline", ["baseline", "--keep", "2"], expect: 0)
        try await run("baseline again", ["baseline", "--keep", "2"], expect: 0)
        try await run("verify", ["verify", "-v", "--junit", "r.xml", "--json", "r.json", "--markdown", "r.md", "--html", "r.html"], expect: 0)
        try await run("drift", ["drift", "--prometheus", "drift.prom"], expect: 0)
        try await run("rollout", ["rollout", "--patch-command", "echo patched", "--runs", cwd + "/runs"], expect: 0)
        try await run("exec", ["exec", "by-password", "by-key", "--", "echo hello"], expect: 0, capturing: false)
        let (leaks, samples) = watch.stop()

        // The secrets were really used: both logins worked and both databases answered.
        let baseline = try String(contentsOfFile: cwd + "/baselines/by-key.json", encoding: .utf8)
        XCTAssertEqual(baseline.components(separatedBy: "\"up\" : true").count - 1, 2, "both database probes logged in")
        XCTAssertTrue(outputs["exec"]?.contains("2 ok") == true, outputs["exec"] ?? "")

        let files = Self.assertNoSecret(secrets, argv: (leaks, samples), outputs: outputs, filesUnder: cwd, skipping: ["checks.yaml"])
        XCTAssertGreaterThanOrEqual(files, 12, "baselines, history, reports and the run folder were searched")
    }
}
