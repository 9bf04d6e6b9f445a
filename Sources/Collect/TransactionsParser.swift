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

    /// `libssl3:amd64` → ("libssl3", "amd64"); dpkg logs `name:arch` (or a bare name for old dpkg).
    static func nameArch(_ s: Substring) -> (String, String) {
        guard let colon = s.firstIndex(of: ":") else { return (String(s), "") }
        return (String(s[..<colon]), String(s[s.index(after: colon)...]))
    }

    /// dpkg writes `<none>` for the side that does not exist.
    static func version(_ s: Substring) -> String? { s == "<none>" ? nil : String(s) }
}
