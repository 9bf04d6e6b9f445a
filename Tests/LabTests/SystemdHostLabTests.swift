import Foundation
import XCTest
@testable import LabKit
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Real systemd 252 hosts (systemd-nspawn containers in their own network namespaces), reached
/// with the OpenSSH client. Locally these skip when the machine cannot run them; under CI=true
/// anything missing fails.
final class SystemdHostLabTests: XCTestCase {
    private var lab: Lab!
    private var hosts: [SystemdHost] = []

    override func setUp() async throws {
        lab = try Lab()
    }

    override func tearDown() async throws {
        for host in hosts { await host.stop() }
        hosts = []
        lab?.stop()
    }

    private func boot(_ name: String, keys: [KeyPair]) async throws -> SystemdHost {
        let started = ContinuousClock.now
        let host = try await SystemdHost.boot(lab: lab, name: name, authorizedKeys: keys)
        print("SystemdHostLabTests: \(name) answered SSH \(ContinuousClock.now - started) after boot() began")
        hosts.append(host)
        return host
    }

    func testBootedHostRunsSystemd252AndAnswersWithTheTestsKey() async throws {
        let key = try lab.makeKey("ed25519")
        let host = try await boot("web1", keys: [key])
        XCTAssertTrue(host.address.hasPrefix("198.1"), host.address)
        XCTAssertEqual(host.hostKeyLine.split(separator: " ").first, "ssh-ed25519")

        // The OpenSSH client with the test's own key and a known_hosts holding only the pinned key.
        let (status, output) = try await host.ssh(
            "systemctl is-system-running --wait; systemctl --version | head -n1; hostname; id -un",
            identity: key, timeout: .seconds(60))
        XCTAssertEqual(status, 0, output)
        let lines = output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "running", output)
        XCTAssertTrue(lines.contains { $0.hasPrefix("systemd 252 ") }, output)
        XCTAssertTrue(lines.contains("web1"), output)
        XCTAssertEqual(lines.last, Lab.user, output)

        let units = try await host.ssh("systemctl list-units --type=service --no-legend --plain", identity: key)
        XCTAssertTrue(units.output.contains("ssh.service"), units.output)
        let id = try await host.bootID()
        XCTAssertNotEqual(id, try String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines), "the container must have a boot id of its own")
    }

    func testSudoUserHasPasswordlessSudo() async throws {
        let key = try lab.makeKey("ed25519")
        let host = try await boot("sudo1", keys: [key])
        let (status, output) = try await host.ssh("sudo -n id -u", user: SystemdHost.sudoUser, identity: key)
        XCTAssertEqual(status, 0, output)
        XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), "0")
        let plain = try await host.ssh("sudo -n true", identity: key)
        XCTAssertNotEqual(plain.status, 0, "pplab must not have sudo")
    }

    func testRebootComesBackWithANewBootID() async throws {
        let key = try lab.makeKey("ed25519")
        let host = try await boot("reboot1", keys: [key])
        let before = try await host.bootID()
        let started = ContinuousClock.now
        let after = try await host.reboot()
        print("SystemdHostLabTests: reboot took \(ContinuousClock.now - started) until SSH answered with a new boot id")
        XCTAssertNotEqual(before, after)
        XCTAssertEqual(host.boots, 2)
        let (status, output) = try await host.ssh("systemctl is-system-running --wait", identity: key, timeout: .seconds(60))
        XCTAssertEqual(status, 0, output)
    }

    func testTwoHostsFromOneRootfsHaveTheirOwnAddressesAndBootIDs() async throws {
        let key = try lab.makeKey("ed25519")
        async let first = SystemdHost.boot(lab: lab, name: "app1", authorizedKeys: [key])
        async let second = SystemdHost.boot(lab: lab, name: "app2", authorizedKeys: [key])
        let pair = try await [first, second]
        hosts += pair
        XCTAssertNotEqual(pair[0].address, pair[1].address)
        XCTAssertNotEqual(pair[0].hostKeyLine, pair[1].hostKeyLine)
        let ids = try await [pair[0].bootID(), pair[1].bootID()]
        XCTAssertNotEqual(ids[0], ids[1])
        // Volatile overlays: what one host writes the other does not see.
        _ = try await pair[0].ssh("echo mine > /tmp/marker", identity: key)
        let other = try await pair[1].ssh("cat /tmp/marker", identity: key)
        XCTAssertNotEqual(other.status, 0, other.output)
    }

    func testStopLeavesNoNamespaceVethOrProcess() async throws {
        let key = try lab.makeKey("ed25519")
        let host = try await boot("gone1", keys: [key])
        let namespace = host.namespace
        let pid = try XCTUnwrap(host.nspawnPID)
        var info = stat()
        XCTAssertEqual(stat(namespace.path, &info), 0)
        let inode = info.st_ino
        XCTAssertFalse(processesIn(netInode: inode).isEmpty, "the container should live in the namespace")

        let started = ContinuousClock.now
        await host.stop()
        print("SystemdHostLabTests: stop took \(ContinuousClock.now - started)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: namespace.path))
        XCTAssertNotEqual(try LabProcess.runBlocking(NetNamespace.ip, ["link", "show", namespace.hostInterface]).status, 0)
        XCTAssertNotEqual(kill(pid, 0), 0, "systemd-nspawn \(pid) still exists")
        XCTAssertEqual(processesIn(netInode: inode), [])
        XCTAssertNil(host.nspawnPID)
    }

    func testCutMakesTheHostUnreachableUntilRestored() async throws {
        let key = try lab.makeKey("ed25519")
        let host = try await boot("cut1", keys: [key])
        try await host.namespace.cut()
        let cut = try await LabProcess.run(SystemdHostRootfs.ssh, host.sshOptions(connectTimeout: 1) + ["\(Lab.user)@\(host.address)", "true"])
        XCTAssertNotEqual(cut.status, 0, cut.output)
        try await host.namespace.restore()
        try await host.waitForSSH(timeout: .seconds(20))
        let inside = try await host.namespace.run(["ip", "-o", "-4", "addr", "show", "eth0"])
        XCTAssertTrue(inside.output.contains(host.address), inside.output)
    }

    func testSubnetChoiceAvoidsRangesInUse() {
        let addresses = """
        2: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\\       valid_lft forever preferred_lft forever
        7: vpp-1a2b3c    inet 198.18.0.1/30 scope global vpp-1a2b3c\\       valid_lft forever preferred_lft forever
        """
        let routes = """
        default via 192.0.2.1 dev eth0
        198.18.128.0/17 dev other scope link
        local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1
        """
        let taken = NetNamespace.takenRanges(addressOutput: addresses, routeOutput: routes)
        XCTAssertEqual(taken.count, 4)
        for _ in 0..<200 {
            let base = try? XCTUnwrap(NetNamespace.freeSubnet(taken: taken))
            guard let base else { return XCTFail("no subnet") }
            XCTAssertTrue(NetNamespace.benchmarkRange.contains(base))
            XCTAssertFalse(taken.contains { $0.overlaps(base...(base + 3)) }, NetNamespace.dotted(base))
        }
        XCTAssertNil(NetNamespace.freeSubnet(taken: [NetNamespace.benchmarkRange]))
        XCTAssertNil(NetNamespace.range(ofCIDR: "198.18.0.300/30"))
    }

    /// Pids whose network namespace has inode `netInode`.
    private func processesIn(netInode: ino_t) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { entry in
            guard entry.allSatisfy(\.isNumber) else { return false }
            let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/ns/net")) ?? ""
            return link == "net:[\(netInode)]"
        }
    }
}
