import Foundation

/// One host's patch state: what the patch installed (verify, drift: against the baseline), what
/// failed, what waits for a reboot or still runs replaced code, what is still missing and how
/// old the oldest missing security fix is, what the patch fixed, and whether the host complies
/// with the policy. In every report, and in the JSON report as each host's `patch`.
/// `postpatch assess` fills it without a baseline (`installed` nil, `fixed` empty).
public struct PatchRecord: Codable, Sendable, Equatable {
    /// Package changes since the baseline; nil without one (assess).
    public var installed: PatchInstalled?
    /// Packages not fully installed: "rsyslog (unpacked)".
    public var failed: [String]
    /// What the host needs a reboot for: the packages it names, else its reasons; empty when it needs none.
    public var pendingReboot: [String]
    /// Installed, not in effect: a package whose replaced code still runs, or whose fix waits for a reboot.
    public var notInEffect: [NotInEffect]
    /// Pending updates by severity; nil when the capture did not ask for them (`--skip-pending-updates`).
    public var missing: MissingUpdates?
    /// The oldest pending security fix; nil when none is pending.
    public var oldestMissingSecurity: OldestMissingFix?
    /// What the patch fixed (CVE and advisory ids by package); empty without a baseline.
    public var fixed: [PackageFix]
    /// `rules: max_security_age_days` in force for the host; nil: none set (age is not held against it).
    public var maxSecurityAgeDays: Int?
    /// Why the host is not compliant, one sentence each; empty when it is.
    public var nonCompliance: [String]

    public init(installed: PatchInstalled? = nil, failed: [String] = [], pendingReboot: [String] = [],
                notInEffect: [NotInEffect] = [], missing: MissingUpdates? = nil,
                oldestMissingSecurity: OldestMissingFix? = nil, fixed: [PackageFix] = [],
                maxSecurityAgeDays: Int? = nil, nonCompliance: [String] = []) {
        self.installed = installed
        self.failed = failed
        self.pendingReboot = pendingReboot
        self.notInEffect = notInEffect
        self.missing = missing
        self.oldestMissingSecurity = oldestMissingSecurity
        self.fixed = fixed
        self.maxSecurityAgeDays = maxSecurityAgeDays
        self.nonCompliance = nonCompliance
    }

    /// Compliant: no security fix missing for longer than the policy allows, no package broken,
    /// nothing waiting for a reboot, nothing installed but not in effect.
    public var compliant: Bool { nonCompliance.isEmpty }

    /// The CVE ids the patch fixed, each once, sorted.
    public var cvesFixed: [String] { Array(Set(fixed.flatMap(\.cves))).sorted() }

    /// The reasons, in one order: failed, overdue, not in effect, pending reboot.
    public static func nonCompliance(failed: [String], overdue: String?, notInEffect: [NotInEffect],
                                     pendingReboot: [String]) -> [String] {
        var out: [String] = []
        func names(_ list: [String]) -> String {
            list.count > 5 ? list.prefix(5).joined(separator: ", ") + " (+\(list.count - 5) more)" : list.joined(separator: ", ")
        }
        if !failed.isEmpty { out.append("\(failed.count) package\(failed.count == 1 ? "" : "s") not fully installed: \(names(failed))") }
        if let overdue { out.append(overdue) }
        if !notInEffect.isEmpty {
            out.append("\(notInEffect.count) installed but not in effect: \(names(notInEffect.map(\.package)))")
        }
        if !pendingReboot.isEmpty { out.append("reboot pending for \(names(pendingReboot))") }
        return out
    }
}

/// What the patch changed, from the two package lists.
public struct PatchInstalled: Codable, Sendable, Equatable {
    public var upgraded: [PackageVersionChange]
    public var new: [InstalledVersion]
    public var removed: [InstalledVersion]

    public init(upgraded: [PackageVersionChange] = [], new: [InstalledVersion] = [], removed: [InstalledVersion] = []) {
        self.upgraded = upgraded
        self.new = new
        self.removed = removed
    }

    public var count: Int { upgraded.count + new.count + removed.count }
}

public struct InstalledVersion: Codable, Sendable, Equatable {
    public var name: String
    public var arch: String?
    public var version: String
    public init(name: String, arch: String?, version: String) {
        self.name = name
        self.arch = arch
        self.version = version
    }
}

/// An upgrade (or downgrade) of one package: `from` the baseline's version `to` the current one.
public struct PackageVersionChange: Codable, Sendable, Equatable {
    public var name: String
    public var arch: String?
    public var from: String
    public var to: String
    public init(name: String, arch: String?, from: String, to: String) {
        self.name = name
        self.arch = arch
        self.from = from
        self.to = to
    }
}

/// A package installed but not in effect, with the ids its fix closes (when known) and why.
public struct NotInEffect: Codable, Sendable, Equatable {
    /// The package, or (without a baseline, in assess) the unit that runs replaced code.
    public var package: String
    public var ids: [String]
    public var reasons: [String]
    public init(package: String, ids: [String] = [], reasons: [String]) {
        self.package = package
        self.ids = ids
        self.reasons = reasons
    }
}

/// Pending updates counted by what they fix: security ones by the worst severity their
/// advisories give (`unknown` where the manager names none: apt's), and the others.
public struct MissingUpdates: Codable, Sendable, Equatable {
    public var critical = 0, important = 0, moderate = 0, low = 0, unknown = 0
    /// Updates that are not security fixes.
    public var other = 0

    public init() {}

    public init(_ updates: [PendingUpdate]) {
        for u in updates {
            guard u.security else { other += 1; continue }
            add(u.severity)
        }
    }

