import XCTest
import Model
@testable import Collect

final class SocketsParserTests: XCTestCase {
    func testProcNetTCPListeningRowsOnly() throws {
        // The fixture holds two tables one after the other; 4 rows are in LISTEN (0A).
        let (items, notes) = ProcNetParser.parse(try Fixtures.real("linux-proc_net_tcp"), protocol: .tcp)
        XCTAssertEqual(notes, [])
        XCTAssertEqual(items.map { "\($0.socket.endpoint) ino=\($0.inode ?? "")" },
                       ["tcp 127.0.0.53:53 ino=34000", "tcp 127.0.0.1:35303 ino=140054",
                        "tcp 127.0.0.1:631 ino=34523", "tcp 0.0.0.0:22 ino=23459"])
    }

    func testProcNetTCP6AndWordOrder() throws {
        let (items, _) = ProcNetParser.parse(try Fixtures.real("linux-proc_net_tcp6"), protocol: .tcp6)
        XCTAssertEqual(items.map(\.socket.endpoint), ["tcp6 [::]:22"])
        // A connected row of the same file: four words, each little-endian on x86.
        XCTAssertEqual(ProcNetParser.decode("4606012600F1019E000000004C3A0000", v6: true, bigEndian: false),
                       "2601:646:9e01:f100::3a4c")
        XCTAssertEqual(ProcNetParser.decode("0000000000000000FFFF00000100007F", v6: true, bigEndian: false),
                       "::ffff:127.0.0.1")
        XCTAssertEqual(ProcNetParser.decode("00000000000000000000000001000000", v6: true, bigEndian: false), "::1")
        // The same address as a big-endian CPU (s390x) prints it.
        XCTAssertEqual(ProcNetParser.decode("7F000035", v6: false, bigEndian: true), "127.0.0.53")
        XCTAssertEqual(ProcNetParser.decode("3500007F", v6: false, bigEndian: false), "127.0.0.53")
    }

    func testProcNetFromThisMachine() throws {
        var rows: [String] = []
        for (file, proto) in SocketsSection.tables {
            rows += ProcNetParser.parse(try Fixtures.local("debian-12_proc_net_\(file)"), protocol: proto).items.map(\.socket.endpoint)
        }
        XCTAssertEqual(rows, ["tcp 127.0.0.1:45678", "tcp 0.0.0.0:2024", "tcp6 [::1]:45680", "udp 127.0.0.1:45679"])
    }

    func testSSWithServiceNamesFromCentOS() throws {
        let (items, notes) = SSParser.parse(try Fixtures.real("centos-7.7_ss-sudo-a.out"))
        XCTAssertEqual(notes, [])
        XCTAssertEqual(items.map(\.socket.endpoint).sorted(),
                       ["tcp 0.0.0.0:22", "tcp 127.0.0.1:25", "tcp6 [::1]:25", "tcp6 [::]:22",
                        "udp 0.0.0.0:68", "udp 127.0.0.1:323", "udp6 [::1]:323"])
        XCTAssertTrue(items.allSatisfy { $0.socket.process == nil })
    }

    func testSSUbuntuTulpen() throws {
        let (items, _) = SSParser.parse(try Fixtures.real("ubuntu-18.04_ss-sudo-tulpen.out"))
        XCTAssertEqual(items.filter { $0.socket.protocol == .tcp }.count, 58)
        XCTAssertEqual(items.filter { $0.socket.protocol == .udp }.count, 15)
        let resolver = try XCTUnwrap(items.first { $0.socket.protocol == .udp && $0.socket.port == 53 && $0.socket.address == "127.0.0.53" })
        XCTAssertEqual(resolver.socket.process, "systemd-resolve")
        XCTAssertEqual(resolver.socket.pid, 1117)
        XCTAssertEqual(resolver.inode, "29400")
        let apache = try XCTUnwrap(items.first { $0.socket.port == 80 })
        XCTAssertEqual(apache.socket.process, "/usr/sbin/apach")
        XCTAssertEqual(apache.socket.pid, 2079)
        XCTAssertEqual(items.first { $0.socket.port == 4789 }?.socket.process, nil) // kernel vxlan: no holder
        XCTAssertEqual(items.filter { $0.socket.port == 68 }.map(\.socket.pid), [4852, 4738])
    }

    func testSSWideDualStackAndSeveralHolders() throws {
        let (items, _) = SSParser.parse(try Fixtures.real("generic_ss-wide.out"))
        var counts: [SocketProtocol: Int] = [:]
        for row in items { counts[row.socket.protocol, default: 0] += 1 }
        XCTAssertEqual(counts, [.udp: 120, .udp6: 6, .tcp: 21, .tcp6: 8])
        // "*:6556 ... v6only:0": a dual-stack IPv6 socket.
        XCTAssertEqual(items.first { $0.socket.port == 6556 }?.socket.endpoint, "tcp6 [::]:6556")
        XCTAssertEqual(items.first { $0.socket.port == 587 }.map { "\($0.socket.process ?? "") \($0.socket.pid ?? 0)" }, "master 1978854")
        XCTAssertEqual(items.first { $0.socket.endpoint == "tcp 0.0.0.0:111" }?.socket.process, "rpcbind")
        XCTAssertEqual(items.first { $0.socket.endpoint == "tcp 0.0.0.0:8443" }?.socket.process, "liveconfig")
        XCTAssertNotNil(items.first { $0.socket.endpoint == "udp6 [fe80::9cc5:aeff:fec5:34ae]:123" })
    }

