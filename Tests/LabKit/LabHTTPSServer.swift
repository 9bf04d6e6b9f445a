import Foundation

/// `openssl s_server -www` on 127.0.0.1 with a fresh self-signed certificate for `localhost`
/// and 127.0.0.1: a real TLS server for the HTTPS checks. Every GET is answered
/// "HTTP/1.0 200 ok" with a page listing the session's ciphers. `certificate` is the PEM file a
/// client trusts to verify it.
public final class LabHTTPSServer: @unchecked Sendable {
    public let port: Int
    public let certificate: String
    private let child: LabChild
    private let dir: URL

    public static func start() async throws -> LabHTTPSServer {
        let openssl = try LabSkip.tool("openssl", package: "openssl")
        let dir = try LabProcess.makeTempDir("https")
        let cert = dir.appendingPathComponent("cert.pem").path, key = dir.appendingPathComponent("key.pem").path
        let made = try await LabProcess.run(openssl, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                                                      "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                                                      "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        guard made.status == 0 else { throw LabError("openssl req: \(made.output)") }
        let port = try LabProcess.freePort()
        let log = dir.appendingPathComponent("s_server.log")
        let child = try LabProcess.spawn(openssl, ["s_server", "-quiet", "-accept", "127.0.0.1:\(port)", "-cert", cert, "-key", key, "-www"],
                                         log: log)
        do {
            try await LabProcess.waitUntil("openssl s_server", timeout: .seconds(15), child: child, log: log) {
                LabProcess.isListening(port: port)
            }
        } catch {
            child.stop()
            throw error
        }
        return LabHTTPSServer(port: port, certificate: cert, child: child, dir: dir)
    }

    private init(port: Int, certificate: String, child: LabChild, dir: URL) {
        self.port = port
        self.certificate = certificate
        self.child = child
        self.dir = dir
    }

    public func stop() async {
        await LabProcess.stop(child, grace: .seconds(3))
        try? FileManager.default.removeItem(at: dir)
    }
}
