import Model

/// dnf/yum `updateinfo list` (which advisory names which pending package) and `updateinfo info`
/// (each advisory's type, severity, date and CVE ids), from the cached metadata. Captures:
/// Tests/Fixtures/collect/rpm-advisories/ (dnf 4.14 against a real repository with updateinfo.xml).
enum DnfAdvisoriesParser {
    /// One `updateinfo list` row: the advisory, what its label says, the package it names.
    struct Row: Equatable {
        var id: String
        var type: AdvisoryType
        var severity: AdvisorySeverity?
        /// "name.arch" of the package the advisory updates.
        var nameArch: String
        /// dnf5 prints the date in the list; dnf 4 and yum only in `info`.
        var issued: String? = nil
    }

    /// "PPSA-2026:0101 Critical/Sec.  ppssl-1.1-1.noarch", "PPBA-2026:0103 bugfix pptool-1.1-1.noarch"
    /// (dnf 4 and yum print the same columns; yum adds a "Loaded plugins" line without -q,
    /// and "updateinfo list done" at the end). Security rows carry the severity: "Unknown/Sec." when none.
    static func list(_ text: String) -> (rows: [Row], notes: [String]) {
        var rows: [Row] = []
        for line in text.lines() {
            let f = line.split(separator: " ")
            // dnf5 (`updateinfo` is its `advisory`): "Name Type Severity Package Issued" columns,
            // "FEDORA-2024-1 security Moderate curl-0:8.6.0-7.fc40.x86_64 2024-04-17 01:33:41".
            // Shape from dnf5's documentation and its users' parsers: Debian ships no dnf5 to capture.
            if f.count >= 5, f[0] != "Name", let na = DnfUpdatesParser.nameArch(f[3]), let issued = day(f[4]) {
                rows.append(Row(id: String(f[0]), type: AdvisoryType(text: String(f[1])), severity: AdvisorySeverity(text: String(f[2])),
                                nameArch: na, issued: issued))
                continue
            }
            guard f.count == 3, let na = DnfUpdatesParser.nameArch(f[2]) else { continue }
            let label = f[1]
            var type = AdvisoryType(text: String(label))
            var severity: AdvisorySeverity?
            if let slash = label.firstIndex(of: "/") {
                guard AdvisoryType(text: String(label[label.index(after: slash)...])) == .security else { continue }
                type = .security
                severity = AdvisorySeverity(text: String(label[..<slash]))
            }
            rows.append(Row(id: String(f[0]), type: type, severity: severity, nameArch: na))
        }
        return (rows, [])
    }

    /// `updateinfo info` blocks, by advisory id. dnf 4: "  Update ID: X", "    Updated: 2026-11-03
    /// 09:30:00", "       CVEs: CVE-…" with "           : CVE-…" continuation lines, "   Severity:
    /// Critical"; yum 3 spaces the colon ("  Update ID : X") and says "Issued". The collector
    /// drops the other fields on the host (descriptions run to kilobytes); they are skipped here too.
    static func info(_ text: String) -> [String: Advisory] {
        var out: [String: Advisory] = [:]
        var current: Advisory?
        var key = ""
        func flush() {
            guard let a = current else { return }
            out[a.id] = Advisory(id: a.id, type: a.type, severity: a.severity, issued: a.issued,
                                 cves: Array(Set(a.cves)).sorted())
            current = nil
        }
        for line in text.lines() {
            guard let colon = line.firstIndex(of: ":") else { key = ""; continue }
            let label = line[..<colon].trimmingBlanks()
            let value = line[line.index(after: colon)...].trimmingBlanks()
            if !label.isEmpty { key = String(label) }
            switch key {
            case "Update ID":
                flush()
                if !value.isEmpty { current = Advisory(id: String(value), type: .other) }
            case "Type": if !label.isEmpty { current?.type = AdvisoryType(text: String(value)) }
            case "Updated", "Issued": if !label.isEmpty { current?.issued = day(value) }
            case "Severity": if !label.isEmpty { current?.severity = AdvisorySeverity(text: String(value)) }
            case "CVEs":
                for word in value.split(separator: " ") where isCVE(word) && (current?.cves.count ?? .max) < 4 * Advisory.maxCVEs {
                    current?.cves.append(String(word))
                }
            default: break
            }
        }
        flush()
        return out
    }

    /// The updates with the advisories that name them (worst first, bounded) and `security`
    /// set when one is a security advisory. Updates no advisory names keep `advisories` nil.
    static func attach(_ items: [PendingUpdate], rows: [Row], info: [String: Advisory]) -> [PendingUpdate] {
        var byPackage: [String: [Advisory]] = [:]
        for row in rows {
            var a = info[row.id] ?? Advisory(id: row.id, type: row.type, severity: row.severity, issued: row.issued)
            if a.type == .other { a.type = row.type }
            if a.severity == nil { a.severity = row.severity }
            if byPackage[row.nameArch]?.contains(where: { $0.id == a.id }) == true { continue }
            byPackage[row.nameArch, default: []].append(a)
        }
        return items.map { item in
            var u = item
            guard let found = byPackage["\(u.name).\(u.arch ?? "")"] else { return u }
            u.advisories = Array(sortedWorstFirst(found).prefix(Advisory.maxPerUpdate))
            if found.contains(where: { $0.type == .security }) { u.security = true }
            return u
        }
    }

    /// Worst severity first (unknown last), then security before other types, then by id.
    static func sortedWorstFirst(_ advisories: [Advisory]) -> [Advisory] {
        advisories.sorted {
            let a = $0.severity?.rank ?? AdvisorySeverity.allCases.count, b = $1.severity?.rank ?? AdvisorySeverity.allCases.count
            if a != b { return a < b }
            if ($0.type == .security) != ($1.type == .security) { return $0.type == .security }
            return $0.id < $1.id
        }
    }

    /// "2026-11-03 09:30:00" -> "2026-11-03". libsolv reads a date-only `issued` as 0, and dnf
    /// then prints "1970-01-01 00:00:00" (seen in the capture): that is no date.
    static func day(_ text: Substring) -> String? {
        let d = text.prefix(10)
        let digits = d.enumerated().allSatisfy { i, c in (i == 4 || i == 7) ? c == "-" : c.isASCII && c.isNumber }
        guard d.count == 10, digits, !d.hasPrefix("1970-01-01") else { return nil }
        return String(d)
    }

    /// "CVE-2026-10001".
    static func isCVE(_ word: Substring) -> Bool {
        let parts = word.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "CVE" && parts[1].count == 4 && parts[2].count >= 4 && parts[2].count <= 12
            && (parts[1] + parts[2]).allSatisfy { $0.isASCII && $0.isNumber }
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    func trimmingBlanks() -> Substring {
        let start = firstIndex { $0 != " " && $0 != "\t" } ?? endIndex
        let end = lastIndex { $0 != " " && $0 != "\t" }.map { index(after: $0) } ?? start
        return self[start..<Swift.max(start, end)]
    }
}
