import Foundation
import XCTest
import Model
import TestSupport
@testable import Collect

/// Replays the inputs kept under Tests/Fixtures/fuzz/<Target>/ (seeds from real captures, and
/// inputs that once crashed) through the same calls as the Fuzz/<Target>.swift entry: none may
/// crash, and what the parsers make of an input is bounded by it (no parser invents more items than
/// the input has lines or JSON objects), nothing is made of nothing, and garbage after a real
/// capture costs none of what was understood before it.
final class CollectFuzzRegressionTests: XCTestCase {
    /// Fuzz target name -> what its entry does with the input (the same calls as Fuzz/<Target>.swift),
    /// answering how many items the calls made in all.
    static let targets: [String: ([UInt8]) -> Int] = [
        "ProcNet": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            return [SocketProtocol.tcp, .tcp6, .udp, .udp6].reduce(0) { made, proto in
                made + ProcNetParser.parse(text, protocol: proto).items.count
                    + ProcNetParser.parse(text, protocol: proto, bigEndian: true).items.count
            }
        },
        "SS": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            return SSParser.parse(text).items.count + (SSParser.processes(in: text)?.count ?? 0)
        },
        "Netstat": { NetstatParser.parse(String(decoding: $0, as: UTF8.self)).items.count },
        "SystemdUnits": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            let files = SystemdUnitsParser.unitFiles(text).states
            _ = SystemdUnitsParser.enabledState(of: "ssh.service", in: files)
            return SystemdUnitsParser.units(text).items.count + files.count
        },
        "InitScripts": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            return InitScriptsParser.sysv(text).items.count + InitScriptsParser.openrc(text).items.count
        },
        "Dpkg": { DpkgParser.parse(String(decoding: $0, as: UTF8.self)).items.count },
        "Rpm": { RpmParser.parse(String(decoding: $0, as: UTF8.self)).items.count },
        "DnfHistory": { DnfHistoryParser.parse(String(decoding: $0, as: UTF8.self), tool: "dnf").item == nil ? 0 : 1 },
        "Apk": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            return ApkParser.parse(text).items.count + ApkUpgradesParser.parse(text).items.count
        },
        "AptSimulation": { AptSimulationParser.parse(String(decoding: $0, as: UTF8.self)).items.count },
        "RollbackPreflight": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            return RollbackPreflightParser.apt(text).items.count + RollbackPreflightParser.dnf(text).items.count
        },
        "DnfUpdates": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            let security = DnfUpdatesParser.securityNames(text)
            let items = DnfUpdatesParser.checkUpdate(text, security: security).items
            let rows = DnfAdvisoriesParser.list(text).rows, info = DnfAdvisoriesParser.info(text)
            let attached = DnfAdvisoriesParser.attach(items, rows: rows, info: info)
            XCTAssertTrue(attached.allSatisfy { ($0.advisories?.count ?? 0) <= Advisory.maxPerUpdate })
            return items.count + security.count + rows.count + info.count
        },
        "Zypper": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            let items = ZypperParser.listUpdates(text).items, patches = ZypperParser.listPatches(text)
            let info = ZypperParser.patchInfo(text)
            let attached = ZypperParser.attach(items, patches: patches, info: info)
            XCTAssertTrue(attached.allSatisfy { ($0.advisories?.count ?? 0) <= Advisory.maxPerUpdate })
            return items.count + patches.count + info.count
        },
        "OSRelease": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            _ = OSReleaseParser.parse(text)
            return KeyValueLines.parse(text).count
        },
        "RebootRequired": { bytes in
            let parsed = RebootRequiredParser.parse(String(decoding: bytes, as: UTF8.self))
            return parsed.packages.count + parsed.reasons.count
        },
        "Outdated": { OutdatedParser.parse(String(decoding: $0, as: UTF8.self)).services.count },
        "Mounts": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            return MountsParser.merge(MountsParser.mountinfo(text).items, space: MountsParser.df(text)).count
        },
        "Modules": { ModulesParser.parse(String(decoding: $0, as: UTF8.self)).items.count },
        "Transactions": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            let t = TransactionsParser.parse(text).value
            let fixes = TransactionsParser.parseFixes(text).value
            let rpm = TransactionsParser.parseRpmFixes(text, changes: t?.changes ?? [])
            return (t?.changes.count ?? 0) + (t?.runs.count ?? 0) + (t?.files.count ?? 0) + (fixes?.count ?? 0) + (rpm.fixes?.count ?? 0) + rpm.old.count
        },
        "Network": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            var out = ScriptOutput()
            out.steps["network.ip"] = StepOutput(name: "network.ip", stdout: text, status: 0)
            let interfaces = NetworkSection.parse(out, stepTimeout: 20).interfaces + NetworkParser.interfacesText(link: text, addr: text).items
            let routes = NetworkParser.routesAllTablesJSON(text).items + NetworkParser.routesJSON(text, family: "inet").items
                + NetworkParser.routesText(text, family: "inet6").items
            return interfaces.count + NetworkParser.markConnected(routes, interfaces: interfaces).count
        },
        "Firewall": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            let ruleset = FirewallParser.ruleset([("nftables", FirewallParser.nft(text)), ("iptables", FirewallParser.iptablesSections(text))])
            return ruleset.chains.count + FirewallParser.iptablesSave(text, family: "ip", backend: "iptables-nft").chains.count
        },
        "Containers": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            return ContainersParser.parse(engine: "podman", ps: text, inspect: text).items.count
                + ContainersParser.parse(engine: "docker", ps: text, inspect: nil).items.count
        },
        "Logs": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            let journal = LogsParser.journal(text)
            return journal.units.count + journal.dumps.count + LogsParser.cores(text).dumps.count
        },
        "Dig": { bytes in
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            return ["A", "AAAA", "MX"].reduce(0) { $0 + DigParser.parse(lines, type: $1).answers.count }
        },
        "Snapshot": { bytes in
            let checks = CheckSet(dns: [DNSCheck(name: "localhost"), DNSCheck(name: "localhost", type: "AAAA")],
                                  connectivity: [ConnectivityCheck(target: "127.0.0.1", port: 22),
                                                 ConnectivityCheck(target: "127.0.0.1", ping: true)])
            let s = SnapshotParser.parse(stdout: bytes, host: "fuzz", nonce: "fz", checks: checks)
            // The declared checks always get a result (captured or not); the rest comes from the input.
            XCTAssertEqual(s.dns.count + s.connectivity.count, 4, "one result per declared check")
            return s.services.count + s.sockets.count + s.packages.count + s.pendingUpdates.count + s.mounts.count
                + s.modules.count + s.interfaces.count + s.routes.count + s.containers.count + s.logErrors.count
        },
        "Configs": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            let listing = ConfigsParser.listing(text)
            let digests = ConfigsParser.md5sums(text, stderr: text)
            let verified = ConfigsParser.rpmVerify(text)
            return ConfigsParser.merge(listing.entries, digests: digests, verified: verified).count
                + digests.md5.count + verified.count + ConfigsParser.leftovers(text).items.count
        },
        "Accounts": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            let users = AccountsParser.users(text)
            return users.accounts.users.count + users.accounts.authorizedKeys.count + AccountsParser.md5sums(text).count
                + AccountsParser.sshd(text).count
        },
        "Sysctl": { bytes in
            SysctlParser.parse(String(decoding: bytes, as: UTF8.self)).items.count
        },
        "Schedules": { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            return SchedulesParser.timers(text, starts: ["a.timer": "a.service"]).items.count + SchedulesParser.cron(text).items.count
        },
        "Files": { bytes in
            let checks = [FileCheck(path: "/etc/a"), FileCheck(path: "/etc/b"), FileCheck(path: "/etc/c")]
            return FilesParser.parse(String(decoding: bytes, as: UTF8.self), checks: checks).results.count
        },
        "Commands": { bytes in
            let check = CommandCheck(name: "fuzz", run: "true", timeout: 5, expectStdoutContains: "ok")
            _ = CommandsParser.parse(String(decoding: bytes, as: UTF8.self), check: check)
            return 0  // one result per check, whatever the input: nothing to count
        },
    ]

    /// The most items `input` can honestly hold for an entry of `calls` parser calls: one per line
    /// or JSON object (`ip -j`, `podman inspect` put many on one line), per call.
    static func bound(_ input: [UInt8], calls: Int = 8) -> Int {
        calls * (input.filter { $0 == 0x0A || $0 == 0x7B }.count + 1)
    }

    /// Every kept input of every Collect target goes through its parsers, which make no more
    /// items than the input holds.
    func testKeptInputsDoNotCrashAndStayBounded() {
        FuzzCorpus.replay(Self.targets.mapValues { run in
            { input in
                let made = run(input)
                XCTAssertLessThanOrEqual(made, Self.bound(input), "\(made) items from \(input.count) bytes")
            }
        })
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

    /// Each entry also survives the empty input, lone separators and a NUL/invalid-UTF-8 mix, so a
    /// broken entry is caught even before the fuzzer keeps anything; none of them yields an item.
    func testEntriesSurviveDegenerateInputs() {
        let odd: [[UInt8]] = [[], [0x0A], [0x20, 0x0A, 0x3A], [0x00, 0xFF, 0xC3, 0x0A, 0x09, 0x5B, 0x5D],
                              Array("\n@@PP-fz BEGIN x\n".utf8), Array("{\"units\":[".utf8)]
        for (target, run) in Self.targets.sorted(by: { $0.key < $1.key }) {
            for input in odd {
                XCTAssertEqual(run(input), 0, "\(target) made items of \(input)")
            }
        }
    }

    /// A line of garbage after a real capture (a seed kept from a real host) costs nothing that was
    /// understood before it: the parser keeps the valid part.
    func testGarbageAfterARealCaptureKeepsWhatWasUnderstood() throws {
        let garbage = Array("\n\u{0}\u{FFFD} ]]} not a line of this format \t:=\n".utf8)
        var compared = 0
        for target in ["Dpkg", "Rpm", "Apk", "Zypper", "DnfUpdates", "SS", "ProcNet", "Netstat", "SystemdUnits", "Modules", "Mounts", "InitScripts", "Transactions", "Configs"] {
            let run = try XCTUnwrap(Self.targets[target], target)
            for name in FuzzCorpus.files(of: target) where name.hasPrefix("seed-") {
                let url = FuzzCorpus.folder.appendingPathComponent("\(target)/\(name)")
                var seed = try [UInt8](Data(contentsOf: url))
                if seed.last != 0x0A { seed.append(0x0A) }
                let understood = run(seed)
                XCTAssertGreaterThanOrEqual(run(seed + garbage), understood, "\(target)/\(name)")
                compared += understood > 0 ? 1 : 0
            }
        }
        XCTAssertGreaterThan(compared, 5, "the seeds of real captures should parse to something")
    }
}
