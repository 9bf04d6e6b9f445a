import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A real redis-server on 127.0.0.1 at a free port, no persistence, configured through a file in
/// its temp dir (so a password never shows in `ps`). `stop()` kills it and removes the directory.
public final class RedisLab: @unchecked Sendable {
    public static let binary = "/usr/bin/redis-server"
    public static let package = "redis-server"

    public let host = "127.0.0.1"
    public let port: Int
    /// The `requirepass` password (random per lab), or nil when no password is required.
    public let password: String?
    /// "7.0.15", from `redis-server --version`.
    public let version: String
    public let directory: URL
    public var log: URL { directory.appendingPathComponent("redis.log") }

    private let server: LabServer

    private init(port: Int, password: String?, version: String, server: LabServer) {
        self.port = port
        self.password = password
        self.version = version
        self.directory = server.directory
        self.server = server
    }

    /// Starts redis-server; with `requirePassword` it demands a random password (see `password`).
    public static func start(requirePassword: Bool = false, timeout: Duration = .seconds(20)) async throws -> RedisLab {
        try LabSkip.require(binary, package: package)
        return try await LabServer.inTempDir("redis") { directory in
            let port = try LabProcess.freePort()
            let password = requirePassword ? LabProcess.randomPassword() : nil
            var config = """
                port \(port)
                bind 127.0.0.1
                save ""
                appendonly no
                daemonize no
                dir \(directory.path)
                logfile ""

                """
            if let password { config += "requirepass \(password)\n" }
            let configFile = directory.appendingPathComponent("redis.conf")
            try Data(config.utf8).write(to: configFile)
            chmod(configFile.path, 0o600)

            let version = try await serverVersion()
            let server = try await LabServer.launch("redis-server on port \(port)", binary, [configFile.path],
                                                    directory: directory, logName: "redis.log", timeout: timeout) {
                LabProcess.isListening(port: port)
            }
            return RedisLab(port: port, password: password, version: version, server: server)
        }
    }

    public func stop() async {
        await server.stop()
    }

    /// "7.0.15" from "Redis server v=7.0.15 sha=... malloc=...".
    static func serverVersion() async throws -> String {
        let answer = try await LabProcess.run(binary, ["--version"])
        guard let word = answer.output.split(separator: " ").first(where: { $0.hasPrefix("v=") }) else {
            throw LabError("cannot read the version from `redis-server --version`: \(answer.output)")
        }
        return String(word.dropFirst(2))
    }
}