    func testNetstatCentOSAndThisMachine() throws {
        let centos = NetstatParser.parse(try Fixtures.real("centos-7.7_netstat-sudo-lnp.out")).items
        XCTAssertEqual(centos.map { "\($0.socket.endpoint) \($0.socket.process ?? "-") \($0.socket.pid ?? 0)" },
                       ["tcp 127.0.0.1:25 master 1469", "tcp 0.0.0.0:22 sshd 1206", "tcp6 [::1]:25 master 1469",
                        "tcp6 [::]:22 sshd 1206", "udp 0.0.0.0:68 dhclient 1939", "udp 127.0.0.1:323 chronyd 795",
                        "udp6 [::1]:323 chronyd 795"])
        let local = NetstatParser.parse(try Fixtures.local("debian-12_netstat-lnpe.out")).items
        XCTAssertEqual(local.map { "\($0.socket.endpoint) \($0.socket.process ?? "-") ino=\($0.inode ?? "")" },
                       ["tcp 127.0.0.1:45678 nc ino=31955", "tcp 0.0.0.0:2024 - ino=1046",
                        "tcp6 [::1]:45680 nc ino=31442", "udp 127.0.0.1:45679 nc ino=31954"])
    }

    func testNamesJoinOnInodeAndDuplicatesFold() throws {
        var procRows: [SocketRow] = []
        for (file, proto) in SocketsSection.tables {
            procRows += ProcNetParser.parse(try Fixtures.local("debian-12_proc_net_\(file)"), protocol: proto).items
        }
        let named = SSParser.parse(try Fixtures.local("debian-12_ss-tulpne.out")).items
        let merged = SocketsSection.dedupe(SocketsSection.attachNames(to: procRows, from: named).map(\.socket))
        XCTAssertEqual(merged.map { "\($0.endpoint) \($0.process ?? "-")" },
                       ["tcp6 [::1]:45680 nc", "tcp 0.0.0.0:2024 -", "tcp 127.0.0.1:45678 nc", "udp 127.0.0.1:45679 nc"])
        // Two dhclients on 0.0.0.0:68 (Ubuntu capture) become one entry with the lower pid.
        let ubuntu = SSParser.parse(try Fixtures.real("ubuntu-18.04_ss-sudo-tulpen.out")).items.map(\.socket)
        XCTAssertEqual(SocketsSection.dedupe(ubuntu).filter { $0.port == 68 }.map(\.pid), [4738])
        XCTAssertEqual(SocketsSection.portRange("32768\t60999\n"), PortRange(low: 32768, high: 60999))
    }

    /// One real capture (a lab netns with dual-stack `*`, v6only, `%lo`/`%br0` scoped, link-local
    /// and IPv4-mapped listeners, and a connected UDP socket) read the old way (/proc/net's tables
    /// with ss's names) and the new way (ss alone): the same sockets, so baselines taken either
    /// way compare equal.
    func testSSAloneListsWhatProcNetWithNamesListed() throws {
        func step(_ name: String, _ stdout: String, _ status: Int = 0) -> StepOutput { StepOutput(name: name, stdout: stdout, status: status) }
        let ss = try Fixtures.local("lab-netns-sockets_ss-tulpne.out")
        var tables = ""
        for (file, _) in SocketsSection.tables {
            tables += "== /proc/net/\(file)\n" + (try Fixtures.local("lab-netns-sockets_proc_net_\(file)"))
        }
        let range = "== \(SocketsSection.portRangeFile)\n32768\t60999\n"
        var old = ScriptOutput()
        old.steps["sockets.proc"] = step("sockets.proc", tables + range)
        old.steps["sockets.ss"] = step("sockets.ss", ss)
        var new = ScriptOutput()
        new.steps["sockets.ss"] = step("sockets.ss", ss)
        new.steps["sockets.proc"] = step("sockets.proc", range)
        let before = SocketsSection.parse(old, arch: "x86_64", uid: 0)
        let after = SocketsSection.parse(new, arch: "x86_64", uid: 0)
        XCTAssertEqual(after.sockets, before.sockets)
        XCTAssertEqual(after.notes, [])
        XCTAssertEqual(after.range, PortRange(low: 32768, high: 60999))
        XCTAssertEqual(before.sockets.count, 14)
        XCTAssertEqual(Set(after.sockets.map(\.endpoint)).count, 14)
        XCTAssertTrue(after.sockets.contains { $0.endpoint == "udp 127.0.0.53:53" && $0.process == "python3" })
        XCTAssertTrue(after.sockets.contains { $0.endpoint == "tcp6 [::]:80" }, "ss's `*` with v6only:0 is the dual-stack [::]")
        XCTAssertFalse(after.sockets.contains { $0.port == 4000 }, "a connected UDP socket does not listen")
        // ss failed: the script read the tables, which are the list (no names).
        var failed = ScriptOutput()
        failed.steps["sockets.ss"] = step("sockets.ss", "", 1)
        failed.steps["sockets.proc"] = step("sockets.proc", tables + range)
        let fallback = SocketsSection.parse(failed, arch: "x86_64", uid: 0)
        XCTAssertEqual(fallback.sockets.map(\.endpoint), before.sockets.map(\.endpoint))
        XCTAssertEqual(fallback.notes, ["sockets: ss exited 1"])
    }
}
