/// A declared HTTP check of the checks file: `http: [{ name, url, status, contains, headers,
/// tls_verify, via, timeout }]`. Credentials are never stored here: only the names of the
/// environment variables holding them.
public struct HTTPCheck: Codable, Sendable, Equatable {
    /// Where the request starts from.
    public enum Via: String, Codable, Sendable, Equatable, CaseIterable {
        /// From PostPatch through the SSH session (direct-tcpip): the host connects, PostPatch speaks.
        case tunnel
        /// From the host itself, with its own HTTP client (curl or wget), inside the collector script.
        case host
    }

    public var name: String
    public var url: String
    /// Expected status; nil: any status below 400.
    public var status: Int?
    /// A text the body must contain (first `bodyLimit` bytes searched).
    public var contains: String?
    /// Extra request headers (never secrets: those come from the *_env variables).
    public var headers: [String: String]
    /// Verify the certificate chain and the host name (https only). Default true.
    public var tlsVerify: Bool
    /// A PEM file on the machine running PostPatch with extra trusted CAs.
    public var caFile: String?
    public var via: Via
    /// Seconds.
    public var timeout: Double
    /// Names of environment variables holding "user:password" and a bearer token.
    public var basicAuthEnv: String?
    public var bearerEnv: String?

    public init(name: String, url: String, status: Int? = nil, contains: String? = nil,
                headers: [String: String] = [:], tlsVerify: Bool = true, caFile: String? = nil,
                via: Via = .tunnel, timeout: Double = 10, basicAuthEnv: String? = nil, bearerEnv: String? = nil) {
        self.name = name
        self.url = url
        self.status = status
        self.contains = contains
        self.headers = headers
        self.tlsVerify = tlsVerify
        self.caFile = caFile
        self.via = via
        self.timeout = timeout
        self.basicAuthEnv = basicAuthEnv
        self.bearerEnv = bearerEnv
    }
}

/// What a declared HTTP check saw. No body is kept: only whether `contains` matched.
public struct HTTPCheckResult: Codable, Sendable, Equatable, SortKeyed {
    public var name: String
    public var url: String
    public var via: HTTPCheck.Via
    public var status: Int?
    public var location: String?
    /// nil when the check declares no `contains`.
    public var containsMatched: Bool?
    public var tls: TLSInfo?
    /// Why there is no answer (connect, TLS verification, timeout), sanitized; never a credential.
    public var error: String?
    /// The declared expectations that failed, one line each ("status 502, expected 200"). Empty: passed.
    public var failed: [String]
    /// Volatile.
    public var latencyMs: Double?

    public init(name: String, url: String, via: HTTPCheck.Via = .tunnel, status: Int? = nil, location: String? = nil,
                containsMatched: Bool? = nil, tls: TLSInfo? = nil, error: String? = nil, failed: [String] = [],
                latencyMs: Double? = nil) {
        self.name = name
        self.url = url
        self.via = via
        self.status = status
        self.location = location
        self.containsMatched = containsMatched
        self.tls = tls
        self.error = error
        self.failed = failed
        self.latencyMs = latencyMs
    }

    public var passed: Bool { failed.isEmpty }
    public var subject: String { "\(name) (\(url))" }
    public var sortKey: String { name }
}

/// A declared command check: `commands: [{ name, run, timeout, expect: { exit, stdout_contains },
/// compare: exit|output }]`, run on the host inside the collector's one round trip.
public struct CommandCheck: Codable, Sendable, Equatable {
    public enum Compare: String, Codable, Sendable, Equatable, CaseIterable { case exit, output }

    public var name: String
    /// Shell text from the checks file only; nothing from a host ever reaches a shell.
    public var run: String
    /// Seconds.
    public var timeout: Double
    /// Expected exit status; default 0.
    public var expectExit: Int?
    public var expectStdoutContains: String?
    public var compare: Compare

    public init(name: String, run: String, timeout: Double = 30, expectExit: Int? = 0,
                expectStdoutContains: String? = nil, compare: Compare = .exit) {
        self.name = name
        self.run = run
        self.timeout = timeout
        self.expectExit = expectExit
        self.expectStdoutContains = expectStdoutContains
        self.compare = compare
    }
}

/// What a declared command did on the host.
public struct CommandResult: Codable, Sendable, Equatable, SortKeyed {
    public var name: String
    /// nil when it timed out or did not run (then `failed` says why).
    public var exit: Int?
    public var timedOut: Bool
    /// Digest of the whole output (stdout and stderr as the command wrote them): "sha256:<lowercase hex>",
    /// or "cksum:<crc>" from a host without sha256sum; nil when the host had neither.
    public var digest: String?
    /// Total output bytes.
    public var outputBytes: Int
    /// The first bytes of the output, sanitized (control characters escaped, invalid UTF-8 replaced).
    public var excerpt: String
    /// The declared expectations that failed, one line each. Empty: passed.
    public var failed: [String]
    /// Volatile.
    public var durationMs: Int?
    /// The check's `compare:`, so a diff of two snapshots knows whether output counts; nil: exit.
    public var compare: CommandCheck.Compare?

    public init(name: String, exit: Int? = nil, timedOut: Bool = false, digest: String? = nil, outputBytes: Int = 0,
                excerpt: String = "", failed: [String] = [], durationMs: Int? = nil, compare: CommandCheck.Compare? = nil) {
        self.name = name
        self.exit = exit
        self.timedOut = timedOut
        self.digest = digest
        self.outputBytes = outputBytes
        self.excerpt = excerpt
        self.failed = failed
        self.durationMs = durationMs
        self.compare = compare
    }

    public var passed: Bool { failed.isEmpty }
    public var subject: String { name }
    public var sortKey: String { name }
}
