import Model

/// Installed Debian packages, from either form:
/// - what the collector runs: `dpkg-query -W -f '${Status}\t${Package}\t${Architecture}\t${Version}\n'`
///   ("install ok installed<TAB>bash<TAB>amd64<TAB>5.2.15-2+b8");
/// - a `dpkg -l` table (the Ubuntu 18.04 fixture), whose columns dpkg cuts to the width in the
///   `+++-====` line: a version exactly that wide may be truncated ("1:1.2.11.dfsg-0ubunt"),
///   which a note says. Multi-arch names there carry ":arch" ("zlib1g:amd64"), removed here.
/// Kept: installed packages (ii, hi, trigger states); dropped: removed ones (rc, un, pn).
/// Packages caught half-way (unpacked, half-configured) are kept and named in a note.
enum DpkgParser {
    static func parse(_ text: String) -> (items: [InstalledPackage], notes: [String]) {
        let lines = text.lines()
        if lines.contains(where: { $0.hasPrefix("+++-") }) { return table(lines) }
        var items: [InstalledPackage] = []
        var halfway: [String] = []
        var bad = 0
        for line in lines {
            let f = line.fields(9, omittingEmpty: false)
            guard f.count >= 4 else { bad += 1; continue }
            let status = f[0].fields(32).last.map(String.init) ?? ""
            guard let state = statusWords[status] else { bad += 1; continue }
            if state == .gone { continue }
            if state == .halfway { halfway.append("\(f[1]) (\(status))") }
            items.append(InstalledPackage(name: String(f[1]), arch: String(f[2]), version: String(f[3]), manager: .dpkg))
        }
        return (items, notes(halfway: halfway, unread: bad, truncated: 0))
    }

    enum State { case installed, halfway, gone }

    static let statusWords: [String: State] = [
        "installed": .installed, "triggers-pending": .installed, "triggers-awaited": .installed,
        "half-configured": .halfway, "unpacked": .halfway, "half-installed": .halfway,
        "config-files": .gone, "not-installed": .gone,
    ]

    /// The status letter (second of the `dpkg -l` state column).
    static let statusLetters: [Character: State] = [
        "i": .installed, "t": .installed, "W": .installed,
        "F": .halfway, "U": .halfway, "H": .halfway,
        "c": .gone, "n": .gone,
    ]

    private static func table(_ lines: [Substring]) -> (items: [InstalledPackage], notes: [String]) {
        var items: [InstalledPackage] = []
        var halfway: [String] = []
        var versionWidth = Int.max
        var inRows = false
        var truncated = 0
        var bad = 0
        for line in lines {
            if line.hasPrefix("+++-") {
                let widths = line.split(separator: "-").map(\.count)
                if widths.count >= 3 { versionWidth = widths[2] }
                inRows = true
                continue
            }
            guard inRows else { continue }
            let f = line.split(separator: " ")
            guard f.count >= 4, f[0].count >= 2 else { bad += 1; continue }
            let letter = f[0][f[0].index(after: f[0].startIndex)]
            guard let state = statusLetters[letter] else { bad += 1; continue }
            if state == .gone { continue }
            let arch = String(f[3])
            var name = String(f[1])
            if name.hasSuffix(":" + arch) { name.removeLast(arch.count + 1) }
            if state == .halfway { halfway.append("\(name) (\(f[0]))") }
            if f[2].count >= versionWidth { truncated += 1 }
            items.append(InstalledPackage(name: name, arch: arch, version: String(f[2]), manager: .dpkg))
        }
        return (items, notes(halfway: halfway, unread: bad, truncated: truncated))
    }

    private static func notes(halfway: [String], unread: Int, truncated: Int) -> [String] {
        var notes: [String] = []
        if !halfway.isEmpty {
            notes.append("packages: not fully installed: \(halfway.sorted().joined(separator: ", "))")
        }
        if unread > 0 { notes.append("packages: \(unread) dpkg lines not understood") }
        if truncated > 0 {
            notes.append("packages: \(truncated) versions fill the dpkg -l column and may be truncated")
        }
        return notes
    }
}
