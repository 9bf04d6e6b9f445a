import Foundation
import Model

/// `podman ps -a --format json` (one JSON array), `docker ps -a --no-trunc --format '{{json .}}'`
/// (one JSON object per line), and the `container inspect` lines of ``ContainersSection/inspectFormat``.
/// Never throws: what does not parse becomes a note.
enum ContainersParser {
    /// One `container inspect` line: `Id|Name|Image|RestartPolicy|RestartCount|StartedAt`.
    struct Inspected: Equatable {
        var id: String
        var imageID: String?
        var restartPolicy: String
        var restartCount: Int?
        var startedAt: String?
    }

    /// The containers `ps` listed, completed with what `inspect` said about each (matched by id;
    /// docker's documented examples print 12-digit ids, inspect the full 64).
    static func parse(engine: String, ps: String, inspect: String?) -> (items: [Container], notes: [String]) {
        var (items, notes) = listed(engine: engine, ps)
        guard let inspect else { return (items, notes) }
        let rows = inspected(inspect)
        for i in items.indices {
            guard let row = rows.first(where: { $0.id.hasPrefix(items[i].id) || items[i].id.hasPrefix($0.id) }) else {
                notes.append("containers: \(engine) container inspect said nothing about \(items[i].name)")
                continue
            }
            if items[i].id.count < row.id.count { items[i].id = row.id }
            if items[i].imageID == nil { items[i].imageID = row.imageID }
            items[i].restartPolicy = row.restartPolicy
            items[i].restartCount = row.restartCount
            items[i].startedAt = row.startedAt
        }
        return (items, notes)
    }

    /// The `ps` output: podman's array or docker's lines, told apart by the first character.
    static func listed(engine: String, _ text: String) -> (items: [Container], notes: [String]) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return ([], []) }
        var rows: [[String: Any]] = []
        var notes: [String] = []
        if trimmed.hasPrefix("[") {
            guard let array = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [Any] else {
                return ([], ["containers: \(engine) ps printed JSON that does not parse"])
            }
            rows = array.compactMap { $0 as? [String: Any] }
        } else {
            var bad = 0
            for line in trimmed.split(separator: "\n") where !line.allSatisfy(\.isWhitespace) {
                if let row = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] {
                    rows.append(row)
                } else {
                    bad += 1
                }
            }
            if bad > 0 { notes.append("containers: \(bad) line(s) of \(engine) ps output are not JSON objects") }
        }
        var items: [Container] = []
        for row in rows {
            guard let container = container(engine: engine, row) else {
                notes.append("containers: a \(engine) ps entry has no id or name")
                continue
            }
            items.append(container)
        }
        return (items, notes)
    }

    static func container(engine: String, _ row: [String: Any]) -> Container? {
        guard let id = string(row["Id"]) ?? string(row["ID"]), !id.isEmpty, let name = name(row["Names"]) else { return nil }
        let state = (string(row["State"]).map { $0.lowercased() }).flatMap { $0.isEmpty ? nil : $0 }
            ?? string(row["Status"]).map(stateFromStatus) ?? "unknown"
        return Container(engine: engine, name: name, id: id, image: string(row["Image"]) ?? "",
                         imageID: string(row["ImageID"]).map(bareID), state: state)
    }

    /// podman: `["web"]`; docker: `"redis,webapp/db"` (a name, then links as `other/alias`).
    static func name(_ value: Any?) -> String? {
        let candidates: [String]
        if let list = value as? [Any] {
            candidates = list.compactMap { $0 as? String }
        } else if let text = value as? String {
            candidates = text.split(separator: ",").map(String.init)
        } else {
            return nil
        }
        return candidates.first { !$0.isEmpty && !$0.contains("/") } ?? candidates.first { !$0.isEmpty }
    }

    /// docker before `.State` existed said it only in the Status column: "Up 3 hours (Paused)",
    /// "Exited (137) 5 seconds ago", "Restarting (1) 2 seconds ago", "Created".
    static func stateFromStatus(_ status: String) -> String {
        let s = status.lowercased()
        if s.hasPrefix("up") { return s.contains("(paused)") ? "paused" : "running" }
        for word in ["exited", "created", "restarting", "removal", "dead"] where s.hasPrefix(word) {
            return word == "removal" ? "removing" : word
        }
        return s.isEmpty ? "unknown" : "unknown (\(status.prefix(40)))"
    }

    static func inspected(_ text: String) -> [Inspected] {
        text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: "|", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
            guard f.count == 6, !f[0].isEmpty, f[0].allSatisfy(\.isHexDigit) else { return nil }
            let policy = f[3].trimmingCharacters(in: .whitespaces)
            return Inspected(id: f[0], imageID: f[2].isEmpty ? nil : bareID(f[2]), restartPolicy: policy.isEmpty ? "no" : policy,
                             restartCount: Int(f[4].trimmingCharacters(in: .whitespaces)), startedAt: startTime(f[5]))
        }
    }

    /// Both engines print Go's zero time for a container that never started.
    static func startTime(_ text: String) -> String? {
        let t = text.trimmingCharacters(in: .whitespaces)
        return t.isEmpty || t.hasPrefix("0001-01-01") ? nil : t
    }

    /// "sha256:60d1…" → "60d1…" (docker inspect says it with the prefix, podman without).
    static func bareID(_ id: String) -> String {
        id.hasPrefix("sha256:") ? String(id.dropFirst(7)) : id
    }

    private static func string(_ value: Any?) -> String? {
        if let s = value as? String { return s }
        return nil
    }
}
