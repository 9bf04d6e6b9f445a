import Model

/// Guards against a capture that silently lost a whole section (ss or dpkg-query missing or
/// broken after the patch, a collector timeout): rather than 150 "service gone" regressions,
/// one finding says the section is empty, and that section is not diffed item by item.
/// A real host never has zero units, zero packages, or zero listening sockets while we reach
/// it over SSH, so an empty section after a non-empty one is a capture problem, not a change.
enum CaptureCheck {
    enum Section: String { case services, sockets, packages
        var subject: String { "\(rawValue) capture" }
    }

    static func missingSections(baseline: Snapshot, current: Snapshot) -> [Section] {
        var out: [Section] = []
        if !baseline.services.isEmpty && current.services.isEmpty { out.append(.services) }
        if !baseline.sockets.isEmpty && current.sockets.isEmpty { out.append(.sockets) }
        if !baseline.packages.isEmpty && current.packages.isEmpty { out.append(.packages) }
        return out
    }

    static func finding(_ s: Section, _ current: Snapshot, _ maker: FindingMaker) -> Finding {
        let notes = current.notes.filter { $0.lowercased().contains(s.rawValue.dropLast()) }
        let why = notes.isEmpty ? "" : ": " + notes.joined(separator: "; ")
        return maker.make(.captureMissing, s.subject, after: "empty",
                          "no \(s.rawValue) captured now, the baseline had some\(why)")
    }
}
