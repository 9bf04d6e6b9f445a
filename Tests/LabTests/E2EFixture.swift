import Collect
import Engine
import Foundation
import LabKit
import TestSupport
import Model
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Shared set-up of the end-to-end tests: THIS machine as a host, reached through a lab sshd on
/// 127.0.0.1 as the lab user `pplab` (and as `local`, through /bin/sh as root), driven through
/// the Engine API with a baselines folder in the lab's temp dir.
///
/// Everything a test starts is registered with `cleanup(_:)` and undone in `tearDown`, in reverse
/// order, also when the test failed half-way.
class E2ETestCase: XCTestCase {
    var lab: Lab!
    var key: KeyPair!
    var sshd: SSHServerInfo!
    var knownHosts: String!
    /// A baselines folder of its own per test.
    var store: BaselineStore!
    private var cleanups: [() async -> Void] = []
    /// Servers start concurrently (`async let`), each registering its cleanup from its own task.
    private let cleanupLock = NSLock()

    /// apt's simulated dist-upgrade costs ~2 s a capture: off unless a test asks for it.
    static let fast = Capture.Settings(script: ScriptOptions(pendingUpdates: false))

    override func setUp() async throws {
        try LabSkip.require("/usr/sbin/sshd", package: "openssh-server")
        try LabSkip.require("/usr/bin/ssh-keygen", package: "openssh-client")
        let made = try await LabProcess.onThread("e2e lab") { () -> (Lab, KeyPair, SSHServerInfo, String) in
            let lab = try Lab()
            let key = try lab.makeKey("ed25519")
            let sshd = try lab.startSSHD(authorizedKeys: [key])
            return (lab, key, sshd, try lab.knownHosts(for: [sshd]))
        }
        (lab, key, sshd, knownHosts) = made
        store = BaselineStore(directory: lab.dir + "/baselines")
        try store.prepare()
    }

    override func tearDown() async throws {
        let undos = cleanupLock.withLock { () -> [() async -> Void] in
            defer { cleanups = [] }
            return cleanups
        }
        for undo in undos.reversed() { await undo() }
        let lab = self.lab
        _ = try? await LabProcess.onThread("e2e lab stop") { lab?.stop() }
        self.lab = nil
    }

    /// Registers an undo step for tearDown (run last-registered first).
    func cleanup(_ undo: @escaping () async -> Void) { cleanupLock.withLock { cleanups.append(undo) } }

    // MARK: hosts

    /// This machine over SSH as `pplab`, with the test's key and the lab's known_hosts.
    func sshTarget(_ name: String = "lab-ssh", checks: CheckSet = CheckSet(), sudo: Bool = false) -> HostTarget {
        HostTarget(name: name, address: sshd.host, port: sshd.port, user: Lab.user, identities: [key.privatePath],
                   sudo: sudo, checks: checks, connectTimeout: .seconds(10), commandTimeout: .seconds(90))
    }

    /// This machine through /bin/sh, as the test process's user (root).
    func localTarget(checks: CheckSet = CheckSet()) -> HostTarget {
        HostTarget(name: "local", address: "local", user: "root", checks: checks, commandTimeout: .seconds(90))
    }

    func connector(_ targets: [HostTarget], knownHosts: String? = nil) throws -> Connector {
        try Connector(settings: Connector.Settings(knownHosts: knownHosts ?? self.knownHosts), targets: targets)
    }

    // MARK: engine steps

    /// One snapshot, or a failure naming the host and why.
    func capture(_ target: HostTarget, settings: Capture.Settings = fast, knownHosts: String? = nil,
                 file: StaticString = #filePath, line: UInt = #line) async throws -> Snapshot {
        switch await Capture.snapshot(target, connector: try connector([target], knownHosts: knownHosts), settings: settings) {
        case let .success(s): return s
        case let .failure(e):
            XCTFail("capture of \(target.name) failed: \(e.description)", file: file, line: line)
            throw e
        }
    }

