/// How much a difference matters. Ordered: info < warning < regression.
public enum Severity: String, Codable, Sendable, Equatable, Comparable, CaseIterable {
    case info, warning, regression
    var rank: Int { switch self { case .info: 0; case .warning: 1; case .regression: 2 } }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// The part of a snapshot a finding is about; also the JUnit classname suffix.
public enum Category: String, Codable, Sendable, Equatable, CaseOrdered {
    case host, system, services, processes, sockets, endpoints, mounts, network, modules, firewall, containers, packages,
         updates, logs, connectivity, dns, databases, http, commands
}

/// One classified difference between a baseline and a fresh snapshot.
public struct Finding: Codable, Sendable, Equatable {
    public var host: String
    public var category: Category
    /// What kind of change; encoded as its stable machine name, e.g. "service-stopped".
    public var kind: FindingKind
    public var severity: Severity
    /// What changed: "nginx.service", "tcp 0.0.0.0:80", "openssl".
    public var subject: String
    public var before: String?
    public var after: String?
    /// One human sentence.
    public var message: String

    public init(host: String, category: Category, kind: FindingKind, severity: Severity, subject: String,
                before: String? = nil, after: String? = nil, message: String) {
        self.host = host
        self.category = category
        self.kind = kind
        self.severity = severity
        self.subject = subject
        self.before = before
        self.after = after
        self.message = message
    }
}
