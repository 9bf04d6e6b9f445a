import Foundation
import LabKit
import TestSupport
import SSH
import XCTest

final class ExecTests: LabTestCase {
    func testOpenSSHEd25519RunsCommandKeepingStreamsApart() async throws {
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key])
        let r = try await run(server, options(key: key, servers: [server]), "echo out; echo err >&2; exit 3")
        XCTAssertEqual(String(decoding: r.stdout, as: UTF8.self), "out\n")
        XCTAssertEqual(String(decoding: r.stderr, as: UTF8.self), "err\n")
        XCTAssertEqual(r.exitStatus, 3)
        XCTAssertNil(r.exitSignal)
    }

    func testDropbearWithECDSAKey() async throws {
        let key = try lab.makeKey("ecdsa")
        let server = try lab.startDropbear(authorizedKeys: [key])
        let r = try await run(server, options(key: key, servers: [server]), "id -un")
        XCTAssertEqual(String(decoding: r.stdout, as: UTF8.self), "\(Lab.user)\n")
        XCTAssertEqual(r.exitStatus, 0)
    }

    func testExitBySignalIsReported() async throws {
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key])
        let r = try await run(server, options(key: key, servers: [server]), "kill -TERM $$")
        XCTAssertEqual(r.exitSignal, "TERM")
        XCTAssertNil(r.exitStatus)
        XCTAssertFalse(r.succeeded)
    }

    func testTwentyMegabytesArriveIntact() async throws {
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key])
        let cmd = "f=$(mktemp); head -c 20971520 /dev/urandom > $f; sha256sum < $f | cut -d' ' -f1 >&2; cat $f; rm -f $f"
        let r = try await run(server, options(key: key, servers: [server]), cmd)
        XCTAssertEqual(r.stdout.count, 20_971_520)
        let local = lab.dir + "/received"
        try Data(r.stdout).write(to: URL(fileURLWithPath: local))
        let sum = try LabProcess.sh("sha256sum < \(local) | cut -d' ' -f1").stdout
        XCTAssertEqual(sum, String(decoding: r.stderr, as: UTF8.self))
    }

    func testOutputCapEndsTheCommand() async throws {
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key])
        let opts = try options(key: key, servers: [server])
        await expectError({ _ = try await self.run(server, opts, "head -c 10000000 /dev/zero", cap: 1 << 20) }) {
            if case .outputCap(_, 1 << 20) = $0 { return true } else { return false }
        }
    }

    func testCommandTimeoutEndsTheCommand() async throws {
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key])
        let opts = try options(key: key, servers: [server])
        let start = ContinuousClock.now
        await expectError({ _ = try await self.run(server, opts, "sleep 30", timeout: .seconds(1)) }) {
            if case .commandTimeout = $0 { return $0.description.contains("1 s") } else { return false }
        }
        XCTAssertLessThan(start.duration(to: .now), .seconds(10))
    }

    func testSessionRunsSeveralCommandsInTurn() async throws {
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key])
        let session = try await SSHSession.connect(to: endpoint(server), options: options(key: key, servers: [server]))
        for i in 0..<5 {
            let r = try await session.exec("echo \(i)")
            XCTAssertEqual(String(decoding: r.stdout, as: UTF8.self), "\(i)\n")
        }
        // Concurrent channels on one session, driven by the same poller thread.
        let results = try await withThrowingTaskGroup(of: String.self) { g in
            for i in 0..<4 { g.addTask { String(decoding: try await session.exec("sleep 0.2; echo c\(i)").stdout, as: UTF8.self) } }
            return try await g.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(Set(results), Set((0..<4).map { "c\($0)\n" }))
        await session.close()
    }
}
