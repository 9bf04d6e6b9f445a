/// How much a difference matters. Ordered: info < warning < regression.
public enum Severity: String, Codable, Sendable, Equatable, Comparable, CaseIterable {
    case info, warning, regression
    var rank: Int { switch self { case .info: 0; case .warning: 1; case .regression: 2 } }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// One classified difference between a baseline and a fresh snapshot.
public struct Finding: Codable, Sendable, Equatable {
    public var host: String
    /// What kind of change; encoded as its stable machine name, e.g. "service-stopped".
    public var kind: FindingKind
    public var severity: Severity
    /// What changed: "nginx.service", "tcp 0.0.0.0:80", "openssl".
    public var subject: String
    public var before: String?
    public var after: String?
    /// One human sentence.
    public var message: String
    /// The package changes since the baseline that explain the finding ("libssl3 3.0.11-1 → 3.0.13-1"):
    /// the package of the unit, program, library or configuration file it names. Empty: the patch
    /// explains nothing here, look at it first. Nil: not known (no package log was read).
    public var explainedBy: [String]?

    public init(host: String, kind: FindingKind, severity: Severity, subject: String,
                before: String? = nil, after: String? = nil, message: String) {
        self.host = host
        self.kind = kind
        self.severity = severity
        self.subject = subject
        self.before = before
        self.after = after
        self.message = message
    }

    /// The part of the host the finding is about: always its kind's (``FindingKind/category``).
    public var category: Category { kind.category }

    enum CodingKeys: String, CodingKey { case host, category, kind, severity, subject, before, after, message, explainedBy }

    /// `category` is written for readers of the JSON; reading derives it from the kind again.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        host = try c.decode(String.self, forKey: .host)
        kind = try c.decode(FindingKind.self, forKey: .kind)
        severity = try c.decode(Severity.self, forKey: .severity)
        subject = try c.decode(String.self, forKey: .subject)
        before = try c.decodeIfPresent(String.self, forKey: .before)
        after = try c.decodeIfPresent(String.self, forKey: .after)
        message = try c.decode(String.self, forKey: .message)
        explainedBy = try c.decodeIfPresent([String].self, forKey: .explainedBy)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(host, forKey: .host)
        try c.encode(category, forKey: .category)
        try c.encode(kind, forKey: .kind)
        try c.encode(severity, forKey: .severity)
        try c.encode(subject, forKey: .subject)
        try c.encodeIfPresent(before, forKey: .before)
        try c.encodeIfPresent(after, forKey: .after)
        try c.encode(message, forKey: .message)
        try c.encodeIfPresent(explainedBy, forKey: .explainedBy)
    }

    /// True when the package log was read and no package change explains the finding.
    public var unexplained: Bool { explainedBy?.isEmpty == true }
}
