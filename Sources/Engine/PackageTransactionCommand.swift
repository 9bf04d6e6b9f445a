import Collect
import Compare
import Foundation
import Model

/// The one place that turns "these exact versions installed, these packages removed" into the
/// host's package manager command: `postpatch rollback` (the inverse of a patch) and
/// `rollout --pin` (a recorded patch set installed as is) both run what this builds.
///
/// Names, architectures and versions come from the host (its snapshot) or from a patch-set file:
/// each is checked against its manager's grammar before it reaches a shell, and quoted anyway.
/// Anything else is refused with the offending value named.
public enum PackageTransactionCommand {
    public struct Refused: Error, CustomStringConvertible, Equatable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// The command for `changes` (`to` nil: remove; else install exactly `to`), as one shell
    /// line. `tool`: "dnf" or "yum" on rpm hosts (the last transaction's tool; dnf when unknown).
    /// `undoTransaction`: on rpm hosts, the id of the one transaction since the baseline, undone
    /// as a whole with `history undo`.
    public static func command(_ changes: [PackageChange], manager: PackageManager, tool: String? = nil,
                               undoTransaction: Int? = nil) throws -> String {
        guard !changes.isEmpty else { throw Refused("no package to install or remove") }
        for c in changes { try validate(c, manager: manager) }
        let install = changes.filter { $0.to != nil }
        let remove = changes.filter { $0.to == nil }
        switch manager {
        case .dpkg:
            // One apt transaction: downgrades, reinstalls and removals (`pkg-`) resolved together.
            let words = install.map { "\(aptName($0))=\($0.to ?? "")" } + remove.map { "\(aptName($0))-" }
            return "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --allow-downgrades "
                + "-o Dpkg::Options::=--force-confold -o Dpkg::Options::=--force-confdef " + ShellQuote.words(words)
        case .rpm:
            let dnf = tool == "yum" ? "yum" : "dnf"
            if let undoTransaction { return "\(dnf) -y history undo \(undoTransaction)" }
            let down = install.filter { c in c.from.map { RPMVersion.compare($0, c.to ?? "") > 0 } ?? false }
            let other = install.filter { c in !down.contains(c) }
            var steps: [String] = []
            if !down.isEmpty { steps.append("\(dnf) -y downgrade " + ShellQuote.words(down.map(nevra))) }
            if !other.isEmpty { steps.append("\(dnf) -y install " + ShellQuote.words(other.map(nevra))) }
            if !remove.isEmpty { steps.append("\(dnf) -y remove " + ShellQuote.words(remove.map { "\($0.name).\($0.arch)" })) }
            return steps.joined(separator: " && ")
        case .apk:
            var steps: [String] = []
            if !install.isEmpty { steps.append("apk add --no-interactive " + ShellQuote.words(install.map { "\($0.name)=\($0.to ?? "")" })) }
            if !remove.isEmpty { steps.append("apk del --no-interactive " + ShellQuote.words(remove.map(\.name))) }
            return steps.joined(separator: " && ")
        }
    }

    /// apt's `name:arch`; `all` packages are named bare (apt lists them under the native arch).
    static func aptName(_ c: PackageChange) -> String { c.arch == "all" || c.arch.isEmpty ? c.name : "\(c.name):\(c.arch)" }

    /// dnf's `name-[epoch:]version-release.arch`.
    static func nevra(_ c: PackageChange) -> String { "\(c.name)-\(c.to ?? "").\(c.arch)" }

    /// Refuses a name, architecture or version outside its manager's grammar (Debian policy
    /// 5.6.1/5.6.12, RPM's and apk's naming), or longer than 200 characters.
    public static func validate(_ c: PackageChange, manager: PackageManager) throws {
        let (name, version, arch) = grammar(manager)
        func check(_ value: String, _ what: String, _ ok: (String) -> Bool) throws {
            guard value.count <= 200, ok(value) else {
                throw Refused("refusing \(manager.rawValue) \(what) \(String(reflecting: String(value.prefix(80)))): not a valid \(manager.rawValue) \(what); check the snapshot or patch set it came from")
            }
        }
        try check(c.name, "package name", name)
        if !(manager == .apk && c.arch.isEmpty) { try check(c.arch, "architecture", arch) }
        for v in [c.from, c.to].compactMap({ $0 }) { try check(v, "version", version) }
    }

    typealias Rule = (String) -> Bool

    static func grammar(_ manager: PackageManager) -> (name: Rule, version: Rule, arch: Rule) {
        let lowerDigits = Set("abcdefghijklmnopqrstuvwxyz0123456789")
        let alnum = lowerDigits.union("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        func word(_ first: Set<Character>, _ rest: Set<Character>, min: Int = 1) -> Rule {
            { s in s.count >= min && s.first.map(first.contains) == true && s.allSatisfy(rest.contains) }
        }
        /// `[epoch:]rest`: the epoch digits, then `rest` (no other colon).
        func epoch(_ rest: @escaping Rule) -> Rule {
            { s in
                let parts = s.split(separator: ":", omittingEmptySubsequences: false)
                switch parts.count {
                case 1: return rest(s)
                case 2: return !parts[0].isEmpty && parts[0].allSatisfy(\.isASCII) && parts[0].allSatisfy(\.isNumber) && rest(String(parts[1]))
                default: return false
                }
            }
        }
        switch manager {
        case .dpkg:
            return (word(lowerDigits, lowerDigits.union("+.-"), min: 2),
                    epoch(word(alnum, alnum.union(".+~-"))),
                    word(lowerDigits, lowerDigits.union("-")))
        case .rpm:
            return (word(alnum.union("_+"), alnum.union("._+-")),
                    epoch(word(alnum, alnum.union("._+~^-"))),
                    word(alnum.union("_"), alnum.union("_")))
        case .apk:
            return (word(alnum.union("_+"), alnum.union("._+-")),
                    word(alnum, alnum.union("._~-")),
                    word(alnum.union("_"), alnum.union("_")))
        }
    }
}