    public var security: Int { critical + important + moderate + low + unknown }
    public var total: Int { security + other }

    /// The security count for a severity; nil is `unknown`.
    public func count(_ severity: AdvisorySeverity?) -> Int {
        switch severity {
        case .critical: return critical
        case .important: return important
        case .moderate: return moderate
        case .low: return low
        case nil: return unknown
        }
    }

    mutating func add(_ severity: AdvisorySeverity?, _ n: Int = 1) {
        switch severity {
        case .critical: critical += n
        case .important: important += n
        case .moderate: moderate += n
        case .low: low += n
        case nil: unknown += n
        }
    }

    public static func + (a: Self, b: Self) -> Self {
        var s = a
        for severity in [AdvisorySeverity.critical, .important, .moderate, .low] as [AdvisorySeverity?] + [nil] {
            s.add(severity, b.count(severity))
        }
        s.other += b.other
        return s
    }

    /// Labels for reports and metrics, worst first: the severities, then `unknown` and `other`.
    public static let labels = ["critical", "important", "moderate", "low", "unknown", "other"]

    public func count(label: String) -> Int {
        switch label {
        case "other": return other
        case "unknown": return unknown
        default: return count(AdvisorySeverity(rawValue: label))
        }
    }
}

/// The oldest pending security fix: since when it is missing, by the earlier of the first time
/// PostPatch saw it pending on the host and the date its advisory was issued.
public struct OldestMissingFix: Codable, Sendable, Equatable {
    public var package: String
    public var candidateVersion: String
    public var since: Date
    /// "advisory" (the advisory's issued date) or "first-seen" (PostPatch's first sight of it on the host).
    public var source: String
    /// Seconds from `since` to the capture.
    public var ageSeconds: Int

    public init(package: String, candidateVersion: String, since: Date, source: String, ageSeconds: Int) {
        self.package = package
        self.candidateVersion = candidateVersion
        self.since = since
        self.source = source
        self.ageSeconds = ageSeconds
    }

    public var ageDays: Int { ageSeconds / 86_400 }
}

/// The fleet's patch state: the hosts' records summed, and how many comply.
public struct FleetPatchSummary: Codable, Sendable, Equatable {
    public var hosts: Int
    public var compliant: Int
    public var upgraded: Int
    public var new: Int
    public var removed: Int
    public var failed: Int
    public var pendingReboot: Int
    public var notInEffect: Int
    public var missing: MissingUpdates
    public var cvesFixed: Int
    /// The oldest missing security fix on any host, in seconds; nil when none is missing.
    public var oldestMissingSecuritySeconds: Int?

    public init(_ records: [PatchRecord]) {
        hosts = records.count
        compliant = records.filter(\.compliant).count
        upgraded = records.reduce(0) { $0 + ($1.installed?.upgraded.count ?? 0) }
        new = records.reduce(0) { $0 + ($1.installed?.new.count ?? 0) }
        removed = records.reduce(0) { $0 + ($1.installed?.removed.count ?? 0) }
        failed = records.reduce(0) { $0 + $1.failed.count }
        pendingReboot = records.filter { !$0.pendingReboot.isEmpty }.count
        notInEffect = records.reduce(0) { $0 + $1.notInEffect.count }
        missing = records.reduce(MissingUpdates()) { $0 + ($1.missing ?? MissingUpdates()) }
        cvesFixed = records.reduce(0) { $0 + $1.cvesFixed.count }
        oldestMissingSecuritySeconds = records.compactMap(\.oldestMissingSecurity?.ageSeconds).max()
    }

    /// The compliance line every report shows under its host table.
    public var line: String {
        var s = "Patch compliance: \(compliant) of \(hosts) host\(hosts == 1 ? "" : "s") compliant"
        s += "; missing security fixes: \(missing.security)"
        if missing.security > 0 {
            let parts = ["critical", "important", "moderate", "low", "unknown"].compactMap { l in
                missing.count(label: l) > 0 ? "\(missing.count(label: l)) \(l)" : nil
            }
            s += " (\(parts.joined(separator: ", ")))"
        }
        if let oldest = oldestMissingSecuritySeconds { s += ", oldest \(oldest / 86_400) days" }
        s += "; other updates: \(missing.other)"
        if pendingReboot > 0 { s += "; \(pendingReboot) awaiting reboot" }
        if notInEffect > 0 { s += "; \(notInEffect) installed but not in effect" }
        if failed > 0 { s += "; \(failed) broken package\(failed == 1 ? "" : "s")" }
        if upgraded + new + removed > 0 { s += "; installed: \(upgraded) upgraded, \(new) new, \(removed) removed" }
        if cvesFixed > 0 { s += "; \(cvesFixed) CVEs fixed" }
        return s
    }
}

extension PatchRecord {
    /// Worst first: not compliant, then broken packages, not in effect, reboot, missing critical …
    /// low, unknown, the oldest fix's age. The order of the patch tables in every report.
    public static func worseFirst(_ a: PatchRecord, _ b: PatchRecord) -> Bool {
        func key(_ r: PatchRecord) -> [Int] {
            [r.compliant ? 0 : 1, r.failed.count, r.notInEffect.count, r.pendingReboot.isEmpty ? 0 : 1,
             r.missing?.critical ?? 0, r.missing?.important ?? 0, r.missing?.moderate ?? 0, r.missing?.low ?? 0,
             r.missing?.unknown ?? 0, r.oldestMissingSecurity?.ageSeconds ?? 0, r.missing?.other ?? 0]
        }
        let ka = key(a), kb = key(b)
        for (x, y) in zip(ka, kb) where x != y { return x > y }
        return false
    }
}