    /// `postpatch baseline` through the Engine; every host must be written.
    func baseline(_ targets: [HostTarget], settings: Capture.Settings = fast, knownHosts: String? = nil,
                  file: StaticString = #filePath, line: UInt = #line) async throws -> [Snapshot] {
        let outcomes = await BaselineJob.run(targets: targets, connector: try connector(targets, knownHosts: knownHosts),
                                             store: store, settings: settings, parallel: 4)
        for o in outcomes where o.written == nil {
            XCTFail("baseline of \(o.target.name) not written: \(o.error ?? "?")", file: file, line: line)
        }
        XCTAssertEqual(BaselineJob.exitStatus(outcomes), .ok, file: file, line: line)
        return try outcomes.map { o in
            guard o.written != nil else { throw LabError("no baseline snapshot for \(o.target.name)") }
            return try store.read(host: o.target.name)
        }
    }

    /// `postpatch verify` through the Engine (by default no settling: one capture per host).
    func verify(_ targets: [HostTarget], settings: Capture.Settings = fast, knownHosts: String? = nil,
                settle: Duration = .zero, settleInterval: Duration = .milliseconds(500)) async throws -> VerifyRun {
        await VerifyJob.run(targets: targets, connector: try connector(targets, knownHosts: knownHosts), store: store,
                            settings: VerifyJob.Settings(capture: settings, settle: settle, settleInterval: settleInterval),
                            parallel: 4)
    }

    // MARK: findings

    /// One expected finding: kind, severity and subject, nothing looser.
    struct Expected: Hashable, Comparable, CustomStringConvertible {
        var kind: FindingKind
        var severity: Severity
        var subject: String
        init(_ kind: FindingKind, _ severity: Severity, _ subject: String) {
            self.kind = kind
            self.severity = severity
            self.subject = subject
        }
        init(_ f: Finding) {
            kind = f.kind
            severity = f.severity
            subject = f.subject
        }
        var description: String { "\(kind.rawValue) \(severity.rawValue) \(subject)" }
        static func < (a: Self, b: Self) -> Bool { a.description < b.description }
    }

    /// The host's findings must be exactly `expected` (as a multiset), apart from foreign noise
    /// (see `E2ENoise`), which is printed, never silently dropped.
    func assertFindings(_ verdict: HostVerdict?, _ expected: [Expected], _ context: String = "",
                        file: StaticString = #filePath, line: UInt = #line) {
        guard let verdict else { return XCTFail("no verdict \(context)", file: file, line: line) }
        XCTAssertNil(verdict.error, "\(verdict.host) was not checked \(context)", file: file, line: line)
        let (kept, foreign) = E2ENoise.split(verdict.findings)
        if !foreign.isEmpty {
            print("E2E: \(verdict.host) \(context): tolerated foreign noise: \(foreign.map(Expected.init))")
        }
        let got = kept.map(Expected.init).sorted()
        XCTAssertEqual(got, expected.sorted(), "\(verdict.host) \(context): findings were\n"
                       + kept.map { "  \($0.kind) \($0.severity.rawValue) \($0.subject): \($0.message)" }.joined(separator: "\n"),
                       file: file, line: line)
    }

    func verdict(_ run: VerifyRun, _ host: String) -> HostVerdict? { run.hosts.first { $0.host == host } }

    // MARK: ports

    /// A TCP port in 20000-29999 (below the ephemeral range, so the differ does not treat its
    /// socket as noise) on which nothing listens or is bound right now, TCP nor UDP.
    func lowPort() throws -> Int {
        for _ in 0..<200 {
            let port = Int.random(in: 20000...29999)
            guard let tcp = try? LabListener.open(.tcp, port: port) else { continue }
            tcp.close()
            guard let udp = try? LabListener.open(.udp, port: port) else { continue }
            udp.close()
            return port
        }
        throw LabError("no free port in 20000-29999 on 127.0.0.1")
    }

    // MARK: lab servers with cleanup

    func startDNS(_ records: [String: [String]]) async throws -> LabDNSServer {
        let dns = try await LabDNSServer.start(records: records)
        cleanup { await dns.stop() }
        return dns
    }

    func startRedis() async throws -> RedisLab {
        let redis = try await RedisLab.start()
        cleanup { await redis.stop() }
        return redis
    }

    func startPostgres() async throws -> PostgresLab {
        let pg = try await PostgresLab.start(auth: .trust)
        cleanup { await pg.stop() }
        return pg
    }

    func startMariaDB() async throws -> MariaDBLab {
        let db = try await MariaDBLab.start()
        cleanup { await db.stop() }
        return db
    }

