import XCTest
import Model
@testable import Compare

final class SocketDiffTests: DiffTestCase {
    func testListeningSocketGoneIsRegression() {
        let v = diff { $0.sockets.removeAll { $0.port == 80 } }
        XCTAssertEqual(v.summary, ["socket-closed regression tcp 0.0.0.0:80"])
        XCTAssertEqual(v.findings.first?.message, "tcp 0.0.0.0:80 (nginx) no longer listening")
    }

    func testUDPSocketGoneSaysBound() {
        let v = diff { $0.sockets.removeAll { $0.port == 323 } }
        XCTAssertEqual(v.findings.first?.message, "udp 127.0.0.1:323 (chronyd) no longer bound")
    }

    func testNewListeningSocketIsWarning() {
        let v = diff { $0.sockets.append(TestSnapshots.sock(.tcp, "0.0.0.0", 631, "cupsd", 2210)) }
        XCTAssertEqual(v.summary, ["socket-opened warning tcp 0.0.0.0:631"])
        XCTAssertEqual(v.findings.first?.message, "tcp 0.0.0.0:631 (cupsd) newly listening")
    }

    func testRestartedProcessIsNoChange() {
        // The whole of recaptured() moves every pid; make it explicit for sshd too.
        let v = diff { $0.sockets = replacing($0.sockets, where: { $0.process == "sshd" }, with: { $0.pid = 31337 }) }
        XCTAssertEqual(v.findings, [])
    }

    func testUnknownProcessIsNoChange() {
        // Captured without root: ss shows no process for other users' sockets.
        let v = diff { $0.sockets = $0.sockets.map { var s = $0; s.process = nil; s.pid = nil; return s } }
        XCTAssertEqual(v.findings, [])
    }

    func testDifferentProcessOnSameEndpointIsInfo() {
        let v = diff { $0.sockets = replacing($0.sockets, where: { $0.port == 5432 }, with: { $0.process = "postgres: 15/main" }) }
        XCTAssertEqual(v.summary, ["socket-process-changed info tcp 127.0.0.1:5432", "socket-process-changed info tcp6 [::1]:5432"])
    }

    func testEphemeralPortsNeverProduceFindings() {
        let v = diff {
            $0.sockets.removeAll { $0.port == 41873 }
            $0.sockets.append(TestSnapshots.sock(.udp, "0.0.0.0", 53122, "systemd-resolve", 398))
            $0.sockets.append(TestSnapshots.sock(.tcp, "127.0.0.1", 40783, "containerd", 2002))
        }
        XCTAssertEqual(v.findings, [])
    }

    func testEphemeralRangeOfEitherSnapshotApplies() {
        // The baseline knew no range (older collector); the current snapshot's range still applies.
        let v = diff(baseline: { $0.ephemeralPortRange = nil }) {
            $0.sockets.removeAll { $0.port == 41873 }
            $0.sockets.append(TestSnapshots.sock(.udp, "0.0.0.0", 35059, "avahi-daemon", 1510))
        }
        XCTAssertEqual(v.findings, [])
        let u = diff {
            $0.ephemeralPortRange = nil
            $0.sockets.removeAll { $0.port == 41873 }
            $0.sockets.append(TestSnapshots.sock(.udp, "0.0.0.0", 35059, "avahi-daemon", 1510))
        }
        XCTAssertEqual(u.findings, [], "the baseline's range applies as well")
        let w = diff(baseline: { $0.ephemeralPortRange = nil }) {
            $0.ephemeralPortRange = nil
            $0.sockets.removeAll { $0.port == 41873 }
            $0.sockets.append(TestSnapshots.sock(.udp, "0.0.0.0", 35059, "avahi-daemon", 1510))
        }
        // With no range at all, the old resolver port and avahi's random one are ordinary sockets.
        XCTAssertEqual(w.summary, ["socket-opened warning udp 0.0.0.0:35059", "socket-closed regression udp 0.0.0.0:41873"])
    }

    func testIPv4WildcardReplacedByIPv6WildcardIsInfo() {
        let v = diff { $0.sockets = replacing($0.sockets, where: { $0.port == 443 }, with: { $0.protocol = .tcp6; $0.address = "::" }) }
        XCTAssertEqual(v.summary, ["socket-family-changed info tcp 0.0.0.0:443"])
        XCTAssertEqual(v.findings.first?.message, "tcp 0.0.0.0:443 (nginx) is now served by tcp6 [::]:443 (nginx)")
        XCTAssertFalse(v.items.contains { $0.subject == "tcp6 [::]:443" }, "the replacement is part of the same item")
    }

    func testUDPWildcardFamilyChangeIsInfo() {
        let v = diff { $0.sockets = replacing($0.sockets, where: { $0.port == 68 }, with: { $0.protocol = .udp6; $0.address = "::" }) }
        XCTAssertEqual(v.summary, ["socket-family-changed info udp 0.0.0.0:68"])
    }

    func testIPv4GoneWhileIPv6WildcardStaysIsInfo() {
        // sshd listened on both; now on [::] only, which (bindv6only=0) also accepts IPv4.
        let v = diff { $0.sockets.removeAll { $0.port == 22 && $0.protocol == .tcp } }
        XCTAssertEqual(v.summary, ["socket-family-changed info tcp 0.0.0.0:22"])
    }

    func testIPv6WildcardGoneIsRegression() {
        // The reverse loses IPv6 clients.
        let v = diff { $0.sockets.removeAll { $0.port == 22 && $0.protocol == .tcp6 } }
        XCTAssertEqual(v.summary, ["socket-closed regression tcp6 [::]:22"])
        XCTAssertEqual(v.findings.first?.message, "tcp6 [::]:22 (sshd) no longer listening (now only tcp 0.0.0.0:22 (sshd), IPv4)")
    }

    func testSpecificAddressChangeIsClosedAndOpened() {
        let v = diff { $0.sockets = replacing($0.sockets, where: { $0.port == 6379 }, with: { $0.address = "0.0.0.0" }) }
        XCTAssertEqual(v.summary, ["socket-opened warning tcp 0.0.0.0:6379", "socket-closed regression tcp 127.0.0.1:6379"])
    }

    func testOneOfSeveralSocketsOnAnEndpointGoneIsNoChange() {
        // nginx with two workers on :80, now one: the endpoint still listens.
        let v = diff { s in
            if let i = s.sockets.firstIndex(where: { $0.port == 80 }) { s.sockets.remove(at: i) }
        }
        XCTAssertEqual(v.findings, [])
    }
}
