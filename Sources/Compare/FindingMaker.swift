import Model

/// Turns a finding kind into a `Finding` for one host, applying the `policy:` severity overrides.
/// Every differ part goes through here, so an override can never be missed by one of them.
struct FindingMaker {
    let host: String
    let rules: CompareRules

    func severity(of kind: FindingKind) -> Severity {
        rules.severityOverrides[kind] ?? kind.defaultSeverity
    }

    func make(_ kind: FindingKind, _ subject: String, before: String? = nil, after: String? = nil,
              _ message: String) -> Finding {
        Finding(host: host, kind: kind, severity: severity(of: kind),
                subject: subject, before: before, after: after, message: message)
    }

    /// For a kind whose severity depends on the change (http-status-changed): `severity`, unless
    /// a `policy:` override names the kind, which still wins.
    func make(_ kind: FindingKind, _ subject: String, severity: Severity, before: String? = nil, after: String? = nil,
              _ message: String) -> Finding {
        Finding(host: host, kind: kind, severity: rules.severityOverrides[kind] ?? severity,
                subject: subject, before: before, after: after, message: message)
    }

    /// The checked item for `subject`, carrying its findings (none when it passed).
    func item(_ section: SnapshotSection, _ subject: String, _ findings: [Finding] = []) -> CheckedItem {
        CheckedItem(category: .section(section), subject: subject, findings: findings)
    }

    /// An item about the capture as a whole (a section not captured, or lost).
    func item(_ category: Category, _ subject: String, _ findings: [Finding] = []) -> CheckedItem {
        CheckedItem(category: category, subject: subject, findings: findings)
    }
}