    /// The SysV lab service on `port`, started; uninstalled in tearDown.
    func startLabService(port: Int) async throws -> LabService {
        let service = try await LabService.install(port: port)
        cleanup { await service.uninstall() }
        try await service.start()
        return service
    }

    /// The lab package at `version` (installed now), purged in tearDown.
    func labPackage(installing version: String?) async throws -> LabPackages {
        try LabPackages.requireTools()
        let package = try LabPackages(name: LabPackages.tool, directory: URL(fileURLWithPath: lab.dir))
        cleanup { try? await package.remove() }
        try await package.remove()
        if let version { try await package.install(version: version) }
        return package
    }

    func listen(_ transport: LabListener.Transport, port: Int) throws -> LabListener {
        let l = try LabListener.open(transport, port: port)
        cleanup { l.close() }
        return l
    }
}

/// What the end-to-end tests tolerate besides their own findings: socket (and learned endpoint)
/// changes on loopback addresses other than 127.0.0.1 (127.0.0.2 and up). This machine is shared while developing:
/// the repo's benchmark (scripts/bench) runs sshds on 127.0.2.x:2222 that come and go. The
/// tests themselves bind only 127.0.0.1; everything else must match exactly.
enum E2ENoise {
    static func split(_ findings: [Finding]) -> (kept: [Finding], foreign: [Finding]) {
        var kept: [Finding] = [], foreign: [Finding] = []
        for f in findings { if isForeign(f) { foreign.append(f) } else { kept.append(f) } }
        return (kept, foreign)
    }

    static func isForeign(_ f: Finding) -> Bool {
        guard f.category == .section(.sockets) || f.category == .section(.endpoints) else { return false }
        return isForeignAddress(address(ofEndpoint: f.subject))
    }

    static func isForeign(_ s: ListeningSocket) -> Bool { isForeignAddress(s.address) }

    /// "tcp 127.0.2.5:2222" -> "127.0.2.5".
    static func address(ofEndpoint endpoint: String) -> String {
        let hostPort = endpoint.split(separator: " ").last.map(String.init) ?? endpoint
        guard let colon = hostPort.lastIndex(of: ":") else { return hostPort }
        return String(hostPort[..<colon])
    }

    static func isForeignAddress(_ address: String) -> Bool {
        address.hasPrefix("127.") && address != "127.0.0.1"
    }

    /// For comparing whole snapshots: drops sockets on foreign addresses, and sockets in the
    /// ephemeral range whose port is not one of `ports` (the test's own servers). The differ
    /// ignores ephemeral ports by design; other processes on this machine open them any time.
    static func scrub(_ s: Snapshot, keepingPorts ports: Set<Int>) -> Snapshot {
        var s = s
        s.sockets.removeAll { socket in
            isForeign(socket) || (s.ephemeralPortRange?.contains(socket.port) == true && !ports.contains(socket.port))
        }
        s.endpoints.removeAll { isForeignAddress($0.address) }
        return s
    }

    /// The top-level fields in which two snapshots differ, for failure messages.
    static func differences(_ a: Snapshot, _ b: Snapshot) -> String {
        var out: [String] = []
        if a.system != b.system { out.append("system: \(a.system) vs \(b.system)") }
        if a.notes != b.notes { out.append("notes: \(a.notes) vs \(b.notes)") }
        if a.services != b.services {
            out.append("services: \(Set(a.services.map { "\($0.name)=\($0.active)" }).symmetricDifference(b.services.map { "\($0.name)=\($0.active)" }))")
        }
        if a.sockets != b.sockets { out.append("sockets: \(Set(a.sockets.map(\.endpoint)).symmetricDifference(b.sockets.map(\.endpoint)))") }
        if a.packages != b.packages { out.append("packages differ") }
        if a.connectivity != b.connectivity { out.append("connectivity: \(a.connectivity) vs \(b.connectivity)") }
        if a.dns != b.dns { out.append("dns: \(a.dns) vs \(b.dns)") }
        if a.databases != b.databases { out.append("databases: \(a.databases) vs \(b.databases)") }
        if a.endpoints != b.endpoints { out.append("endpoints: \(Set(a.endpoints.map { "\($0)" }).symmetricDifference(b.endpoints.map { "\($0)" }))") }
        return out.isEmpty ? "(other fields)" : out.joined(separator: "; ")
    }
}
