import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A real TLS server on 127.0.0.1 at a free port: `openssl s_server` serving one certificate.
/// In `.www` mode (the default) it answers any HTTP GET with "HTTP/1.0 200 ok" and a page about
/// the session, then closes; `.reverse` echoes lines reversed. It serves one connection at a time. `stop()` ends it and removes
/// its folder (the certificate files belong to the CA and stay).
public final class LabTLSServer: @unchecked Sendable {
    /// Which protocol versions the server accepts.
    public enum Versions: Sendable {
        /// What OpenSSL's defaults allow (TLS 1.2 and 1.3 on Debian 12).
        case any
        case tls12Only
        case tls13Only
        /// TLS 1.0 with security level 0: the old server a learned probe must still observe.
        case tls10Legacy

        var arguments: [String] {
            switch self {
            case .any: return []
            case .tls12Only: return ["-tls1_2"]
            case .tls13Only: return ["-tls1_3"]
            case .tls10Legacy: return ["-tls1", "-cipher", "DEFAULT:@SECLEVEL=0"]
            }
        }
    }

    public enum Mode: Sendable {
        /// `-www`: answers GET with 200 and a status page.
        case www
        /// `-rev`: answers each line reversed ("hello\n" -> "olleh\n"); the line "CLOSE" makes it
        /// send close_notify and close.
        case reverse
    }

    public let host = "127.0.0.1"
    public let port: Int
    public let certificate: LabCertificate
    public var log: URL { server.log }
    private let server: LabServer

    private init(port: Int, certificate: LabCertificate, server: LabServer) {
        self.port = port
        self.certificate = certificate
        self.server = server
    }

    /// Starts s_server with `certificate`; `sendChain` makes it send the CA after the leaf.
    public static func start(_ certificate: LabCertificate, versions: Versions = .any, mode: Mode = .www,
                             sendChain: Bool = false, extraArguments: [String] = [],
                             timeout: Duration = .seconds(20)) async throws -> LabTLSServer {
        let openssl = try LabTLS.openssl()
        return try await LabServer.inTempDir("tls-server") { directory in
            let port = try LabProcess.freePort()
            var arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate.certificate.path,
                             "-key", certificate.key.path, "-naccept", "100000"]
            if sendChain { arguments += ["-cert_chain", certificate.ca.path] }
            arguments += versions.arguments
            switch mode {
            case .www: arguments.append("-www")
            case .reverse: arguments.append("-rev")
            }
            arguments += extraArguments
            let log = directory.appendingPathComponent("s_server.log")
            let server = try await LabServer.launch("openssl s_server on port \(port)", openssl, arguments,
                                                    directory: directory, logName: "s_server.log",
                                                    timeout: timeout, grace: .seconds(3)) {
                // "ACCEPT" once it listens; probing the port instead would use up a connection.
                ((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("ACCEPT")
            }
            return LabTLSServer(port: port, certificate: certificate, server: server)
        }
    }

    public func stop() async {
        await server.stop()
    }
}
