import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Throwaway certificates for TLS tests, made with the openssl CLI in a temp dir: a CA, then
/// leaf certificates it signs with chosen names and validity (valid for a year, expiring in
/// three days, expired). Nothing here touches the system trust store: a client trusts the CA
/// by being given `ca.certificate` as its CA file.
///
///     let ca = try await LabTLS.makeCA()
///     defer { ca.remove() }
///     let leaf = try await ca.issue(commonName: "www.lab.test", san: ["www.lab.test", "127.0.0.1"])
///     let server = try await LabTLSServer.start(leaf)
public enum LabTLS {
    public static let package = "openssl"

    /// The openssl CLI, or the skip/failure naming its package.
    public static func openssl() throws -> String {
        try LabSkip.tool("openssl", package: package)
    }

    /// A new CA (EC P-256, valid ten years) in its own temp dir.
    public static func makeCA(commonName: String = "PostPatch Lab CA") async throws -> LabCA {
        let openssl = try openssl()
        let directory = try LabProcess.makeTempDir("tls-ca")
        do {
            let config = directory.appendingPathComponent("openssl.cnf")
            try Data(configText.utf8).write(to: config)
            let key = directory.appendingPathComponent("ca.key")
            let certificate = directory.appendingPathComponent("ca.pem")
            try await LabTLS.run(openssl, ["req", "-config", config.path, "-x509", "-newkey", "ec",
                                           "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.path,
                                           "-out", certificate.path, "-subj", "/CN=\(commonName)/O=PostPatch Lab",
                                           "-days", "3650", "-extensions", "lab_ca"], "make the lab CA")
            chmod(key.path, 0o600)
            return LabCA(directory: directory, openssl: openssl)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    /// Runs openssl; throws with its output when it fails.
    static func run(_ openssl: String, _ arguments: [String], _ what: String) async throws {
        let result = try await LabProcess.run(openssl, arguments, timeout: .seconds(30))
        guard result.status == 0 else {
            throw LabError("openssl could not \(what) (status \(result.status)): \(result.output.suffix(600))")
        }
    }

    /// Its own config, so the system's openssl.cnf (extensions, policies) changes nothing.
    static let configText = """
        [ req ]
        distinguished_name = dn
        prompt = no
        [ dn ]
        CN = unused
        [ lab_ca ]
        basicConstraints = critical, CA:TRUE
        keyUsage = critical, keyCertSign, cRLSign
        subjectKeyIdentifier = hash
        [ ca ]
        default_ca = lab
        [ lab ]
        default_md = sha256
        policy = lab_policy
        unique_subject = no
        copy_extensions = none
        [ lab_policy ]
        commonName = supplied
        organizationName = optional

        """
}

/// What a leaf certificate is signed with.
public enum LabKeyType: Sendable {
    case ec      // P-256: fast to make
    case rsa(Int)
}

/// A CA made by `LabTLS.makeCA()`. `remove()` deletes its folder and every certificate it issued.
public final class LabCA: @unchecked Sendable {
    public let directory: URL
    private let openssl: String
    /// PEM: what a client trusts (`TLSOptions(caFile:)`, curl --cacert, nginx ssl_trusted_certificate).
    public var certificate: URL { directory.appendingPathComponent("ca.pem") }
    public var key: URL { directory.appendingPathComponent("ca.key") }
    private var config: URL { directory.appendingPathComponent("openssl.cnf") }

    /// `directory` holds ca.pem, ca.key and openssl.cnf, as `LabTLS.makeCA` leaves them.
    init(directory: URL, openssl: String) {
        self.directory = directory
        self.openssl = openssl
    }

    /// Signs a new leaf for `commonName`, with `san` as subjectAltName (IP literals as IP
    /// entries, the rest as DNS names), valid from `startingDaysAgo` days ago to `days` days
    /// from now: `days: 3` expires in three days, `days: -1` expired yesterday. Safe to call
    /// concurrently: each certificate has its own folder and signing database.
    public func issue(commonName: String, san: [String] = [], days: Int = 365, startingDaysAgo: Int = 1,
                      keyType: LabKeyType = .ec) async throws -> LabCertificate {
        let now = Date()
        let notBefore = now.addingTimeInterval(-Double(startingDaysAgo) * 86400)
        let notAfter = now.addingTimeInterval(Double(days) * 86400)
        guard notBefore < notAfter else {
            throw LabError("LabCA.issue: startingDaysAgo \(startingDaysAgo) and days \(days) make an empty validity; start earlier")
        }
        let folder = directory.appendingPathComponent("leaf-\(UUID().uuidString.prefix(8))")
        let database = folder.appendingPathComponent("db")
        try FileManager.default.createDirectory(at: database, withIntermediateDirectories: true)
        try Data().write(to: database.appendingPathComponent("index.txt"))
        let serial = (0..<16).map { _ in String(format: "%02X", UInt8.random(in: 0...255) & 0x7F) }.joined()
        try Data((serial + "\n").utf8).write(to: database.appendingPathComponent("serial"))

        let key = folder.appendingPathComponent("leaf.key")
        let request = folder.appendingPathComponent("leaf.csr")
        let certificate = folder.appendingPathComponent("leaf.pem")
        let extensions = folder.appendingPathComponent("leaf.ext")
        let names = san.map { Self.isIPAddress($0) ? "IP:\($0)" : "DNS:\($0)" }
        var extensionText = """
            basicConstraints = CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = serverAuth
            authorityKeyIdentifier = keyid

            """
        if !names.isEmpty { extensionText += "subjectAltName = \(names.joined(separator: ","))\n" }
        try Data(extensionText.utf8).write(to: extensions)

        let keyArguments: [String]
        switch keyType {
        case .ec: keyArguments = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
        case .rsa(let bits): keyArguments = ["-newkey", "rsa:\(bits)"]
        }
        try await LabTLS.run(openssl, ["req", "-config", config.path, "-new", "-nodes", "-keyout", key.path,
                                       "-out", request.path, "-subj", "/CN=\(commonName)/O=PostPatch Lab"] + keyArguments,
                             "make a key for \(commonName)")
        chmod(key.path, 0o600)
        // `openssl ca` because only it takes explicit start and end dates (x509 -req has -days only).
        let databaseConfig = folder.appendingPathComponent("ca.cnf")
        let configText = (try String(contentsOf: config, encoding: .utf8)).replacingOccurrences(
            of: "[ lab ]\n", with: "[ lab ]\ndatabase = \(database.path)/index.txt\nserial = \(database.path)/serial\n"
                + "new_certs_dir = \(database.path)\n")
        try Data(configText.utf8).write(to: databaseConfig)
        try await LabTLS.run(openssl, ["ca", "-config", databaseConfig.path, "-batch", "-notext", "-preserveDN",
                                       "-cert", self.certificate.path, "-keyfile", self.key.path,
                                       "-in", request.path, "-out", certificate.path, "-extfile", extensions.path,
                                       "-startdate", Self.stamp(notBefore), "-enddate", Self.stamp(notAfter)],
                             "sign the certificate for \(commonName)")
        let chain = folder.appendingPathComponent("chain.pem")
        let both = try Data(contentsOf: certificate) + Data(contentsOf: self.certificate)
        try both.write(to: chain)
        return LabCertificate(commonName: commonName, san: san, certificate: certificate, key: key, chain: chain,
                              ca: self.certificate, openssl: openssl)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// "20261125235512Z": what `openssl ca -startdate/-enddate` take.
    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss'Z'"
        return formatter.string(from: date)
    }

    static func isIPAddress(_ text: String) -> Bool {
        var scratch = in6_addr()
        return inet_pton(AF_INET, text, &scratch) == 1 || inet_pton(AF_INET6, text, &scratch) == 1
    }
}

/// A leaf certificate and its key, as PEM files (key mode 0600).
public struct LabCertificate: Sendable {
    public let commonName: String
    public let san: [String]
    public let certificate: URL
    public let key: URL
    /// The leaf then the CA: what a server sends when it sends its whole chain.
    public let chain: URL
    /// The issuing CA's certificate.
    public let ca: URL
    let openssl: String

    /// What `openssl x509` says about the certificate, to compare a TLS client's view with.
    public struct Details: Sendable, Equatable {
        /// RFC 2253 ("O=PostPatch Lab,CN=www.lab.test").
        public var subject: String
        public var issuer: String
        /// "DNS:www.lab.test, IP Address:127.0.0.1" as printed, split into "www.lab.test", "127.0.0.1".
        public var san: [String]
        public var notBefore: Date
        public var notAfter: Date
        /// SHA-256 fingerprint, lowercase hex without colons.
        public var sha256: String
    }

    public func details() async throws -> Details {
        let result = try await LabProcess.run(openssl, ["x509", "-in", certificate.path, "-noout", "-nameopt", "RFC2253",
                                                        "-subject", "-issuer", "-startdate", "-enddate",
                                                        "-fingerprint", "-sha256", "-ext", "subjectAltName"])
        guard result.status == 0 else { throw LabError("openssl x509 could not read \(certificate.path): \(result.output)") }
        var fields: [String: String] = [:]
        var san: [String] = []
        var inSAN = false
        for line in result.output.split(separator: "\n").map(String.init) {
            if inSAN {
                san = line.split(separator: ",").map { part in
                    let entry = part.trimmingCharacters(in: .whitespaces)
                    return String(entry[entry.index(after: entry.firstIndex(of: ":")!)...])
                }
                inSAN = false
            } else if line.hasPrefix("X509v3 Subject Alternative Name") {
                inSAN = true
            } else if let equals = line.firstIndex(of: "=") {
                fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
        }
        let dates = DateFormatter()
        dates.locale = Locale(identifier: "en_US_POSIX")
        dates.timeZone = TimeZone(identifier: "UTC")
        dates.dateFormat = "MMM d HH:mm:ss yyyy 'GMT'"
        func date(_ key: String) throws -> Date {
            let text = (fields[key] ?? "").split(separator: " ").joined(separator: " ")
            guard let value = dates.date(from: text) else { throw LabError("openssl x509: cannot read \(key) '\(text)'") }
            return value
        }
        guard let subject = fields["subject"], let issuer = fields["issuer"],
              let fingerprint = fields["sha256 Fingerprint"] ?? fields["SHA256 Fingerprint"] else {
            throw LabError("openssl x509 printed no subject, issuer or fingerprint: \(result.output)")
        }
        return Details(subject: subject, issuer: issuer, san: san, notBefore: try date("notBefore"),
                       notAfter: try date("notAfter"), sha256: fingerprint.replacingOccurrences(of: ":", with: "").lowercased())
    }
}
