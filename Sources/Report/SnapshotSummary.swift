import Model

/// `postpatch show FILE.json`: one screen that tells a reviewer what a snapshot holds, without
/// reading the JSON. Long lists are cut with a "… N more" line; the JSON has everything.
public enum SnapshotSummary {
    static let maxSockets = 25
    static let maxFailed = 15

    public static func render(_ snapshot: Snapshot, color: Bool) -> String {
        let paint = Paint(enabled: color)
        let v = VisibleText.oneLine
        var lines = factsTable(snapshot, paint: paint).render(indent: "", paint: paint)

        let failed = snapshot.services.filter { $0.active == "failed" }.map(\.name).sorted()
        if !failed.isEmpty {
            lines.append("")
            lines.append(paint("Failed services", .bold))
            lines += failed.prefix(maxFailed).map { "  " + paint(v($0), .red) }
            if failed.count > maxFailed { lines.append("  … \(failed.count - maxFailed) more") }
        }
        if !snapshot.outdated.isEmpty {
            lines.append("")
            lines.append(paint("Running replaced code (restart these)", .bold))
            lines += snapshot.outdated.prefix(maxFailed).map { "  " + paint(v($0.name), .yellow) + "  " + v($0.filesText) }
            if snapshot.outdated.count > maxFailed { lines.append("  … \(snapshot.outdated.count - maxFailed) more") }
        }
        if !snapshot.sockets.isEmpty {
            lines.append("")
            lines.append(paint("Listening sockets", .bold))
            lines += socketTable(snapshot.sockets).render(indent: "  ", paint: paint)
            if snapshot.sockets.count > maxSockets { lines.append("  … \(snapshot.sockets.count - maxSockets) more") }
        }
        if !snapshot.endpoints.isEmpty {
            lines.append("")
            lines.append(paint("Endpoints", .bold))
            lines += SnapshotEndpointLines.table(snapshot.endpoints, at: snapshot.capturedAt).render(indent: "  ", paint: paint)
            let more = snapshot.endpoints.count - SnapshotEndpointLines.maxRows
            if more > 0 { lines.append("  … \(more) more") }
        }
        let probes = SnapshotProbeLines.render(snapshot, paint: paint)
        if !probes.isEmpty {
            lines.append("")
            lines.append(paint("Probes and checks", .bold))
            lines += probes
        }
        let notes = snapshot.captureNotes
        if !notes.isEmpty {
            lines.append("")
            lines.append(paint("Notes", .bold))
            lines += notes.map { "  " + v($0) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Host, capture, OS, kernel, boot, reboot, and a line per section (``SnapshotSectionLines``).
    private static func factsTable(_ snapshot: Snapshot, paint: Paint) -> TextColumns {
        let v = VisibleText.oneLine
        let sys = snapshot.system
        var facts = TextColumns()
        facts.maxWidth = 16
        facts.add([.init("Host", .bold), .init(v(snapshot.host) + (sys.hostname.isEmpty || sys.hostname == snapshot.host
            ? "" : " (hostname \(v(sys.hostname)))"), .bold)])
        facts.add([.init("Captured"), .init("\(ISO8601.string(snapshot.capturedAt)) in \(Wording.duration(Double(snapshot.durationMs) / 1000))")])
        let os = sys.os.prettyName.isEmpty ? "\(sys.os.id) \(sys.os.versionID)" : sys.os.prettyName
        facts.add([.init("OS"), .init(v(os) + (sys.arch.isEmpty ? "" : ", \(v(sys.arch))"))])
        facts.add([.init("Kernel"), .init(v(sys.kernel))])
        facts.add([.init("Boot id"), .init(v(sys.bootID))])
        facts.add([.init("Uptime"), .init(Wording.duration(Double(sys.uptimeSeconds)))])
        facts.add(rebootRow(sys, paint: paint))
        for row in SnapshotSectionLines.rows(snapshot) { facts.add(row) }
        return facts
    }

    private static func rebootRow(_ sys: SystemFacts, paint: Paint) -> [TextColumns.Cell] {
        switch sys.rebootRequired {
        case true?:
            let pkgs = sys.rebootRequiredPackages.isEmpty ? "" : " (\(sys.rebootRequiredPackages.map(VisibleText.oneLine).joined(separator: ", ")))"
            let why = sys.rebootReasons.isEmpty ? "" : ": " + sys.rebootReasons.map(VisibleText.oneLine).joined(separator: "; ")
            return [.init("Reboot"), .init("required" + pkgs + why, .boldYellow)]
        case false?: return [.init("Reboot"), .init("not required")]
        case nil: return [.init("Reboot"), .init("unknown", .dim)]
        }
    }

    private static func socketTable(_ sockets: [ListeningSocket]) -> TextColumns {
        var table = TextColumns()
        table.add([.init("PROTO", .dim), .init("ADDRESS", .dim), .init("PORT", .dim), .init("PROCESS", .dim)])
        // By port first: the reader scans for "is 443 there", not for protocol groups.
        let ordered = sockets.sorted { ($0.port, $0.protocol, $0.address) < ($1.port, $1.protocol, $1.address) }
        for s in ordered.prefix(maxSockets) {
            let process = s.process.map { VisibleText.oneLine($0) + (s.pid.map { " (\($0))" } ?? "") } ?? "–"
            table.add([.init(s.protocol.rawValue), .init(VisibleText.oneLine(s.address)), .init(String(s.port)), .init(process)])
        }
        return table
    }
}
