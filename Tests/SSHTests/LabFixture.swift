import Foundation
import LabKit
import TestSupport
import SSH
import XCTest

/// Shared set-up for SSH tests: a lab with one user key and helpers to build options.
class LabTestCase: XCTestCase {
    var lab: Lab!

    override func setUpWithError() throws {
        try LabSkip.require("/usr/sbin/sshd", package: "openssh-server")
        try LabSkip.require("/usr/sbin/dropbear", package: "dropbear-bin")
        try LabSkip.require("/usr/bin/ssh-agent", package: "openssh-client")
        lab = try Lab()
    }

    override func tearDown() {
        lab?.stop()
        lab = nil
    }

    func options(key: KeyPair?, servers: [SSHServerInfo], acceptNew: Bool = false, knownHosts: String? = nil,
                 agent: String? = nil, password: String? = nil, timeout: Duration = .seconds(10)) throws -> ConnectOptions {
        let kh = try knownHosts ?? lab.knownHosts(for: servers)
        let identities = try key.map { [try Identity.load(path: $0.privatePath)] } ?? []
        return ConnectOptions(connectTimeout: timeout,
                              knownHosts: try KnownHostsStore(path: kh, acceptNew: acceptNew),
                              credentials: Credentials(user: Lab.user, agentSocket: agent, identities: identities,
                                                       password: password.map(Secret.init)))
    }

    func endpoint(_ s: SSHServerInfo) -> Endpoint { Endpoint(host: s.host, port: s.port) }

    func run(_ s: SSHServerInfo, _ opts: ConnectOptions, _ cmd: String,
             timeout: Duration = .seconds(60), cap: Int = 64 << 20) async throws -> ExecResult {
        let session = try await SSHSession.connect(to: endpoint(s), options: opts)
        defer { Task { await session.close() } }
        return try await session.exec(cmd, timeout: timeout, outputCap: cap)
    }

    func expectError(_ body: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line,
                     _ check: (SSHError) -> Bool) async {
        do {
            try await body()
            XCTFail("expected an error", file: file, line: line)
        } catch let e as SSHError {
            XCTAssertTrue(check(e), "unexpected error: \(e)", file: file, line: line)
        } catch {
            XCTFail("unexpected error type: \(error)", file: file, line: line)
        }
    }
}
