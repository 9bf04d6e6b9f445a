import Model

/// Which package change since the baseline explains a finding (`Finding.explainedBy`): the
/// package of the unit file, program or shared library the finding names, of the process holding
/// the socket, or the package itself. The changed packages' files come from the package log the
/// capture read (``PackageTransactions``); without it (no baseline known at capture, no log) no
/// finding is attributed (nil: unknown). With it, a finding nothing explains gets `[]`: not
/// explained by the patch, which a reviewer looks at first.
struct Attribution {
    /// "name old → new" per changed package name.
    let changes: [String: String]
    /// A changed package's files by path, `/usr` merged (`/usr/lib/x` and `/lib/x` are one file).
    let byPath: [String: Set<String>]
    /// A changed package's unit files and programs by file name ("nginx.service", "nginx").
    let byName: [String: Set<String>]
    let baseline: Snapshot
    let current: Snapshot

    init(baseline: Snapshot, current: Snapshot, changes: [PackageDiff.Change]) {
        var text: [String: String] = [:]
        for c in changes {
            let line: String
            switch (c.before, c.after) {
            case let (b?, a?): line = "\(c.name) \(b.version) → \(a.version)"
            case let (nil, a?): line = "\(c.name) (new) → \(a.version)"
            case let (b?, nil): line = "\(c.name) \(b.version) → (removed)"
            case (nil, nil): continue
            }
            // One name in two architectures: one line is enough.
            if text[c.name] == nil { text[c.name] = line }
        }
        var byPath: [String: Set<String>] = [:], byName: [String: Set<String>] = [:]
        for entry in current.transactions?.files ?? [] where text[entry.package] != nil {
            for file in entry.files {
                byPath[Self.merged(file), default: []].insert(entry.package)
                if let slash = file.lastIndex(of: "/") {
                    byName[String(file[file.index(after: slash)...]), default: []].insert(entry.package)
                }
            }
        }
        self.changes = text
        self.byPath = byPath
        self.byName = byName
        self.baseline = baseline
        self.current = current
    }

    /// Sets `explainedBy` on every finding of a section, when the capture read the package log.
    static func apply(_ items: inout [CheckedItem], baseline: Snapshot, current: Snapshot, changes: [PackageDiff.Change]) {
        guard current.transactions != nil else { return }
        let a = Attribution(baseline: baseline, current: current, changes: changes)
        for i in items.indices where !items[i].findings.isEmpty {
            for j in items[i].findings.indices {
                guard let section = items[i].findings[j].kind.section else { continue }
                let names = a.packages(items[i].findings[j], section)
                items[i].findings[j].explainedBy = names.sorted().compactMap { a.changes[$0] }
            }
        }
    }

    /// `/usr/lib/x` → `/lib/x`: Debian 12 lists some files under /lib that processes map as /usr/lib.
    static func merged(_ path: String) -> String {
        path.hasPrefix("/usr/") ? String(path.dropFirst(4)) : path
    }

