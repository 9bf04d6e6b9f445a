import Model

/// Installed Debian packages, from either form:
/// - what the collector runs: `dpkg-query -W -f '${Status}\t${Package}\t${Architecture}\t${Version}\n'`
///   ("install ok installed<TAB>bash<TAB>amd64<TAB>5.2.15-2+b8");
/// - a `dpkg -l` table (the Ubuntu 18.04 fixture), whose columns dpkg cuts to the width in the
///   `+++-====` line: a version exactly that wide may be truncated ("1:1.2.11.dfsg-0ubunt"),
///   which a note says. Multi-arch names there carry ":arch" ("zlib1g:amd64"), removed here.
/// Kept: installed packages (ii, hi, trigger states); dropped: removed ones (rc, un, pn).
/// Packages not fully installed (unpacked, half-configured, half-installed, triggers pending or
/// awaited, the reinstreq flag) are kept with their ``PackageState`` and named in a note. An
/// `unpacked` or `half-configured` one carries the version dpkg unpacked (the new one); a
/// `half-installed` one cut short while upgrading still carries the old one. Captures of every
/// state: Tests/Fixtures/collect/debian-12-lab-states_*.
enum DpkgParser {
    static func parse(_ text: String) -> (items: [InstalledPackage], notes: [String]) {
        if text.contains("+++-") {
            let lines = text.lines()
            if lines.contains(where: { $0.hasPrefix("+++-") }) { return table(lines) }
        }
        var text = text
        return text.withUTF8(statusLines)
    }

    /// The `-W` lines, read on their bytes: this is the longest list a capture parses (hundreds
    /// of packages a host), and Substrings per field cost a millisecond a host (docs/bench.md).
    private static func statusLines(_ bytes: UnsafeBufferPointer<UInt8>) -> (items: [InstalledPackage], notes: [String]) {
        var items: [InstalledPackage] = []
        items.reserveCapacity(bytes.count / 48)
        var halfway: [String] = []
        var bad = 0
        func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self) }
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, !(10...13).contains(bytes[lineEnd]) { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            guard lineEnd > lineStart else { continue }
            // Fields at tabs; empty ones count, as dpkg-query prints an empty architecture so.
            var fields: [Range<Int>] = []
            var fieldStart = lineStart
            for i in lineStart..<lineEnd where bytes[i] == 9 {
                fields.append(fieldStart..<i)
                fieldStart = i + 1
            }
            fields.append(fieldStart..<lineEnd)
            guard fields.count >= 4 else { bad += 1; continue }
            // The status is the last of the Status field's words ("install ok installed").
            var statusEnd = fields[0].upperBound
            while statusEnd > fields[0].lowerBound, bytes[statusEnd - 1] == 32 { statusEnd -= 1 }
            var statusStart = statusEnd
            while statusStart > fields[0].lowerBound, bytes[statusStart - 1] != 32 { statusStart -= 1 }
            let status = text(statusStart..<statusEnd)
            guard let state = statusWords[status] else { bad += 1; continue }
            if state == .gone { continue }
            // The flag is the middle word: "ok", or "reinstreq" when dpkg wants a reinstall
            // (compared on the bytes: no String per package on this path).
            var flagStart = fields[0].lowerBound
            while flagStart < statusStart, bytes[flagStart] != 32 { flagStart += 1 }
            let reinst = statusStart - flagStart == reinstreq.count + 2
                && zip(bytes[(flagStart + 1)...], reinstreq).allSatisfy { $0 == $1 } ? true : nil
            let name = text(fields[1])
            let packageState = status == "installed" ? nil : PackageState(status)
            if packageState != nil || reinst != nil { halfway.append(described(name, status, reinst)) }
            items.append(InstalledPackage(name: name, arch: text(fields[2]), version: text(fields[3]), manager: .dpkg,
                                          state: packageState, reinstRequired: reinst))
        }
        return (items, notes(halfway: halfway, unread: bad, truncated: 0))
    }

    private static let reinstreq = Array("reinstreq".utf8)

    enum State { case installed, halfway, gone }

    static let statusWords: [String: State] = [
        "installed": .installed, "triggers-pending": .installed, "triggers-awaited": .installed,
        "half-configured": .halfway, "unpacked": .halfway, "half-installed": .halfway,
        "config-files": .gone, "not-installed": .gone,
    ]

    /// The status letter of a package not fully installed → its state.
    static let letterStates: [Character: PackageState] = [
        "H": .halfInstalled, "U": .unpacked, "F": .halfConfigured, "W": .triggersAwaited, "t": .triggersPending,
    ]

    private static func described(_ name: String, _ status: String, _ reinst: Bool?) -> String {
        "\(name) (\(status)\(reinst == true ? ", reinst-required" : ""))"
    }

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
            // The third letter, when there is one, is the error flag: "R" is reinst-required.
            let reinst = f[0].dropFirst(2).first == "R" ? true : nil
            let packageState = letterStates[letter]
            if packageState != nil || reinst != nil { halfway.append("\(name) (\(f[0]))") }
            if f[2].count >= versionWidth { truncated += 1 }
            items.append(InstalledPackage(name: name, arch: arch, version: String(f[2]), manager: .dpkg,
                                          state: packageState, reinstRequired: reinst))
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
