import Model

/// Reads the `transactions` step's lines (see ``TransactionsSection``). Pure; never fails: a
/// line it cannot read is skipped and counted in a note.
enum TransactionsParser {
    static func parse(_ text: String) -> (value: PackageTransactions?, notes: [String]) {
        var value = PackageTransactions()
        var seenWindow = false
        var skipped = 0
        var files: [String: [String]] = [:]
        var order: [String] = []
        for line in text.lines() {
            guard line.count > 2, line.dropFirst().first == " " else { if !line.isEmpty { skipped += 1 }; continue }
            let rest = line.dropFirst(2)
            switch line.first {
            case "P":
                let parts = rest.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
                value.since = String(parts[0])
                if parts.count > 1, !parts[1].isEmpty { value.utcOffset = String(parts[1]) }
                seenWindow = true
            case "C":
                // date time action name:arch old new
                let w = rest.split(separator: " ", omittingEmptySubsequences: true)
                guard w.count >= 6 else { skipped += 1; continue }
                let (name, arch) = nameArch(w[3])
                value.changes.append(PackageChangeRecord(at: "\(w[0]) \(w[1])", action: String(w[2]), name: name, arch: arch,
                                                         old: version(w[4]), new: version(w[5])))
            case "I":
                // rpm: installtime name arch version
                let w = rest.split(separator: " ", omittingEmptySubsequences: true)
                guard w.count >= 4 else { skipped += 1; continue }
                value.changes.append(PackageChangeRecord(at: "@" + w[0], action: "install", name: String(w[1]), arch: String(w[2]),
                                                         old: nil, new: String(w[3])))
            case "R":
                let f = rest.split(separator: "|", maxSplits: 4, omittingEmptySubsequences: false)
                guard f.count == 5, !f[0].isEmpty else { skipped += 1; continue }
                value.runs.append(PackageRun(start: String(f[0]), end: f[1].isEmpty ? nil : String(f[1]),
                                             command: String(f[2].prefix(80)), packages: Int(f[3]) ?? 0,
                                             error: f[4].isEmpty ? nil : String(f[4].prefix(200))))
            case "F":
                guard let space = rest.firstIndex(of: " ") else { skipped += 1; continue }
                let package = String(rest[..<space])
                if files[package] == nil { order.append(package) }
                files[package, default: []].append(String(rest[rest.index(after: space)...]))
            case "T":
                value.truncated = true
            default:
                skipped += 1
            }
        }
        guard seenWindow else {
            return (nil, skipped > 0 ? ["transactions: the step's output had no window line; nothing read"] : [])
        }
        value.files = order.sorted().map { PackageFiles(package: $0, files: files[$0]!.sorted()) }
        var notes: [String] = []
        if skipped > 0 { notes.append("transactions: \(skipped) unreadable line(s) skipped") }
        if value.truncated == true { notes.append("transactions: the package log or file lists were cut at their bounds; the newest entries were kept") }
        return (value, notes)
    }

    /// Reads the changelog step's lines (see ``TransactionsSection/changelogBody``): `V name new
    /// ok|cut id...` per upgraded package whose newer entries name ids, `K n` changelogs read,
    /// `T fixes` when the package bound was reached. nil without the `K` line (the step did not
    /// end). Pure; never fails.
    static func parseFixes(_ text: String) -> (value: [PackageFix]?, truncated: Bool, notes: [String]) {
        var fixes: [String: PackageFix] = [:]
        var read = false, truncated = false, skipped = 0
        var partial: [String] = []
        for line in text.lines() {
            let w = line.split(separator: " ", omittingEmptySubsequences: true)
            guard !w.isEmpty, w[0].count == 1 else { if !line.isEmpty { skipped += 1 }; continue }
            switch line.first {
            case "V":
                guard w.count >= 5, w[3] == "ok" || w[3] == "cut" else { skipped += 1; continue }
                var fix = PackageFix(package: String(w[1]), version: String(w[2]), partial: w[3] == "cut" ? true : nil)
                for id in w.dropFirst(4) {
                    if isCVE(id) { fix.cves.append(String(id)) } else if isAdvisory(id) { fix.advisories.append(String(id)) } else { skipped += 1 }
                }
                guard !fix.cves.isEmpty || !fix.advisories.isEmpty else { continue }
                fix.cves = Array(Set(fix.cves)).sorted(by: idOrder)
                fix.advisories = Array(Set(fix.advisories)).sorted(by: idOrder)
                if fix.partial == true { partial.append(fix.package) }
                fixes[fix.package] = fix
            case "K" where w.count == 2 && Int(w[1]) != nil:
                read = true
            case "T":
                truncated = true
            default:
                skipped += 1
            }
        }
        var notes: [String] = []
        if skipped > 0 { notes.append("transactions: \(skipped) unreadable changelog line(s) or id(s) skipped") }
        if truncated { notes.append("transactions: more upgraded packages than \(TransactionsSection.changelogPackages): the others' changelogs were not read") }
        if !partial.isEmpty {
            notes.append("transactions: the changelogs of \(partial.sorted().prefix(5).joined(separator: ", "))\(partial.count > 5 ? " (+\(partial.count - 5) more)" : "") "
                + "did not reach the old version's entry within their bounds: their fixes are read from the newest entries only")
        }
        return (read ? fixes.values.sorted { $0.package < $1.package } : nil, truncated, notes)
    }

    /// `CVE-2024-0727`: four digits of year, four or more of number.
    static func isCVE(_ s: Substring) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "CVE" && parts[1].count == 4 && parts[2].count >= 4 && parts[2].count <= 9
            && (parts[1] + parts[2]).allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// `DSA-5678-1`, `DLA-3456-1`, `DSA-5678`.
    static func isAdvisory(_ s: Substring) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        return (2...3).contains(parts.count) && (parts[0] == "DSA" || parts[0] == "DLA")
            && parts.dropFirst().allSatisfy { !$0.isEmpty && $0.count <= 9 && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    /// Ids by their numbers (CVE-2024-999 before CVE-2024-1000), then as text.
    static func idOrder(_ a: String, _ b: String) -> Bool {
        let x = a.split(separator: "-"), y = b.split(separator: "-")
        if x.count == y.count, x.first == y.first {
            let xn = x.dropFirst().map { Int($0) ?? 0 }, yn = y.dropFirst().map { Int($0) ?? 0 }
            if xn != yn { return xn.lexicographicallyPrecedes(yn) }
        }
        return a < b
    }

    /// `libssl3:amd64` → ("libssl3", "amd64"); dpkg logs `name:arch` (or a bare name for old dpkg).
    static func nameArch(_ s: Substring) -> (String, String) {
        guard let colon = s.firstIndex(of: ":") else { return (String(s), "") }
        return (String(s[..<colon]), String(s[s.index(after: colon)...]))
    }

    /// dpkg writes `<none>` for the side that does not exist.
    static func version(_ s: Substring) -> String? { s == "<none>" ? nil : String(s) }
}
