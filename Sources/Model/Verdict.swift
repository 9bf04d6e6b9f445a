import Foundation

/// One item that verification looked at (a service, a socket, a probe, ...), with what it found.
/// Reports list every checked item, not only failures, so CI shows real totals.
public struct CheckedItem: Codable, Sendable, Equatable {
    public var category: Category
    public var subject: String
    /// Empty when the item is unchanged.
    public var findings: [Finding]

    public init(category: Category, subject: String, findings: [Finding] = []) {
        self.category = category
        self.subject = subject
        self.findings = findings
    }

    public var worst: Severity? { findings.map(\.severity).max() }
}

/// The outcome of verifying one host.
public struct HostVerdict: Codable, Sendable, Equatable {
    public var host: String
    /// Set when the host could not be checked (unreachable, no baseline, ...): the reason, one line.
    public var error: String?
    /// Facts shown beside the results (kernel, os, boot id, ...), in display order.
    public var facts: [Fact]
    public var items: [CheckedItem]
    public var durationSeconds: Double
    /// What the capture could not do: sections not captured or captured in part, and the
    /// collector's notes (see ``Snapshot/captureNotes``). Every report shows them.
    public var notes: [String]
    /// The host's patch state (docs/patch.md); nil when the host was not checked.
    public var patch: PatchRecord?
    /// Set by `postpatch rollback` (and `rollout --on-halt rollback`): the rollback's verdict.
    /// Nil, and not written, for every other run.
    public var rollback: RollbackOutcome?

    public init(host: String, error: String? = nil, facts: [Fact] = [], items: [CheckedItem] = [],
                durationSeconds: Double = 0, notes: [String] = [], patch: PatchRecord? = nil) {
        self.host = host
        self.error = error
        self.facts = facts
        self.items = items
        self.durationSeconds = durationSeconds
        self.notes = notes
        self.patch = patch
    }

    public var findings: [Finding] { items.flatMap(\.findings) }
    public func count(_ severity: Severity) -> Int { findings.filter { $0.severity == severity }.count }
    public var worst: Severity? { findings.map(\.severity).max() }
}

public struct Fact: Codable, Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) { self.name = name; self.value = value }
}

/// Everything one verify (or drift, or diff) run found, across hosts.
public struct VerifyRun: Codable, Sendable, Equatable {
    public var startedAt: Date
    public var durationSeconds: Double
    public var hosts: [HostVerdict]
    /// True when a host's patch compliance decides the exit code (`assess`): JUnit then fails
    /// each non-compliant host's `patch compliance` testcase, so the file and the exit code agree.
    /// nil (verify, drift, diff): compliance is reported, never failed.
    public var complianceGates: Bool?

    public init(startedAt: Date, durationSeconds: Double, hosts: [HostVerdict], complianceGates: Bool? = nil) {
        self.startedAt = startedAt
        self.durationSeconds = durationSeconds
        self.hosts = hosts
        self.complianceGates = complianceGates
    }

    public var findings: [Finding] { hosts.flatMap(\.findings) }
    public func count(_ severity: Severity) -> Int { hosts.reduce(0) { $0 + $1.count(severity) } }
    public var unchecked: Int { hosts.filter { $0.error != nil }.count }
    /// The fleet's patch state, from the hosts that have a record; nil when none has.
    public var patchSummary: FleetPatchSummary? {
        let records = hosts.compactMap(\.patch)
        return records.isEmpty ? nil : FleetPatchSummary(records)
    }
}
