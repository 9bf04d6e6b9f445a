import Foundation

/// What answers on one listening TCP port of the host, learned without configuration: the
/// client opens one direct-tcpip channel through the SSH session to the address the socket is
/// bound to (`0.0.0.0` → `127.0.0.1`, `::` → `::1`) and listens, shakes hands or asks, by the
/// rules of `EndpointPolicy` (Probe). One connection per port per capture, bounded in bytes and time.
public struct EndpointAnswer: Codable, Sendable, Equatable, SortKeyed {
    /// How the port was spoken to.
    public enum Method: String, Codable, Sendable, Equatable, CaseIterable {
        /// Connected and waited briefly for a greeting (server-first protocols, unknown ports).
        case banner
        /// Connected and closed at once: a known non-HTTP service with no harmless handshake.
        case connect
        /// The service's own harmless handshake (SSH identification, Redis PING, PostgreSQL SSLRequest).
        case handshake
        /// A TLS handshake, then possibly HTTP inside it.
        case tls
        /// A plain `GET /`.
        case http
    }

    /// The address the socket is bound to, as in `sockets[]` ("0.0.0.0", "::", "127.0.0.1").
    public var address: String
    public var port: Int
    /// The process holding the socket, when the snapshot knows it.
    public var process: String?
    public var method: Method
    /// True when the port answered at all the way `method` expects (a banner, a handshake reply,
    /// a TLS ServerHello or alert, an HTTP status line). A `connect` probe answers by accepting.
    public var answered: Bool
    public var banner: BannerInfo?
    public var tls: TLSInfo?
    public var http: HTTPAnswer?
    /// Why there is no answer: connect refused, closed, timed out (one line, sanitized).
    public var error: String?

    public init(address: String, port: Int, process: String? = nil, method: Method, answered: Bool,
                banner: BannerInfo? = nil, tls: TLSInfo? = nil, http: HTTPAnswer? = nil, error: String? = nil) {
        self.address = address
        self.port = port
        self.process = process
        self.method = method
        self.answered = answered
        self.banner = banner
        self.tls = tls
        self.http = http
        self.error = error
    }

    /// "tcp 0.0.0.0:443", "tcp6 [::]:443": the socket's own subject (`ListeningSocket.endpoint`),
    /// so findings line up with the socket's.
    public var subject: String {
        address.contains(":") ? "tcp6 [\(address)]:\(port)" : "tcp \(address):\(port)"
    }
    public var sortKey: String { "\(String(repeating: "0", count: max(0, 5 - String(port).count)))\(port)|\(address)" }
}

/// The first line a server-first protocol sends (SSH, SMTP, FTP, IMAP, POP3, MySQL, ...).
public struct BannerInfo: Codable, Sendable, Equatable {
    /// "ssh", "smtp", "ftp", "imap", "pop3", "mysql", "redis", "postgres", or "unknown".
    public var proto: String
    /// "OpenSSH", "Postfix", "Dovecot", ... when the line names one.
    public var product: String?
    /// Volatile unless `rules: { endpoint_versions: true }`: a patch changes it.
    public var version: String?
    /// The line itself, sanitized and bounded; versions inside it are volatile too, so it is
    /// kept for the record and never compared.
    public var line: String

    public init(proto: String, product: String? = nil, version: String? = nil, line: String) {
        self.proto = proto
        self.product = product
        self.version = version
        self.line = line
    }

    enum CodingKeys: String, CodingKey { case proto = "protocol", product, version, line }
}

/// A TLS handshake's outcome, from a real TLS library (OpenSSL through memory BIOs).
public struct TLSInfo: Codable, Sendable, Equatable {
    /// "TLSv1.3", "TLSv1.2", ...; nil when the handshake failed.
    public var version: String?
    /// The negotiated cipher suite, IANA/OpenSSL name ("TLS_AES_256_GCM_SHA384").
    public var cipher: String?
    /// The leaf certificate, when the server sent one.
    public var certificate: CertificateInfo?
    /// Why the handshake failed, with the alert when there was one
    /// ("tlsv1 alert protocol version"); nil on success.
    public var error: String?

    public init(version: String? = nil, cipher: String? = nil, certificate: CertificateInfo? = nil, error: String? = nil) {
        self.version = version
        self.cipher = cipher
        self.certificate = certificate
        self.error = error
    }

    public var succeeded: Bool { error == nil && version != nil }
}

/// The fields of a leaf certificate PostPatch compares and reports.
public struct CertificateInfo: Codable, Sendable, Equatable {
    /// RFC 2253 form ("CN=www.example.test,O=Lab").
    public var subject: String
    public var issuer: String
    /// DNS names and IP addresses of the subjectAltName extension, in certificate order.
    public var san: [String]
    public var notBefore: Date?
    public var notAfter: Date?
    /// SHA-256 of the DER encoding, lowercase hex without separators.
    public var sha256: String

    public init(subject: String, issuer: String, san: [String] = [], notBefore: Date? = nil,
                notAfter: Date? = nil, sha256: String) {
        self.subject = subject
        self.issuer = issuer
        self.san = san
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.sha256 = sha256
    }
}

/// One HTTP exchange's outcome: the status line, for a redirect where to, and what the page is:
/// its media type, its HTML `<title>`, the `Server` product (the version is volatile, as a
/// banner's) and a fingerprint of its body (the first ``bodyLimit`` bytes). The body is not kept.
public struct HTTPAnswer: Codable, Sendable, Equatable {
    public var status: Int?
    /// The `Location` header of a 3xx answer, sanitized and bounded.
    public var location: String?
    /// Why there is no status: no answer within the bound, not HTTP, closed.
    public var error: String?
    /// The media type of `Content-Type`, lowercased, parameters dropped ("text/html").
    public var contentType: String?
    /// An HTML answer's `<title>`, entities decoded, blanks squeezed, at most 200 characters.
    public var title: String?
    /// The `Server` header's product ("nginx" of "nginx/1.22.1 (Debian)").
    public var server: String?
    /// "sha256:…" of the body's first ``bodyLimit`` bytes; nil when there was none.
    public var body: String?
    /// Whether the body's fingerprint held between two baselines: true, compared; false, it
    /// changed between them (a page with a date, a token, a counter): never compared; nil: not
    /// known yet (a first baseline), not compared.
    public var bodyStable: Bool?

    /// The body bytes read and fingerprinted.
    public static let bodyLimit = 64 * 1024

    public init(status: Int? = nil, location: String? = nil, error: String? = nil, contentType: String? = nil,
                title: String? = nil, server: String? = nil, body: String? = nil, bodyStable: Bool? = nil) {
        self.status = status
        self.location = location
        self.error = error
        self.contentType = contentType
        self.title = title
        self.server = server
        self.body = body
        self.bodyStable = bodyStable
    }
}

extension Snapshot {
    /// A new baseline learns which pages are stable from the one it replaces: a body whose
    /// fingerprint is the same in both is stable (compared from now on); one that differs is
    /// volatile for good (a date, a token, a counter), whatever later baselines see. A first
    /// baseline knows neither (nil: not compared).
    public mutating func learnPageStability(from previous: Snapshot) {
        var before: [String: HTTPAnswer] = [:]
        for e in previous.endpoints { if let h = e.http { before[e.sortKey] = h } }
        for i in endpoints.indices {
            guard let now = endpoints[i].http?.body, let old = before[endpoints[i].sortKey], let oldBody = old.body else { continue }
            endpoints[i].http?.bodyStable = old.bodyStable == false ? false : oldBody == now
        }
    }
}
