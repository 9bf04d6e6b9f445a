import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL 15 on 127.0.0.1 at a free port, in its own temp dir, run as the `postgres`
/// OS user (postgres refuses root). `stop()` shuts it down and removes the directory.
public final class PostgresLab: @unchecked Sendable {
    /// How TCP clients authenticate (pg_hba `host` lines); the Unix socket is always trust.
    public enum Auth: String, Sendable {
        case trust
        case scram = "scram-sha-256"
    }

    public static let binDirectory = "/usr/lib/postgresql/15/bin"
    public static let package = "postgresql-15"

    public let host = "127.0.0.1"
    public let port: Int
    public let auth: Auth
    /// Superuser name; also the database that always exists.
    public let user = "postgres"
    /// The superuser's password (random per lab) when `auth` is not trust.
    public let password: String?
    /// Major.minor from `postgres --version`, e.g. "15.18".
    public let version: String
    public let directory: URL
    public var log: URL { directory.appendingPathComponent("postgres.log") }

    private let server: LabServer

    private init(port: Int, auth: Auth, password: String?, version: String, server: LabServer) {
        self.port = port
        self.auth = auth
        self.password = password
        self.version = version
        self.directory = server.directory
        self.server = server
    }

    /// initdb into a temp dir, then postgres on a free port; returns once pg_isready says yes.
    /// With `tls`, the server offers TLS (ssl=on) with a self-signed certificate for localhost.
    public static func start(auth: Auth = .trust, tls: Bool = false, timeout: Duration = .seconds(60)) async throws -> PostgresLab {
        let initdb = binDirectory + "/initdb", postgres = binDirectory + "/postgres"
        let isReady = binDirectory + "/pg_isready"
        for tool in [initdb, postgres, isReady] { try LabSkip.require(tool, package: package) }
        try LabSkip.require("/usr/bin/setpriv", package: "util-linux")

        return try await LabServer.inTempDir("postgres") { directory in
            try LabProcess.chown(directory.path, to: "postgres")
            let data = directory.appendingPathComponent("data").path
            var arguments = ["-D", data, "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]
            var password: String?
            let passwordFile = directory.appendingPathComponent("pwfile")
            if auth == .trust {
                arguments += ["--auth=trust"]
            } else {
                let secret = LabProcess.randomPassword()
                password = secret
                // The password reaches initdb through a file, never argv.
                try Data((secret + "\n").utf8).write(to: passwordFile)
                try LabProcess.chown(passwordFile.path, to: "postgres")
                chmod(passwordFile.path, 0o600)
                arguments += ["--auth-local=trust", "--auth-host=\(auth.rawValue)", "--pwfile=\(passwordFile.path)"]
            }
            let made = try await LabProcess.run("/usr/bin/setpriv", asPostgres(initdb, arguments), directory: directory)
            try? FileManager.default.removeItem(at: passwordFile)
            guard made.status == 0 else { throw LabError("initdb failed (\(made.status)): \(made.output.suffix(600))") }

            let version = try await serverVersion(postgres)
            let port = try LabProcess.freePort()
            let ssl = tls ? try await selfSignedCertificate(in: directory) : []
            let server = try await LabServer.launch("postgres on port \(port)", "/usr/bin/setpriv", asPostgres(postgres, [
                "-D", data, "-k", directory.path, "-p", String(port), "-h", "127.0.0.1",
                "-c", "fsync=off", "-c", "max_connections=20", "-c", "shared_buffers=16MB",
            ] + ssl), directory: directory, logName: "postgres.log", timeout: timeout, stopSignal: SIGINT) {
                pgIsReady(isReady, port: port)
            }
            return PostgresLab(port: port, auth: auth, password: password, version: version, server: server)
        }
    }

    /// A self-signed certificate and key for localhost in `directory`, owned by postgres (the key
    /// 0600, as the server demands), as the server options that use them.
    private static func selfSignedCertificate(in directory: URL) async throws -> [String] {
        let openssl = try LabSkip.tool("openssl", package: "openssl")
        let cert = directory.appendingPathComponent("server.crt").path, key = directory.appendingPathComponent("server.key").path
        let made = try await LabProcess.run(openssl, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                                      "-keyout", key, "-out", cert, "-subj", "/CN=localhost", "-days", "30"])
        guard made.status == 0 else { throw LabError("openssl req for the PostgreSQL certificate: \(made.output)") }
        for file in [cert, key] { try LabProcess.chown(file, to: "postgres") }
        chmod(key, 0o600)
        return ["-c", "ssl=on", "-c", "ssl_cert_file=\(cert)", "-c", "ssl_key_file=\(key)"]
    }

    /// Fast shutdown (SIGINT), then removes the temp dir.
    public func stop() async {
        await server.stop()
    }

    /// "15.18" from "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)".
    static func serverVersion(_ postgres: String) async throws -> String {
        let answer = try await LabProcess.run(postgres, ["--version"])
        let words = answer.output.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard let index = words.firstIndex(of: "(PostgreSQL)"), index + 1 < words.count else {
            throw LabError("cannot read the version from `postgres --version`: \(answer.output)")
        }
        return String(words[index + 1])
    }

    private static func asPostgres(_ tool: String, _ arguments: [String]) -> [String] {
        ["--reuid=postgres", "--regid=postgres", "--init-groups", "--reset-env", "--", tool] + arguments
    }

    /// Blocking: pg_isready exits 0 once the server accepts connections (it does not log in).
    private static func pgIsReady(_ tool: String, port: Int) -> Bool {
        let answer = try? LabProcess.runBlocking(tool, ["-q", "-h", "127.0.0.1", "-p", String(port), "-t", "1"],
                                                 timeout: .seconds(5))
        return answer?.status == 0
    }
}
