import Model

/// The sysctl step's output: `conf FILE KEY VALUE` lines (tab-separated, the files in the order
/// the host listed them) and `value KEY VALUE` lines (/proc/sys). Pure, never throws, bounded.
enum SysctlParser {
    /// Keys kept at most (the defaults and what the host's files set).
    static let keyLimit = 2000
    /// The folders systemd-sysctl reads, in precedence order: a file name in an earlier folder
    /// hides the same name in a later one; `/etc/sysctl.conf` is read last.
    static let folders = ["/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d"]

    static func parse(_ text: String) -> (items: [KernelSetting], notes: [String]) {
        var assignments: [(file: String, key: String, value: String)] = []
        var values: [String: String] = [:]
        var odd = 0
        for raw in text.split(separator: "\n").prefix(keyLimit * 3) {
            let parts = raw.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if parts.first == "conf", parts.count >= 4 {
                assignments.append((parts[1], normalizeKey(parts[2]), squeeze(parts[3...].joined(separator: " "))))
            } else if parts.first == "value", parts.count >= 3 {
                if values.count < keyLimit { values[parts[1]] = squeeze(parts[2...].joined(separator: " ")) }
            } else {
                odd += 1
            }
        }
        let persisted = effective(assignments)
        let items = values.keys.sorted().map { key in
            KernelSetting(key: key, value: values[key]!, persisted: persisted[key]?.value, persistedIn: persisted[key]?.file)
        }
        return (items, odd > 0 ? ["sysctl: \(odd) line\(odd == 1 ? "" : "s") not understood"] : [])
    }

    /// What systemd-sysctl applies at boot: the files ordered by name (a name in an earlier
    /// folder hiding the same name in a later one), `/etc/sysctl.conf` last; the last
    /// assignment of a key wins. Keys with globs are left out (they name many keys).
    static func effective(_ assignments: [(file: String, key: String, value: String)]) -> [String: (value: String, file: String)] {
        func folder(_ file: String) -> String { String(file[..<(file.lastIndex(of: "/") ?? file.startIndex)]) }
        func name(_ file: String) -> String { file.split(separator: "/").last.map(String.init) ?? file }
        var chosen: [String: String] = [:]  // file name -> the path that wins it
        for file in Set(assignments.map(\.file)) where file != "/etc/sysctl.conf" {
            let n = name(file)
            let rank = folders.firstIndex(of: folder(file)) ?? folders.count
            if let current = chosen[n], (folders.firstIndex(of: folder(current)) ?? folders.count) <= rank { continue }
            chosen[n] = file
        }
        let order = chosen.keys.sorted().compactMap { chosen[$0] } + ["/etc/sysctl.conf"]
        var out: [String: (value: String, file: String)] = [:]
        for file in order {
            for a in assignments where a.file == file && !a.key.contains("*") { out[a.key] = (a.value, file) }
        }
        return out
    }

    /// "net/ipv4/ip_forward" and "-net.ipv4.ip_forward" (a leading `-`: errors ignored) are
    /// "net.ipv4.ip_forward".
    static func normalizeKey(_ key: String) -> String {
        var k = key.trimmingCharacters(in: .whitespaces)
        if k.hasPrefix("-") { k.removeFirst() }
        return k.contains(".") ? k : k.replacingOccurrences(of: "/", with: ".")
    }

    static func squeeze(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
