import Foundation

/// What `postpatch rollback` concluded about one host, after undoing the change since its
/// baseline and verifying against it (docs/rollout.md "Rollback").
public enum RollbackVerdict: String, Codable, Sendable, Equatable, CaseIterable {
    /// Package versions equal the baseline's, no regression and no warning left.
    case restored
    /// Package versions equal the baseline's; something else still differs (listed).
    case restoredWithDifferences = "restored-with-differences"
    /// A version could not be put back, or a regression remains (named).
    case notRestored = "not-restored"
}

/// A host's rollback: the verdict, and what keeps it from `restored` (the packages not put back,
/// the regressions and warnings left, the steps that failed), one line each.
public struct RollbackOutcome: Codable, Sendable, Equatable {
    public var verdict: RollbackVerdict
    /// Empty for `restored`.
    public var details: [String]

    public init(verdict: RollbackVerdict, details: [String] = []) {
        self.verdict = verdict
        self.details = details
    }

    /// "restored", or "not-restored: pp-lab-greetd 1.0-1 not reinstalled; ...".
    public var line: String {
        verdict.rawValue + (details.isEmpty ? "" : ": " + details.joined(separator: "; "))
    }
}

/// One package moved from one version to another: `from` nil when it is installed, `to` nil
/// when it is removed. A rollback plan and a pinned patch set (`patch-set.json`) are lists of
/// these; the manager's command that carries them out is built in one place
/// (Engine's `PackageTransactionCommand`).
public struct PackageChange: Codable, Sendable, Equatable, SortKeyed {
    public var name: String
    public var arch: String
    public var from: String?
    public var to: String?

    public init(name: String, arch: String, from: String?, to: String?) {
        self.name = name
        self.arch = arch
        self.from = from
        self.to = to
    }

    public var sortKey: String { name + "|" + arch }
    /// "pp-lab-greetd 1.1-1 → 1.0-1", "pp-new 2.0 removed", "pp-old 1.0 reinstalled".
    public var text: String {
        switch (from, to) {
        case let (f?, t?): return "\(name) \(f) → \(t)"
        case let (nil, t?): return "\(name) \(t) installed"
        case let (f?, nil): return "\(name) \(f) removed"
        case (nil, nil): return name
        }
    }
}

/// `rollout --pin`: the change the first wave's patch made, recorded in the run folder as
/// `patch-set.json` and installed as is by every later wave (`--patch-set FILE` reads one back).
public struct PatchSet: Codable, Sendable, Equatable {
    public static let formatName = "postpatch-patch-set"
    public var format: String = PatchSet.formatName
    public var createdAt: Date
    /// The wave whose patch made it.
    public var wave: String
    /// Per host of that wave: what its patch changed (`from` the baseline's version, `to` the new).
    public var hosts: [Host]
    /// The set later waves install: every host's changes merged (one version per package).
    public var packages: [PackageChange]

    public struct Host: Codable, Sendable, Equatable {
        public var host: String
        public var changes: [PackageChange]
        public init(host: String, changes: [PackageChange]) {
            self.host = host
            self.changes = changes
        }
    }

    public init(createdAt: Date, wave: String, hosts: [Host], packages: [PackageChange]) {
        self.createdAt = createdAt
        self.wave = wave
        self.hosts = hosts
        self.packages = packages
    }
}

extension PatchSet {
    /// Reads a `patch-set.json` (`rollout --patch-set FILE`); the error names what is wrong.
    public static func read(_ data: Data) throws -> PatchSet {
        let set: PatchSet
        do { set = try SnapshotCoding.decoder().decode(PatchSet.self, from: data) } catch {
            throw PatchSetError(description: "not a patch set (\(error)): give the patch-set.json a `rollout --pin` run wrote")
        }
        guard set.format == formatName else {
            throw PatchSetError(description: "not a patch set: its \"format\" is \"\(set.format)\", not \"\(formatName)\"")
        }
        return set
    }
}

public struct PatchSetError: Error, CustomStringConvertible, Equatable {
    public var description: String
}
