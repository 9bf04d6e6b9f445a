import Model

/// The pure parsers of ``ConfigsSection``'s steps: the listing of tracked configuration files,
/// `md5sum`'s output, `rpm -V`'s, and the leftovers `find` printed. None throws: an odd line is
/// skipped (and counted in a note), what was understood is kept.
enum ConfigsParser {
    /// Tracked configuration files listed at most (a Debian server has 200 to 600).
    static let listLimit = 5000
    /// Leftovers listed at most.
    static let leftoverLimit = 500

    /// One tracked file as its package manager lists it.
    struct Entry: Equatable {
        var manager: TrackedConfigFile.Manager
        var package: String
        /// The md5 the package manager recorded for the package's version ("" for rpm: `rpm -V` says instead).
        var shipped: String
        var path: String
    }

    struct Listing: Equatable {
        var entries: [Entry] = []
        /// The host cut the list at ``listLimit``.
        var cut = false
        var notes: [String] = []
    }

    /// The conffiles step's (or the rpm step's) lines: `manager<TAB>package<TAB>md5<TAB>flag<TAB>path`.
    /// Entries with a flag (`obsolete`, `remove-on-upgrade`) are left out; a path listed twice
    /// keeps its first entry (dpkg's before ucf's).
    static func listing(_ text: String) -> Listing {
        var out = Listing()
        var seen: Set<String> = []
        var odd = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line == "cut" { out.cut = true; continue }
            if line.hasPrefix("rc=") {
                if let rc = Int(line.dropFirst(3)), rc != 0 { out.notes.append("configs: rpm -qa exited \(rc): the list of %config files may be short") }
                continue
            }
            let fields = line.split(separator: "\t", maxSplits: 4, omittingEmptySubsequences: false)
            guard fields.count == 5, let manager = TrackedConfigFile.Manager(rawValue: String(fields[0])),
                  fields[4].hasPrefix("/") else { odd += 1; continue }
            guard fields[3].isEmpty else { continue }
            let path = String(fields[4])
            guard seen.insert(path).inserted else { continue }
            out.entries.append(Entry(manager: manager, package: String(fields[1]), shipped: String(fields[2]), path: path))
        }
        if odd > 0 { out.notes.append("configs: \(odd) line(s) of the configuration file list not understood, skipped") }
        return out
    }

    struct Digests: Equatable {
        /// Path → lowercase hex md5.
        var md5: [String: String] = [:]
        /// Paths md5sum could not read for another reason than their absence (permission).
        var unreadable: Set<String> = []
        var notes: [String] = []
    }

    /// `md5sum`'s lines, `<hex>  <path>` (`<hex> *<path>` in binary mode); a name holding a
    /// backslash or a newline is printed escaped, the line then starting with `\`. Its stderr's
    /// "md5sum: PATH: Permission denied" lines name what could not be read (a missing file is
    /// the "No such file" kind, and simply has no digest).
    static func md5sums(_ text: String, stderr: String = "") -> Digests {
        var out = Digests()
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            var line = Substring(raw)
            let escaped = line.hasPrefix("\\")
            if escaped { line = line.dropFirst() }
            guard line.count > 34, let space = line.firstIndex(of: " ") else { continue }
            let hex = line[..<space]
            guard hex.count == 32, hex.allSatisfy(\.isHexDigit) else { continue }
            var name = line[line.index(after: space)...]
            guard let mode = name.first, mode == " " || mode == "*" else { continue }
            name = name.dropFirst()
            let path = escaped ? unescape(name) : String(name)
            out.md5[path] = hex.lowercased()
        }
        for raw in stderr.split(separator: "\n") where raw.hasSuffix(": Permission denied") {
            var line = raw.dropLast(": Permission denied".count)
            if line.hasPrefix("md5sum: ") { line = line.dropFirst("md5sum: ".count) }
            if line.hasPrefix("/") { out.unreadable.insert(String(line)) }
        }
        if !out.unreadable.isEmpty {
            out.notes.append("configs: \(out.unreadable.count) configuration file(s) not readable (run as root or with --sudo)")
        }
        return out
    }

    /// md5sum's escapes: `\\` and `\n` (and `\r` in newer coreutils).
    static func unescape(_ s: Substring) -> String {
        var out = ""
        var it = s.makeIterator()
        while let c = it.next() {
            guard c == "\\" else { out.append(c); continue }
            switch it.next() {
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "\\": out.append("\\")
            case let other?: out.append("\\"); out.append(other)
            case nil: out.append("\\")
            }
        }
        return out
    }

    /// `rpm -Va -c`'s lines: `S.5....T.  c /etc/x` (nine test flags, the file's attribute, its
    /// path) or `missing   c /etc/x`; lines of other kinds (dependency problems, script output) are skipped.
    /// Path → state: `modified` when the digest test (`5`) failed, `missing`; a `%config` file not
    /// listed is the package's.
    static func rpmVerify(_ text: String) -> [String: TrackedConfigFile.State] {
        var out: [String: TrackedConfigFile.State] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let slash = line.firstIndex(of: "/") else { continue }
            let head = line[..<slash].split(separator: " ")
            guard let flags = head.first else { continue }
            let path = String(line[slash...])
            if flags == "missing" {
                out[path] = .missing
            } else if flags.count == 9, flags.allSatisfy({ "SM5DLUGTP.?".contains($0) }) {
                // `?`: the test could not be run (unreadable): unknown, not modified.
                let digest = flags[flags.index(flags.startIndex, offsetBy: 2)]
                if digest == "5" { out[path] = .modified } else if digest == "?" { out[path] = .unknown }
            }
        }
        return out
    }

    /// Each entry with its state and digest: dpkg and ucf by comparing md5sum's digest with the
    /// recorded one; rpm from `rpm -V` (nil: not verified, so unknown).
    static func merge(_ entries: [Entry], digests: Digests, verified: [String: TrackedConfigFile.State]?) -> [TrackedConfigFile] {
        entries.map { e in
            let md5 = digests.md5[e.path]
            var state: TrackedConfigFile.State
            switch (e.manager, md5) {
            case (.rpm, _):
                state = verified.map { $0[e.path] ?? .shipped } ?? .unknown
                if md5 == nil, state != .missing { state = digests.unreadable.contains(e.path) ? .unknown : .missing }
            case (_, nil):
                state = digests.unreadable.contains(e.path) ? .unknown : .missing
            case let (_, md5?):
                let recorded = e.shipped.lowercased()
                if recorded.count != 32 || !recorded.allSatisfy(\.isHexDigit) {
                    state = .unknown // "newconffile": dpkg unpacked it, never configured it
                } else {
                    state = recorded == md5 ? .shipped : .modified
                }
            }
            return TrackedConfigFile(path: e.path, package: e.package, manager: e.manager, state: state,
                              digest: md5.map { "md5:" + $0 })
        }
    }

    /// `find`'s paths, one a line, those with a known suffix; more than ``leftoverLimit`` sets `cut`.
    static func leftovers(_ text: String) -> (items: [ConfigLeftover], cut: Bool) {
        var items: [ConfigLeftover] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where line.hasPrefix("/") {
            let item = ConfigLeftover(path: String(line))
            guard item.kind != nil else { continue }
            if items.count == leftoverLimit { return (items, true) }
            items.append(item)
        }
        return (items, false)
    }
}
