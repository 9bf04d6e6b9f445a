import Foundation
import LabKit
import SSH
import XCTest

final class DebugTests: LabTestCase {
    func testSizes() async throws {
        let key = try lab.makeKey("ed25519")
        let server = try lab.startSSHD(authorizedKeys: [key])
        let opts = try options(key: key, servers: [server])
        for n in [1_000_000, 3_000_000, 5_000_000, 9_000_000] {
            let r = try await run(server, opts, "head -c \(n) /dev/zero")
            print("size", n, r.stdout.count)
        }
    }
    func testDropbearSimple() async throws {
        let key = try lab.makeKey("ed25519")
        print("starting dropbear")
        let server = try lab.startDropbear(authorizedKeys: [key])
        print("started", server)
        let r = try await run(server, options(key: key, servers: [server]), "id -un")
        print("got", r)
    }
}
