import Model

/// The patch record in words and table cells: one place for what every report says of it
/// (terminal, Markdown, HTML, JUnit; JSON holds the record itself).
public enum PatchLines {
    /// "not compliant: reboot pending for linux-image-amd64 · missing 3 security (1 critical, 2 unknown), 5 other, oldest 12 days (first seen) · installed 3 upgraded · 4 CVEs fixed"
    public static func host(_ r: PatchRecord) -> String {
        var parts = [r.compliant ? "compliant" : "not compliant: " + r.nonCompliance.joined(separator: "; ")]
        parts.append(missing(r))
        if let i = r.installed, i.count > 0 {
            let done = [(i.upgraded.count, "upgraded"), (i.new.count, "new"), (i.removed.count, "removed")]
                .filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
            parts.append("installed " + done.joined(separator: ", "))
        }
        let cves = r.cvesFixed.count
        if cves > 0 { parts.append(Wording.count(cves, "CVE") + " fixed") }
        return parts.joined(separator: " · ")
    }

    /// "missing 3 security (1 critical, 2 unknown), 5 other, oldest 12 days (first seen)", "nothing missing",
    /// or "missing: not asked (--skip-pending-updates)".
    public static func missing(_ r: PatchRecord) -> String {
        guard let m = r.missing else { return "missing updates not asked" }
        if m.total == 0 { return "no update missing" }
        var s = "missing \(m.security) security"
        let bySeverity = MissingUpdates.labels.dropLast().compactMap { l in m.count(label: l) > 0 ? "\(m.count(label: l)) \(l)" : nil }
        if m.security > 0 { s += " (" + bySeverity.joined(separator: ", ") + ")" }
        s += ", \(m.other) other"
        if let o = r.oldestMissingSecurity { s += ", oldest " + age(o) }
        return s
    }

    /// "12 days (first seen)", "49 days (advisory)".
    public static func age(_ o: OldestMissingFix) -> String {
        "\(Wording.count(o.ageDays, "day")) (\(o.source == "advisory" ? "advisory" : "first seen"))"
    }

    /// The patch table's header cells, shared by Markdown and HTML.
    public static let columns = ["Host", "Compliant", "Critical", "Important", "Moderate", "Low", "Unknown", "Other",
                                 "Oldest security fix", "Reboot pending", "Not in effect", "Failed", "Installed", "CVEs fixed"]

    /// One host's cells, in ``columns``' order (text; the caller escapes).
    public static func cells(_ host: String, _ r: PatchRecord) -> [String] {
        let counts = MissingUpdates.labels.map { l in r.missing.map { String($0.count(label: l)) } ?? "?" }
        return [host, r.compliant ? "yes" : "no: " + r.nonCompliance.joined(separator: "; ")] + counts + [
            r.oldestMissingSecurity.map { "\($0.package): " + age($0) } ?? "",
            r.pendingReboot.isEmpty ? "" : r.pendingReboot.joined(separator: ", "),
            r.notInEffect.map(\.package).joined(separator: ", "),
            r.failed.joined(separator: ", "),
            r.installed.map { "\($0.upgraded.count) upgraded, \($0.new.count) new, \($0.removed.count) removed" } ?? "",
            String(r.cvesFixed.count),
        ]
    }

    /// The hosts with a record, worst first (ties in the run's order).
    public static func worstFirst(_ run: VerifyRun) -> [(host: String, record: PatchRecord)] {
        let rows = run.hosts.enumerated().compactMap { i, h in h.patch.map { (i, h.host, $0) } }
        return rows.sorted { a, b in
            if PatchRecord.worseFirst(a.2, b.2) { return true }
            if PatchRecord.worseFirst(b.2, a.2) { return false }
            return a.0 < b.0
        }.map { ($0.1, $0.2) }
    }
}
