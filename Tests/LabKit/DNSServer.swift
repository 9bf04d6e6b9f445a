import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A real dnsmasq answering on 127.0.0.1 at a free port (UDP and TCP), authoritative only for the
/// records it is given (no upstream, no /etc/hosts). Records live in a hosts file that `update`
/// rewrites and reloads with SIGHUP, so tests can change DNS between two snapshots. The one
/// dnsmasq wrapper of the tests.
public final class LabDNSServer: @unchecked Sendable {
    public static let binary = "/usr/sbin/dnsmasq"
    public static let package = "dnsmasq-base"

    public let address = "127.0.0.1"
    public let port: Int
    /// Name -> addresses (IPv4 or IPv6), as last written.
    public private(set) var records: [String: [String]]
    public let directory: URL
    public var log: URL { directory.appendingPathComponent("dnsmasq.log") }
    /// "127.0.0.1#PORT": the form DNSCheck.server and `dig @127.0.0.1 -p PORT` expect.
    public var server: String { "\(address)#\(port)" }

    private let lab: LabServer
    private var process: LabChild { lab.process }
    private var hostsFile: URL { directory.appendingPathComponent("hosts") }

    private init(port: Int, records: [String: [String]], server: LabServer) {
        self.port = port
        self.records = records
        self.directory = server.directory
        self.lab = server
    }

    /// Starts dnsmasq serving `records`, e.g. ["name.test": ["192.0.2.10"]]. Names under
    /// `localDomains` that have no record are NXDOMAIN; names elsewhere are REFUSED (no upstream).
    public static func start(records: [String: [String]], localDomains: [String] = [],
                             timeout: Duration = .seconds(20)) async throws -> LabDNSServer {
        try LabSkip.require(binary, package: package)
        return try await LabServer.inTempDir("dns") { directory in
            let hosts = directory.appendingPathComponent("hosts")
            try hostsText(records).write(to: hosts)
            let port = try LabProcess.freePort()
            let server = try await LabServer.launch("dnsmasq on port \(port)", binary, [
                "--no-daemon", "--conf-file=/dev/null", "--port=\(port)", "--listen-address=127.0.0.1",
                "--bind-interfaces", "--no-resolv", "--no-hosts", "--addn-hosts=\(hosts.path)",
                "--pid-file=\(directory.path)/dnsmasq.pid",
            ] + localDomains.map { "--local=/\($0)/" }, directory: directory, logName: "dnsmasq.log", timeout: timeout) {
                LabProcess.isListening(port: port)
            }
            return LabDNSServer(port: port, records: records, server: server)
        }
    }

    /// Replaces all records and waits until dnsmasq has re-read them (it logs each read).
    public func update(records: [String: [String]], timeout: Duration = .seconds(10)) async throws {
        let before = readCount()
        try Self.hostsText(records).write(to: hostsFile)
        self.records = records
        process.signal(SIGHUP)
        let log = log
        try await LabProcess.waitUntil("dnsmasq reload", timeout: timeout, child: process, log: log) { [self] in
            readCount() > before
        }
    }

    public func stop() async {
        await lab.stop()
    }

    /// How many times dnsmasq logged reading the hosts file ("read <path> - N names").
    private func readCount() -> Int {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.components(separatedBy: "read \(hostsFile.path)").count - 1
    }

    /// One "address name" line per address, names sorted for a stable file.
    static func hostsText(_ records: [String: [String]]) -> Data {
        var text = ""
        for name in records.keys.sorted() {
            for address in records[name] ?? [] { text += "\(address) \(name)\n" }
        }
        return Data(text.utf8)
    }
}
