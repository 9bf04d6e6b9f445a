import Model

/// zypper (SUSE), all with `--no-refresh`: `list-updates` (the pending updates), `list-patches`
/// (each applicable patch's category, severity and status) and `info -t patch` for those
/// patches (the packages each one updates: its "Conflicts" lines; its date). Captures:
/// Tests/Fixtures/collect/rpm-advisories/ (zypper 1.14 against a real repository with updateinfo.xml).
enum ZypperParser {
    /// `list-updates`: "v | pp-updates | ppssl | 1.0-1 | 1.1-1 | noarch" under a header naming the columns.
    static func listUpdates(_ text: String) -> (items: [PendingUpdate], notes: [String]) {
        var items: [PendingUpdate] = []
        for row in table(text, columns: ["Name", "Current Version", "Available Version", "Arch"]) {
            guard !row[0].isEmpty, !row[2].isEmpty else { continue }
            items.append(PendingUpdate(name: row[0], arch: row[3].isEmpty ? nil : row[3],
                                       currentVersion: row[1].isEmpty ? nil : row[1], candidateVersion: row[2], security: false))
        }
        return (items, [])
    }

    /// One applicable patch of `list-patches`.
    struct Patch: Equatable {
        var id: String
        var type: AdvisoryType
        var severity: AdvisorySeverity?
        /// "needed", "optional", "applied", ...
        var status: String
    }

    /// `list-patches`: "pp-updates | PPSA-2026:0101 | security | critical | --- | needed | Summary".
    static func listPatches(_ text: String) -> [Patch] {
        table(text, columns: ["Name", "Category", "Severity", "Status"]).compactMap { row in
            guard !row[0].isEmpty else { return nil }
            return Patch(id: row[0], type: AdvisoryType(text: row[1]), severity: AdvisorySeverity(text: row[2]), status: row[3])
        }
    }

    /// What `info -t patch` says of one patch: its date and the packages it updates.
    struct PatchInfo: Equatable {
        var issued: String?
        var packages: [String] = []
    }

    /// `info -t patch A B`: "Information for patch A:" blocks with "Name        : A",
    /// "Created On  : Tue Nov  3 09:30:00 2026" and "Conflicts   : ppssl < 1.1-1", or
    /// "Conflicts   : [2]" followed by indented "ppssl < 1.1-1" lines. "srcpackage:" entries
    /// are source packages; an ".x86_64" suffix names the architecture, not the package.
    static func patchInfo(_ text: String) -> [String: PatchInfo] {
        var out: [String: PatchInfo] = [:]
        var name: String?
        var inConflicts = false
        func add(_ entry: Substring) {
            guard let name, let word = entry.split(separator: " ").first, !word.hasPrefix("srcpackage:") else { return }
            var package = word
            if let dot = word.lastIndex(of: "."), knownArches.contains(String(word[word.index(after: dot)...])) {
                package = word[..<dot]
            }
            if !package.isEmpty, out[name]?.packages.contains(String(package)) == false, (out[name]?.packages.count ?? 0) < 500 {
                out[name]?.packages.append(String(package))
            }
        }
        for line in text.lines() {
            if line.hasPrefix(" ") || line.hasPrefix("\t") {
                if inConflicts { add(line.trimmingBlanks()) }
                continue
            }
            inConflicts = false
            guard let colon = line.firstIndex(of: ":") else { continue }
            let label = line[..<colon].trimmingBlanks()
            let value = line[line.index(after: colon)...].trimmingBlanks()
            switch label {
            case "Name":
                name = value.isEmpty ? nil : String(value)
                if let name, out[name] == nil { out[name] = PatchInfo() }
            case "Created On": if let name { out[name]?.issued = day(value) }
            case "Conflicts":
                inConflicts = true
                if !value.hasPrefix("[") { add(value) }
            default: break
            }
        }
        return out
    }

    /// The updates with the patches that update them (worst first, bounded); `security` when one is.
    /// Patches already applied or not applicable are not pending and are left out.
    static func attach(_ items: [PendingUpdate], patches: [Patch], info: [String: PatchInfo]) -> [PendingUpdate] {
        var byPackage: [String: [Advisory]] = [:]
        for p in patches where p.status == "needed" || p.status == "optional" {
            let advisory = Advisory(id: p.id, type: p.type, severity: p.severity, issued: info[p.id]?.issued)
            for package in info[p.id]?.packages ?? [] where byPackage[package]?.contains(advisory) != true {
                byPackage[package, default: []].append(advisory)
            }
        }
        return items.map { item in
            var u = item
            guard let found = byPackage[u.name] else { return u }
            u.advisories = Array(DnfAdvisoriesParser.sortedWorstFirst(found).prefix(Advisory.maxPerUpdate))
            if found.contains(where: { $0.type == .security }) { u.security = true }
            return u
        }
    }

    static let knownArches: Set<String> = ["noarch", "x86_64", "aarch64", "i586", "i686", "ppc64le", "s390x", "armv7hl"]

    /// "Tue Nov  3 09:30:00 2026" (zypper's C-locale date) -> "2026-11-03".
    static func day(_ text: Substring) -> String? {
        let f = text.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard f.count == 5, let m = months.firstIndex(of: String(f[1])), let d = Int(f[2]), (1...31).contains(d),
              f[4].count == 4, let y = Int(f[4]), y > 1970 else { return nil }
        return "\(y)-\(m < 9 ? "0" : "")\(m + 1)-\(d < 10 ? "0" : "")\(d)"
    }

    /// The rows of a zypper table ("a | b | c" under a header and a "---+---" rule), as the
    /// cells of `columns` ("" for a column the header lacks). Lines before the header are skipped.
    static func table(_ text: String, columns: [String]) -> [[String]] {
        var index: [Int]?
        var rows: [[String]] = []
        for line in text.lines() where line.contains("|") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { String($0.trimmingBlanks()) }
            guard let at = index else {
                if columns.allSatisfy(cells.contains) { index = columns.map { cells.firstIndex(of: $0) ?? 0 } }
                continue
            }
            if cells.allSatisfy({ $0.allSatisfy { $0 == "-" || $0 == "+" } }) { continue }
            rows.append(at.map { $0 < cells.count ? cells[$0] : "" })
        }
        return rows
    }
}
