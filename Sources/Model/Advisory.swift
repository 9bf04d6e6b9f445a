/// An advisory (erratum, patch) a package manager's metadata names for a pending update:
/// dnf/yum `updateinfo`, zypper patches. Read from the host's cached metadata only.
public struct Advisory: Codable, Sendable, Equatable {
    /// "RHSA-2024:1234", "FEDORA-2024-0a1b2c", "openSUSE-SLE-15.5-2024-123".
    public var id: String
    public var type: AdvisoryType
    /// Nil when the metadata gives none ("None", "unspecified").
    public var severity: AdvisorySeverity?
    /// The day (UTC, "YYYY-MM-DD") the manager dates the advisory by. dnf prints the later of
    /// updateinfo's issued and updated dates; zypper its "Created On"; nil when it has none.
    public var issued: String?
    /// CVE ids, sorted, at most ``maxCVEs``.
    public var cves: [String]

    /// Bounds that keep one kernel erratum (hundreds of CVEs) from swelling the snapshot.
    public static let maxCVEs = 50
    /// Advisories kept per update (the worst first).
    public static let maxPerUpdate = 10

    public init(id: String, type: AdvisoryType, severity: AdvisorySeverity? = nil, issued: String? = nil, cves: [String] = []) {
        self.id = id
        self.type = type
        self.severity = severity
        self.issued = issued
        self.cves = Array(cves.prefix(Self.maxCVEs))
    }
}

/// What an advisory fixes, as updateinfo's `type` and zypper's category name it.
public enum AdvisoryType: String, Codable, Sendable, Equatable {
    case security, bugfix, enhancement, newpackage, other

    /// "security", "Sec.", "bugfix", "enhancement", "recommended" (zypper's bugfix), ...; anything else is `other`.
    public init(text: String) {
        switch text.lowercased() {
        case "security", "sec.": self = .security
        case "bugfix", "recommended": self = .bugfix
        case "enhancement", "feature", "optional": self = .enhancement
        case "newpackage": self = .newpackage
        default: self = .other
        }
    }

    /// An older or newer PostPatch may write a type this one does not know: it reads as `other`.
    public init(from decoder: Decoder) throws {
        self = AdvisoryType(rawValue: try decoder.singleValueContainer().decode(String.self)) ?? .other
    }
}

/// Severity as Red Hat, SUSE and Fedora rate advisories; ordered worst first (`<` is worse).
public enum AdvisorySeverity: String, Codable, Sendable, Equatable, Comparable, CaseIterable {
    case critical, important, moderate, low

    /// "Critical", "important", ...; nil for "None", "unspecified", "Unknown" and anything else.
    public init?(text: String) {
        self.init(rawValue: text.lowercased())
    }

    public var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

extension PendingUpdate {
    /// The worst severity of the update's advisories; nil when none is known.
    public var severity: AdvisorySeverity? { advisories?.compactMap(\.severity).min() }
}
