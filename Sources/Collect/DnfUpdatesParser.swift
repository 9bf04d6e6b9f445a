import Model

/// `dnf check-update` / `yum check-update` (exit 100 when updates exist); `securityNames` reads
/// `updateinfo list --security` (the section now reads every advisory: ``DnfAdvisoriesParser``).
enum DnfUpdatesParser {
    /// "name.arch  version-release  repo" rows; yum wraps a long name onto its own line,
    /// so a lone "name.arch" is joined with the next line. Stops at "Obsoleting Packages".
    static func checkUpdate(_ text: String, security: Set<String>) -> (items: [PendingUpdate], notes: [String]) {
        var items: [PendingUpdate] = []
        var carried: [Substring] = []
        for line in text.lines() {
            if line.hasPrefix("Obsoleting Packages") || line.hasPrefix("Security:") { break }
            var f = line.split(separator: " ")
            if f.count == 1, f[0].contains("."), carried.isEmpty { carried = f; continue }
            if !carried.isEmpty { f = carried + f; carried = [] }
            guard f.count == 3, let dot = f[0].lastIndex(of: ".") else { continue }
            let name = String(f[0][..<dot])
            let arch = String(f[0][f[0].index(after: dot)...])
            guard !name.isEmpty, f[1].contains("-") else { continue }
            items.append(PendingUpdate(name: name, arch: arch, candidateVersion: String(f[1]),
                                       security: security.contains("\(name).\(arch)")))
        }
        return (items, [])
    }

    /// "RHSA-2020:1234 Important/Sec. kernel-3.10.0-1127.el7.x86_64" -> {"kernel.x86_64"}.
    static func securityNames(_ text: String) -> Set<String> {
        var out: Set<String> = []
        for line in text.lines() {
            guard let nevra = line.split(separator: " ").last, let na = nameArch(nevra) else { continue }
            out.insert(na)
        }
        return out
    }

    /// "name-version-release.arch" -> "name.arch"; nil when the shape does not fit.
    static func nameArch(_ nevra: Substring) -> String? {
        guard let dot = nevra.lastIndex(of: ".") else { return nil }
        let arch = nevra[nevra.index(after: dot)...]
        let nvr = nevra[..<dot]
        guard let r = nvr.lastIndex(of: "-") else { return nil }
        guard let v = nvr[..<r].lastIndex(of: "-") else { return nil }
        let name = nvr[..<v]
        guard !name.isEmpty, !arch.isEmpty else { return nil }
        return "\(name).\(arch)"
    }
}

/// `apk version -l '<'`: "busybox-1.36.1-r5   < 1.36.1-r6". apk versions hold no "-" except
/// before the release ("-r5"), so the name is what precedes the last two "-" parts.
enum ApkUpgradesParser {
    static func parse(_ text: String) -> (items: [PendingUpdate], notes: [String]) {
        var items: [PendingUpdate] = []
        for line in text.lines() {
            let f = line.split(separator: " ")
            guard f.count >= 3, f[1] == "<", let r = f[0].lastIndex(of: "-"),
                  let v = f[0][..<r].lastIndex(of: "-") else { continue }
            items.append(PendingUpdate(name: String(f[0][..<v]),
                                       currentVersion: String(f[0][f[0].index(after: v)...]),
                                       candidateVersion: String(f[2]), security: false))
        }
        return (items, [])
    }
}
