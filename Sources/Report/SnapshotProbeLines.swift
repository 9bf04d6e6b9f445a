import Model

/// The "Probes and checks" block of ``SnapshotSummary``: connectivity, DNS, database, declared
/// HTTP and command results, one line each.
enum SnapshotProbeLines {
    static func render(_ s: Snapshot, paint: Paint) -> [String] {
        let v = VisibleText.oneLine
        var table = TextColumns()
        table.maxWidth = 44
        for c in s.connectivity {
            let ok = c.reachable
            var detail = [c.method, c.latencyMs.map(Wording.milliseconds)].compactMap { $0 }.map(v).joined(separator: ", ")
            if let error = c.error { detail = v(error) }
            table.add([.init("connect"), .init(v(c.subject)), .init(ok ? "reachable" : "unreachable", ok ? .green : .red),
                       .init(detail, .dim)])
        }
        for d in s.dns {
            let ok = d.resolved
            let detail = d.error.map(v) ?? d.answers.map(v).joined(separator: " ")
            table.add([.init("dns"), .init(v(d.subject)), .init(ok ? "resolved" : "failed", ok ? .green : .red),
                       .init(detail, ok ? nil : .dim)])
        }
        for db in s.databases {
            let detail = db.error ?? [db.version, db.detail, db.latencyMs.map(Wording.milliseconds)].compactMap { $0 }.joined(separator: ", ")
            table.add([.init("database"), .init(v(db.subject)), .init(db.up ? "up" : "down", db.up ? .green : .red),
                       .init(v(detail), .dim)])
        }
        for row in SnapshotDeclaredCheckLines.rows(s) { table.add(row) }
        return table.render(indent: "  ", paint: paint)
    }
}
