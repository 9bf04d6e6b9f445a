import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real dnsmasq answering on 127.0.0.1 at a free port (UDP and TCP), authoritative only for the
/// records it is given (no upstream, no /etc/hosts). Records live in a hosts file that `update`
/// rewrites and reloads with SIGHUP, so tests can change DNS between two snapshots.
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

    private let process: LabChild
    private var hostsFile: URL { directory.appendingPathComponent("hosts") }

    private init(port: Int, records: [String: [String]], directory: URL, process: LabChild) {
        self.port = port
        self.records = records
        self.directory = directory
        self.process = process
    }

    deinit {
        process.signal(SIGKILL)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts dnsmasq serving `records`, e.g. ["name.test": ["192.0.2.10"]].
    public static func start(records: [String: [String]], timeout: Duration = .seconds(20)) async throws -> LabDNSServer {
        try LabProcess.require(binary, package: package)
        let directory = try LabProcess.makeTempDir("dns")
        do {
            let hosts = directory.appendingPathComponent("hosts")
            try hostsText(records).write(to: hosts)
            let port = try LabProcess.freePort()
            let log = directory.appendingPathComponent("dnsmasq.log")
            let process = try LabProcess.spawn(binary, [
                "--no-daemon", "--conf-file=/dev/null", "--port=\(port)", "--listen-address=127.0.0.1",
                "--bind-interfaces", "--no-resolv", "--no-hosts", "--addn-hosts=\(hosts.path)",
                "--pid-file=\(directory.path)/dnsmasq.pid",
            ], log: log, directory: directory)
            let lab = LabDNSServer(port: port, records: records, directory: directory, process: process)
            do {
                try await LabProcess.waitUntil("dnsmasq on port \(port)", timeout: timeout, child: process, log: log) {
                    LabProcess.isListening(port: port)
                }
            } catch {
                await lab.stop()
                throw error
            }
            return lab
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
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
        await LabProcess.stop(process)
        try? FileManager.default.removeItem(at: directory)
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
