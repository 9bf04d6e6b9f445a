import Foundation
import XCTest
import Model
import LabKit
import TestSupport
@testable import Collect

/// Replays the inputs kept under Tests/Fixtures/fuzz/<Target>/ (seeds from real captures, and
/// inputs that once crashed) through the same calls as the Fuzz/<Target>.swift entry: none may crash.
final class CollectFuzzRegressionTests: XCTestCase {
    /// Fuzz target name -> what its entry does with the input (the same calls as Fuzz/<Target>.swift).
    static let targets: [String: ([UInt8]) -> Void] = [
        "ProcNet": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            for proto in [SocketProtocol.tcp, .tcp6, .udp, .udp6] {
                _ = ProcNetParser.parse(text, protocol: proto)
                _ = ProcNetParser.parse(text, protocol: proto, bigEndian: true)
            }
        },
        "SS": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            _ = SSParser.parse(text)
            _ = SSParser.processes(in: text)
        },
        "Netstat": { _ = NetstatParser.parse(String(decoding: $0, as: UTF8.self)) },
        "SystemdUnits": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            _ = SystemdUnitsParser.units(text)
            _ = SystemdUnitsParser.enabledState(of: "ssh.service", in: SystemdUnitsParser.unitFiles(text).states)
        },
        "InitScripts": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            _ = InitScriptsParser.sysv(text)
            _ = InitScriptsParser.openrc(text)
        },
        "Dpkg": { _ = DpkgParser.parse(String(decoding: $0, as: UTF8.self)) },
        "Rpm": { _ = RpmParser.parse(String(decoding: $0, as: UTF8.self)) },
        "Apk": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            _ = ApkParser.parse(text)
            _ = ApkUpgradesParser.parse(text)
        },
        "AptSimulation": { _ = AptSimulationParser.parse(String(decoding: $0, as: UTF8.self)) },
        "DnfUpdates": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            _ = DnfUpdatesParser.checkUpdate(text, security: DnfUpdatesParser.securityNames(text))
        },
        "OSRelease": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            _ = OSReleaseParser.parse(text)
            _ = KeyValueLines.parse(text)
        },
        "RebootRequired": { _ = RebootRequiredParser.parse(String(decoding: $0, as: UTF8.self)) },
        "Outdated": { _ = OutdatedParser.parse(String(decoding: $0, as: UTF8.self)) },
        "Mounts": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            _ = MountsParser.merge(MountsParser.mountinfo(text).items, space: MountsParser.df(text))
        },
        "Modules": { _ = ModulesParser.parse(String(decoding: $0, as: UTF8.self)) },
        "Network": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            var out = ScriptOutput()
            out.steps["network.ip"] = StepOutput(name: "network.ip", stdout: text, status: 0)
            let interfaces = NetworkSection.parse(out, stepTimeout: 20).interfaces + NetworkParser.interfacesText(link: text, addr: text).items
            let routes = NetworkParser.routesAllTablesJSON(text).items + NetworkParser.routesJSON(text, family: "inet").items
                + NetworkParser.routesText(text, family: "inet6").items
            _ = NetworkParser.markConnected(routes, interfaces: interfaces)
        },
        "Firewall": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            _ = FirewallParser.ruleset([("nftables", FirewallParser.nft(text)), ("iptables", FirewallParser.iptablesSections(text))])
            _ = FirewallParser.iptablesSave(text, family: "ip", backend: "iptables-nft")
        },
        "Containers": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            _ = ContainersParser.parse(engine: "podman", ps: text, inspect: text)
            _ = ContainersParser.parse(engine: "docker", ps: text, inspect: nil)
        },
        "Logs": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            _ = LogsParser.journal(text)
            _ = LogsParser.cores(text)
        },
        "Dig": { bytes in
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            for type in ["A", "AAAA", "MX"] { _ = DigParser.parse(lines, type: type) }
        },
        "Snapshot": { bytes in
            let checks = CheckSet(dns: [DNSCheck(name: "localhost"), DNSCheck(name: "localhost", type: "AAAA")],
                                  connectivity: [ConnectivityCheck(target: "127.0.0.1", port: 22),
                                                 ConnectivityCheck(target: "127.0.0.1", ping: true)])
            _ = SnapshotParser.parse(stdout: bytes, host: "fuzz", nonce: "fz", checks: checks)
        },
        "Commands": { bytes in
            let check = CommandCheck(name: "fuzz", run: "true", timeout: 5, expectStdoutContains: "ok")
            _ = CommandsParser.parse(String(decoding: bytes, as: UTF8.self), check: check)
        },
    ]

    /// Every kept input of every Collect target goes through its parsers.
    func testKeptInputsDoNotCrash() {
        FuzzCorpus.replay(Self.targets)
    }

    /// Every Fuzz/<Target>.swift has kept inputs, and every folder of kept inputs has its entry.
    func testEveryFuzzTargetHasKeptInputs() {
        let targets = FuzzCorpus.targets
        XCTAssertGreaterThan(targets.count, 20)
        for target in targets {
            XCTAssertFalse(FuzzCorpus.files(of: target).isEmpty, "Tests/Fixtures/fuzz/\(target)/ is empty: run `scripts/fuzz --keep-seeds \(target)`")
        }
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: FuzzCorpus.folder.path)) ?? []
        XCTAssertEqual(Set(folders), Set(targets), "a folder under Tests/Fixtures/fuzz without its Fuzz/<Target>.swift, or the reverse")
    }

    /// Each entry also survives the empty input, lone separators and a NUL/invalid-UTF-8 mix,
    /// so a broken entry is caught even before the fuzzer keeps anything.
    func testEntriesSurviveDegenerateInputs() {
        let odd: [[UInt8]] = [[], [0x0A], [0x20, 0x0A, 0x3A], [0x00, 0xFF, 0xC3, 0x0A, 0x09, 0x5B, 0x5D],
                              Array("\n@@PP-fz BEGIN x\n".utf8), Array("{\"units\":[".utf8)]
        for (_, run) in Self.targets {
            for input in odd { run(input) }
        }
    }
}
