import Model

/// JUnit XML (`--junit FILE`) for CI dashboards: one `<testsuite>` per host, one `<testcase>` per
/// checked item, so CI shows the real number of checks and not only the failures.
///
/// The one form valid under both schemas CI tools validate against (Jenkins xUnit and the strict
/// Apache Ant schema by Windy Road, see docs/reports.md):
/// - `<testsuites>` without attributes (the Ant schema allows none there);
/// - each suite carries `package` and a 0-based `id` (required by the Ant schema inside
///   `<testsuites>`), `hostname`, a zone-less UTC `timestamp`, and its children in the order
///   properties, testcases, system-out, system-err (all present, even empty);
/// - a testcase holds at most one of `<failure>`/`<error>` and nothing else, so warnings and info
///   go to the suite's `<system-out>` (the Ant schema has no testcase-level system-out).
public enum JUnitReport {
    /// - Parameter hostname: the machine that ran postpatch (the Ant schema's "host on which the tests
    ///   were executed"); "localhost" when empty. The checked host is the suite's name and package.
    public static func render(_ run: VerifyRun, hostname: String) -> String {
        var xml = XMLWriter()
        let runner = token(hostname, fallback: "localhost")
        let timestamp = String(ISO8601.string(run.startedAt).dropLast()) // "…Z" → zone-less UTC
        xml.start("testsuites")
        for (index, host) in run.hosts.enumerated() {
            suite(host, id: index, runner: runner, timestamp: timestamp, gates: run.complianceGates == true, into: &xml)
        }
        xml.end()
        return xml.finish()
    }

    private static func suite(_ host: HostVerdict, id: Int, runner: String, timestamp: String, gates: Bool,
                              into xml: inout XMLWriter) {
        let name = token(host.host, fallback: "(unnamed host)")
        let items = host.sortedItems
        let compliance = host.patch.map { $0.compliant || !gates ? 0 : 1 }
        let failures = items.filter { $0.worst == .regression }.count + (compliance ?? 0)
        let errors = host.error == nil ? 0 : 1
        // `postpatch rollback`: one more testcase, failing unless the host is restored.
        let rollbackFailed = host.rollback.map { $0.verdict != .restored } ?? false
        let rollbackCases = host.rollback == nil ? 0 : 1
        xml.start("testsuite", [
            "name": name, "package": name, "id": String(id),
            "hostname": runner, "timestamp": timestamp,
            "tests": String(items.count + errors + (compliance == nil ? 0 : 1) + rollbackCases), "failures": String(failures + (rollbackFailed ? 1 : 0)),
            "errors": String(errors), "skipped": "0", "time": Wording.seconds(host.durationSeconds),
        ])
        xml.start("properties")
        for fact in host.facts {
            xml.element("property", ["name": token(fact.name, fallback: "fact"), "value": fact.value])
        }
        xml.end()
        if let error = host.error {
            xml.start("testcase", ["name": "host reachable", "classname": "\(name).host", "time": "0"])
            xml.element("error", ["message": error, "type": "host-not-checked"], text: error)
            xml.end()
        }
        if let rollback = host.rollback {
            xml.start("testcase", ["name": "rollback", "classname": "\(name).rollback", "time": "0"])
            if rollback.verdict != .restored {
                xml.element("failure", ["message": rollback.line, "type": rollback.verdict.rawValue], text: rollback.details.joined(separator: "\n"))
            }
            xml.end()
        }
        for item in items {
            testcase(item, host: name, into: &xml)
        }
        if let patch = host.patch { complianceCase(patch, host: name, gates: gates, into: &xml) }
        xml.element("system-out", text: systemOut(host))
        xml.element("system-err")
        xml.end()
    }

    private static func testcase(_ item: CheckedItem, host: String, into xml: inout XMLWriter) {
        let attributes: XMLWriter.Attributes = [
            "name": token(item.subject, fallback: "(empty)"),
            "classname": "\(host).\(item.category.rawValue)", "time": "0",
        ]
        let regressions = item.findings.filter { $0.severity == .regression }
        guard let first = regressions.first else {
            xml.element("testcase", attributes)
            return
        }
        xml.start("testcase", attributes)
        let more = regressions.count > 1 ? " (+\(regressions.count - 1) more)" : ""
        xml.element("failure", ["message": first.message + more, "type": first.kind.rawValue],
                    text: regressions.map(line).joined(separator: "\n"))
        xml.end()
    }

    /// One testcase per host for its patch compliance (docs/patch.md): failed when it is not
    /// compliant and compliance decides the exit code (`assess`); otherwise it passes and the
    /// reasons are in the suite's system-out, so the file never disagrees with the exit code.
    private static func complianceCase(_ patch: PatchRecord, host: String, gates: Bool, into xml: inout XMLWriter) {
        let attributes: XMLWriter.Attributes = ["name": "patch compliance", "classname": "\(host).patch", "time": "0"]
        guard !patch.compliant, gates else {
            xml.element("testcase", attributes)
            return
        }
        xml.start("testcase", attributes)
        xml.element("failure", ["message": "not compliant: " + patch.nonCompliance.joined(separator: "; "), "type": "patch-not-compliant"],
                    text: PatchLines.host(patch))
        xml.end()
    }

    /// Warnings, then info: the findings that do not fail a testcase but a reviewer should see.
    private static func systemOut(_ host: HostVerdict) -> String {
        let lines = host.findings(.warning).map(line) + host.findings(.info).map(line) + host.notes.map { "note: " + $0 }
            + (host.patch.map { ["patch: " + PatchLines.host($0)] } ?? [])
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// "warning services nginx.service: unit file changed (enabled → disabled) [service-disabled]"
    private static func line(_ f: Finding) -> String {
        var s = "\(f.severity.rawValue) \(f.category.rawValue) \(f.subject): \(f.message)"
        if let change = Wording.change(f.before, f.after) { s += " (\(change))" }
        if let why = Wording.explanation(f) { s += " (\(why))" }
        return s + " [\(f.kind.rawValue)]"
    }

    /// The Ant schema's `xs:token` with minLength 1: XML whitespace (space, tab, CR, LF) collapsed
    /// as the validator would, never empty. Other invisible characters are left for the writer to show.
    private static func token(_ text: String, fallback: String) -> String {
        let collapsed = text.split(whereSeparator: { ["\u{20}", "\t", "\n", "\r", "\r\n"].contains($0) }).joined(separator: " ")
        return collapsed.isEmpty ? fallback : collapsed
    }
}