    /// The changed packages that explain `f`.
    func packages(_ f: Finding, _ section: SnapshotSection) -> Set<String> {
        var found = Set<String>()
        switch section {
        case .packages, .updates:
            found.formUnion(own(f.subject))
        case .services, .logs:
            found.formUnion(unit(f.subject))
        case .outdated:
            found.formUnion(unit(f.subject))
            let service = current.outdated.first { $0.name == f.subject } ?? baseline.outdated.first { $0.name == f.subject }
            if let service { found.formUnion(code(service)) }
        case .sockets, .endpoints:
            // The subject is the endpoint, alone or followed by a detail: never a longer port ("…:8080" is not "…:80").
            for socket in current.sockets + baseline.sockets where f.subject == socket.endpoint || f.subject.hasPrefix(socket.endpoint + " ") {
                if let process = socket.process { found.formUnion(program(process)) }
            }
        case .system:
            if f.kind == .kernelChanged || f.kind == .hostRebooted || f.kind == .rebootRequired {
                found.formUnion(changes.keys.filter { $0.hasPrefix("linux-image") })
            }
            // The reboot reasons and the like name the packages behind them.
            let text = [f.message, f.after ?? ""].joined(separator: " ")
            found.formUnion(changes.keys.filter { Self.mentions(text, $0) })
        case .modules:
            found.formUnion(changes.keys.filter { $0.hasPrefix("linux-image") || $0.hasPrefix("linux-modules") })
        case .configs:
            // The package that tracks the file (dpkg's conffile, ucf's registry, rpm's %config).
            let tracked = (current.configs?.files ?? []) + (baseline.configs?.files ?? [])
            for file in tracked where file.path == f.subject && changes[file.package] != nil { found.insert(file.package) }
        case .accounts where f.kind == .accountAdded:
            // A package's new system user: a changed package of its name (`_chrony` and chrony,
            // `postgres` and postgresql, `www-data`'s packages name it in the message otherwise).
            let user = String(f.subject.drop { $0 == "_" })
            found.formUnion(changes.keys.filter { user.count >= 3 && ($0 == user || $0.hasPrefix(user) || user.hasPrefix($0)) })
        case .accounts:
            found.formUnion(changes.keys.filter { Self.mentions(f.message, $0) })
        case .schedules:
            // A timer: the package shipping its unit file. A cron job: the package shipping its file.
            if f.subject.hasSuffix(".timer") {
                found.formUnion(unit(f.subject))
            } else {
                let path = f.subject.hasPrefix("/") ? String(f.subject.prefix { $0 != ":" }) : f.subject
                found.formUnion(byPath[Self.merged(path)] ?? [])
                found.formUnion(changes.keys.filter { Self.mentions(f.message, $0) })
            }
        case .transactions where f.kind == .fixesInstalled || f.kind == .fixNotInEffect:
            // The subject is the fixed package: its own change.
            found.formUnion(own(f.subject))
        case .mounts, .network, .sysctl, .firewall, .containers, .transactions, .connectivity, .dns, .databases, .http, .commands, .files:
            // What no file of a package names: explained only when the text names a changed package.
            found.formUnion(changes.keys.filter { Self.mentions(f.message, $0) })
        }
        return found
    }

    /// A package finding's own change ("openssl", "openssl:amd64", "linux-image-6.1 6.1.0-1").
    func own(_ subject: String) -> Set<String> {
        let name = String(subject.prefix { $0 != ":" && $0 != " " })
        return changes[name] != nil ? [name] : []
    }

    /// The changed packages whose code an outdated service still runs: the replaced files it maps,
    /// the programs its processes run.
    func code(_ service: OutdatedService) -> Set<String> {
        var found = Set<String>()
        for file in service.files { found.formUnion(byPath[Self.merged(file)] ?? []) }
        for process in service.processes { found.formUnion(program(process)) }
        return found
    }

    /// The package of a unit's file, or the package named as the unit is (`nginx.service` ← nginx).
    func unit(_ name: String) -> Set<String> {
        var owners = byName[name] ?? []
        // An instance (`postgresql@15-main.service`) runs its template's file (`postgresql@.service`).
        if let at = name.firstIndex(of: "@"), let dot = name.lastIndex(of: "."), at < dot {
            owners.formUnion(byName[String(name[...at]) + String(name[dot...])] ?? [])
        }
        if !owners.isEmpty { return owners }
        let stem = String(name.prefix { $0 != "." && $0 != "@" })
        return changes[stem] != nil ? [stem] : []
    }

    /// The package of a program (a process name), or the package named as it is.
    func program(_ name: String) -> Set<String> {
        if let owners = byName[name] { return owners }
        return changes[name] != nil ? [name] : []
    }

    /// True when `text` names `package` as a word (not as part of a longer name).
    static func mentions(_ text: String, _ package: String) -> Bool {
        var search = text[...]
        while let r = search.range(of: package) {
            let before = r.lowerBound == text.startIndex ? nil : text[text.index(before: r.lowerBound)]
            let after = r.upperBound == text.endIndex ? nil : text[r.upperBound]
            func boundary(_ c: Character?) -> Bool { c.map { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "+" || $0 == ".") } ?? true }
            if boundary(before) && boundary(after) { return true }
            search = text[r.upperBound...]
        }
        return false
    }
}
