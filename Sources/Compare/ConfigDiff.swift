import Model

/// Configuration files: one aggregate item "configuration files (N)" standing for every tracked
/// file without a finding (a host's 300 conffiles are one passing test in a JUnit report, as
/// installed packages are), plus one item per file with a finding, a new leftover beside an
/// untracked file included (minus `ignore: configs` globs of the path).
///
/// - `config-unmerged`: a leftover of the "new default set aside" kind (`.dpkg-dist`,
///   `.dpkg-new`, `.ucf-dist`, `.ucf-new`, `.rpmnew`) that the baseline did not have.
/// - `config-replaced`: a file the operator had modified in the baseline now equals the
///   package's version, or its content changed while a leftover of the "old version set aside"
///   kind (`.dpkg-old`, `.dpkg-bak`, `.ucf-old`, `.rpmsave`, `.rpmorig`) appeared beside it.
/// - `config-changed`: a tracked file's content changed otherwise, or it is gone (info).
///
/// Digests are of content, so nothing here is volatile; a file whose digest is unknown on
/// either side (unreadable, not digested) is not compared. A leftover that was already there in
/// the baseline is no news, and one that disappeared (merged, cleaned) is no finding.
enum ConfigDiff {
    static func items(baseline: Snapshot, current: Snapshot, maker: FindingMaker) -> [CheckedItem] {
        // Unknown on either side (a snapshot from before the section): nothing to compare.
        guard let b = baseline.configs, let c = current.configs else { return [] }
        return items(baseline: b, current: c, maker: maker)
    }

    static func items(baseline: ConfigFiles, current: ConfigFiles, maker: FindingMaker) -> [CheckedItem] {
        let ignore = maker.rules.ignore[.configs]
        func kept(_ path: String) -> Bool { ignore.isEmpty || !Glob.any(ignore, path) }
        var before = [String: TrackedConfigFile](minimumCapacity: baseline.files.count)
        for f in baseline.files { before[f.path] = f }
        let oldLeftovers = Set(baseline.leftovers.map(\.path))
        var newLeftovers: [String: [ConfigLeftover]] = [:]
        for l in current.leftovers where !oldLeftovers.contains(l.path) && kept(l.original) {
            newLeftovers[l.original, default: []].append(l)
        }
        var items = [maker.item(.configs, "configuration files (\(current.files.count))")]
        var tracked: Set<String> = []
        for c in current.files where kept(c.path) {
            tracked.insert(c.path)
            let found = findings(before[c.path], c, newLeftovers[c.path] ?? [], maker)
            if !found.isEmpty { items.append(maker.item(.configs, c.path, found)) }
        }
        for (path, leftovers) in newLeftovers where !tracked.contains(path) {
            let owner = before[path]?.package ?? ""
            let found = leftovers.filter { $0.kind == .newDefault }.map { unmerged(path, owner, $0, maker) }
            if !found.isEmpty { items.append(maker.item(.configs, path, found)) }
        }
        return items
    }

    static func findings(_ b: TrackedConfigFile?, _ c: TrackedConfigFile, _ leftovers: [ConfigLeftover], _ maker: FindingMaker) -> [Finding] {
        var out = leftovers.filter { $0.kind == .newDefault }.map { unmerged(c.path, c.package, $0, maker) }
        guard let b else { return out }
        let setAside = leftovers.first { $0.kind == .oldVersion }
        let changed = b.digest != nil && c.digest != nil && b.digest != c.digest
        if changed, b.state == .modified, c.state == .shipped || setAside != nil {
            let kept = setAside.map { "your version is in \(name($0.path))" } ?? "no copy of your version was kept"
            out.append(maker.make(.configReplaced, c.path, before: "\(b.state.rawValue) \(short(b.digest))",
                                  after: "\(c.state.rawValue) \(short(c.digest))",
                                  "your \(c.path) was replaced by \(owner(c))'s version; \(kept)"))
        } else if changed, let setAside {
            out.append(maker.make(.configReplaced, c.path, before: short(b.digest), after: short(c.digest),
                                  "\(c.path) was replaced by \(owner(c))'s version; the former one is in \(name(setAside.path))"))
        } else if changed {
            out.append(maker.make(.configChanged, c.path, before: "\(b.state.rawValue) \(short(b.digest))",
                                  after: "\(c.state.rawValue) \(short(c.digest))",
                                  "\(c.path) (\(owner(c))) changed: \(b.state.rawValue) → \(c.state.rawValue)"))
        } else if b.state != .missing, b.digest != nil, c.state == .missing {
            out.append(maker.make(.configChanged, c.path, before: b.state.rawValue, after: "missing",
                                  "\(c.path) (\(owner(c))) is gone (was \(b.state.rawValue))"))
        }
        return out
    }

    static func unmerged(_ path: String, _ package: String, _ leftover: ConfigLeftover, _ maker: FindingMaker) -> Finding {
        let whose = package.isEmpty ? "the package's" : "\(package)'s"
        return maker.make(.configUnmerged, path, after: leftover.path,
                          "\(whose) new default for \(path) was set aside as \(name(leftover.path)); "
                              + "the service runs your old file: merge it")
    }

    static func owner(_ f: TrackedConfigFile) -> String { f.package.isEmpty ? "the package" : f.package }

    /// The last component of a path ("nginx.conf.dpkg-old").
    static func name(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }

    /// "md5:0123456789ab…", "unknown".
    static func short(_ digest: String?) -> String { digest.map { $0.count > 16 ? $0.prefix(16) + "…" : $0 } ?? "unknown" }
}
