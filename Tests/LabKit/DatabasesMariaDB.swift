import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A real MariaDB server on 127.0.0.1 at a free port, with a fresh datadir made by
/// mariadb-install-db in a temp dir. `stop()` shuts it down and removes the directory.
public final class MariaDBLab: @unchecked Sendable {
    public static let installer = "/usr/bin/mariadb-install-db"
    public static let server = "/usr/sbin/mariadbd"
    public static let package = "mariadb-server"

    public let host = "127.0.0.1"
    public let port: Int
    /// Unix socket inside `directory`.
    public let socket: String
    /// Whether TCP clients get "Host '127.0.0.1' is not allowed to connect" instead of a handshake.
    public let rejectsTCPClients: Bool
    /// "10.11.19-MariaDB-0+deb12u1", from `mariadbd --version`.
    public let version: String
    public let directory: URL
    public var log: URL { directory.appendingPathComponent("mariadbd.log") }

    private let lab: LabServer

    private init(port: Int, socket: String, rejectsTCPClients: Bool, version: String, server: LabServer) {
        self.port = port
        self.socket = socket
        self.rejectsTCPClients = rejectsTCPClients
        self.version = version
        self.directory = server.directory
        self.lab = server
    }

    /// Real grant tables are installed: root@localhost only. With `rejectTCPClients` the server
    /// skips name resolution, so a client from 127.0.0.1 matches no account and is refused with an
    /// ERR packet before the handshake (what a locked-down production server does to strangers).
    public static func start(rejectTCPClients: Bool = false, timeout: Duration = .seconds(60)) async throws -> MariaDBLab {
        try LabSkip.require(installer, package: package)
        try LabSkip.require(server, package: package)
        return try await LabServer.inTempDir("mariadb") { directory in
            let data = directory.appendingPathComponent("data").path
            let installed = try await LabProcess.run(installer, [
                "--no-defaults", "--datadir=\(data)", "--user=root", "--skip-test-db",
                "--auth-root-authentication-method=socket",
            ], directory: directory)
            guard installed.status == 0 else {
                throw LabError("mariadb-install-db failed (\(installed.status)): \(installed.output.suffix(600))")
            }
            let version = try await serverVersion()
            let port = try LabProcess.freePort()
            let socket = directory.appendingPathComponent("mariadbd.sock").path
            let log = directory.appendingPathComponent("mariadbd.log")
            var arguments = [
                "--no-defaults", "--datadir=\(data)", "--socket=\(socket)", "--port=\(port)",
                "--bind-address=127.0.0.1", "--user=root", "--pid-file=\(directory.path)/mariadbd.pid",
                "--skip-log-bin", "--innodb-buffer-pool-size=16M", "--log-error=\(log.path)",
            ]
            if rejectTCPClients { arguments.append("--skip-name-resolve") }
            let running = try await LabServer.launch("mariadbd on port \(port)", server, arguments,
                                                     directory: directory, logName: "mariadbd.log", timeout: timeout,
                                                     grace: .seconds(20)) {
                LabProcess.isListening(port: port)
            }
            return MariaDBLab(port: port, socket: socket, rejectsTCPClients: rejectTCPClients,
                              version: version, server: running)
        }
    }

    public func stop() async {
        await lab.stop()
    }

    /// "10.11.19-MariaDB-0+deb12u1" from "mariadbd  Ver 10.11.19-MariaDB-0+deb12u1 for debian-linux-gnu ...".
    static func serverVersion() async throws -> String {
        let answer = try await LabProcess.run(server, ["--version"])
        let words = answer.output.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard let index = words.firstIndex(of: "Ver"), index + 1 < words.count else {
            throw LabError("cannot read the version from `mariadbd --version`: \(answer.output)")
        }
        return String(words[index + 1])
    }
}
