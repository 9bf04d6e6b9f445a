import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The lifecycle every lab server shares (MariaDB, PostgreSQL, Redis, dnsmasq): a temp dir, one
/// process logging into it, a readiness wait that fails with the log's tail, and a stop that
/// signals, escalates to SIGKILL and removes the directory. One place, so the servers only say
/// what differs: their files, arguments and readiness test.
public final class LabServer: @unchecked Sendable {
    public let directory: URL
    public let process: LabChild
    public let log: URL
    private let stopSignal: Int32
    private let grace: Duration

    private init(directory: URL, process: LabChild, log: URL, stopSignal: Int32, grace: Duration) {
        self.directory = directory
        self.process = process
        self.log = log
        self.stopSignal = stopSignal
        self.grace = grace
    }

    deinit {
        // Safety net when a test forgets stop(): never leave a server behind.
        process.signal(SIGKILL)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Makes /tmp/postpatch-lab-<name>-XXXXXX and runs `body` with it; removes it when `body` throws.
    public static func inTempDir<T>(_ name: String, _ body: (URL) async throws -> T) async throws -> T {
        let directory = try LabProcess.makeTempDir(name)
        do {
            return try await body(directory)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    /// Spawns `executable` in `directory` with its output in `directory/logName`, then waits until
    /// `ready()` (failing early when it exits, or after `timeout`, with the log's tail). On failure
    /// the process is stopped and the directory removed. `stop()` later sends `stopSignal`, waits
    /// `grace`, then SIGKILLs.
    public static func launch(_ what: String, _ executable: String, _ arguments: [String], directory: URL,
                              logName: String, timeout: Duration, stopSignal: Int32 = SIGTERM,
                              grace: Duration = .seconds(10),
                              ready: @escaping @Sendable () -> Bool) async throws -> LabServer {
        let log = directory.appendingPathComponent(logName)
        let process = try LabProcess.spawn(executable, arguments, log: log, directory: directory)
        let server = LabServer(directory: directory, process: process, log: log, stopSignal: stopSignal, grace: grace)
        do {
            try await LabProcess.waitUntil(what, timeout: timeout, child: process, log: log, ready: ready)
        } catch {
            await server.stop()
            throw error
        }
        return server
    }

    /// Stops the process (signal, grace, SIGKILL) and removes the directory.
    public func stop() async {
        await LabProcess.stop(process, signal: stopSignal, grace: grace)
        try? FileManager.default.removeItem(at: directory)
    }
}
