import Model

/// Declared files: one checked item per declared file of the current snapshot.
///
/// - `file-missing`: present in the baseline, gone now.
/// - `file-changed`: its type, content (digest of one kind on both sides), mode, owner or group
///   differs, each change named ("content, mode 644 → 600"); or it exists now and did not.
///
/// A file only one snapshot declares is no finding (the checks file changed), nor is a value
/// unknown on either side (unreadable, no stat).
enum FileCheckDiff {
    static func items(baseline: [FileResult], current: [FileResult], maker: FindingMaker) -> [CheckedItem] {
        var before = [String: FileResult](minimumCapacity: baseline.count)
        for b in baseline { before[b.path] = b }
        return current.map { c in
            guard let b = before[c.path] else { return maker.item(.files, c.path) }
            return maker.item(.files, c.path, findings(b, c, maker))
        }
    }

    static func findings(_ b: FileResult, _ c: FileResult, _ maker: FindingMaker) -> [Finding] {
        if b.type != .missing, c.type == .missing {
            return [maker.make(.fileMissing, c.path, before: describe(b), after: "missing",
                               "\(c.path) is gone (was \(describe(b)))")]
        }
        if b.type == .missing, c.type != .missing {
            return [maker.make(.fileChanged, c.path, before: "missing", after: describe(c),
                               "\(c.path) exists now (\(describe(c))), was missing")]
        }
        var changes: [String] = []
        if b.type != c.type { changes.append("type \(b.type.rawValue) → \(c.type.rawValue)") }
        if let db = b.digest, let dc = c.digest, kind(db) == kind(dc), db != dc { changes.append("content") }
        if let mb = b.mode, let mc = c.mode, mb != mc { changes.append("mode \(mb) → \(mc)") }
        if let ob = b.owner, let oc = c.owner, ob != oc { changes.append("owner \(ob) → \(oc)") }
        if let gb = b.group, let gc = c.group, gb != gc { changes.append("group \(gb) → \(gc)") }
        guard !changes.isEmpty else { return [] }
        return [maker.make(.fileChanged, c.path, before: describe(b), after: describe(c),
                           "\(c.path) changed: " + changes.joined(separator: ", "))]
    }

    /// "file 644 root:root sha256:0123456789ab…", "missing".
    static func describe(_ f: FileResult) -> String {
        guard f.type != .missing else { return "missing" }
        var parts = [f.type.rawValue]
        if let mode = f.mode { parts.append(mode) }
        if let owner = f.owner, let group = f.group { parts.append("\(owner):\(group)") }
        if let digest = f.digest { parts.append(digest.count > 19 ? digest.prefix(19) + "…" : digest) }
        return parts.joined(separator: " ")
    }

    /// "sha256" of "sha256:…": digests of two kinds are not compared.
    static func kind(_ digest: String) -> Substring { digest.prefix { $0 != ":" } }
}
