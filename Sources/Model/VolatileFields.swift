/// The fields of a snapshot that change without anything being wrong.
/// They are kept for the record, never compared. README's snapshot section lists the same set.
public enum VolatileFields {
    public static let paths: [String] = [
        "capturedAt",
        "durationMs",
        "system.uptimeSeconds",
        "sockets[].pid",
        "connectivity[].latencyMs",
        "databases[].latencyMs",
        "endpoints[].banner.version",
        "endpoints[].banner.line",
        "httpChecks[].latencyMs",
        "commands[].durationMs",
        "mounts[].sizeKB",
        "mounts[].usedPercent",
        "logErrors[].count",
        "logErrors[].lines",
        "logErrors[].omitted",
    ]
}

extension Snapshot {
    /// A copy with every volatile field cleared, so that `==` answers "did anything change?".
    public func withoutVolatileFields() -> Snapshot {
        var s = self
        s.capturedAt = .init(timeIntervalSince1970: 0)
        s.durationMs = 0
        s.system.uptimeSeconds = 0
        for i in s.sockets.indices { s.sockets[i].pid = nil }
        for i in s.connectivity.indices { s.connectivity[i].latencyMs = nil }
        for i in s.databases.indices { s.databases[i].latencyMs = nil }
        for i in s.endpoints.indices where s.endpoints[i].banner != nil {
            s.endpoints[i].banner?.version = nil
            s.endpoints[i].banner?.line = ""
        }
        for i in s.httpChecks.indices { s.httpChecks[i].latencyMs = nil }
        for i in s.commands.indices { s.commands[i].durationMs = nil }
        for i in s.mounts.indices { s.mounts[i].sizeKB = nil; s.mounts[i].usedPercent = nil }
        // Evidence only: which units logged errors is compared, not how often or what they said.
        for i in s.logErrors.indices { s.logErrors[i] = UnitLogErrors(unit: s.logErrors[i].unit, count: 0, lines: []) }
        return s
    }
}
