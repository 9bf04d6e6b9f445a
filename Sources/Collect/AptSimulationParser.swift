import Foundation
import Model

/// `apt-get -s dist-upgrade`: one "Inst" line per package apt would install or upgrade,
/// documented form `Inst NAME [CURRENT] (CANDIDATE ORIGIN:VERSION/SUITE[, ...] [ARCH])`,
/// e.g. "Inst libgcrypt20 [1.10.1-3] (1.10.1-3+deb12u1 Debian:12.15/oldstable,
/// Debian-Security:12/oldstable-security [amd64])". [CURRENT] is absent for new packages
/// (a new kernel), and a trailing "[]" can follow. An update is a security fix when one of
/// its sources is a security suite ("…-security", "Debian-Security:").
enum AptSimulationParser {
    static func parse(_ text: String) -> (items: [PendingUpdate], notes: [String]) {
        var items: [PendingUpdate] = []
        var bad = 0
        for line in text.lines() where line.hasPrefix("Inst ") {
            if let update = parseInst(line.dropFirst(5)) { items.append(update) } else { bad += 1 }
        }
        return (items, bad > 0 ? ["updates: \(bad) apt-get Inst lines not understood"] : [])
    }

    static func parseInst(_ rest: Substring) -> PendingUpdate? {
        let afterName = rest.drop { $0 != " " }
        let name = rest[..<afterName.startIndex]
        var tail = afterName.drop { $0 == " " }
        var current: String?
        if tail.hasPrefix("["), let close = tail.firstIndex(of: "]") {
            current = String(tail[tail.index(after: tail.startIndex)..<close])
            tail = tail[tail.index(after: close)...].drop { $0 == " " }
        }
        guard !name.isEmpty, tail.hasPrefix("("), let close = tail.firstIndex(of: ")") else { return nil }
        let inside = tail[tail.index(after: tail.startIndex)..<close]
        let words = inside.split(separator: " ")
        guard let candidate = words.first else { return nil }
        var arch: String?
        var origins = inside.dropFirst(candidate.count)
        if let open = origins.lastIndex(of: "["), origins.hasSuffix("]") {
            arch = String(origins[origins.index(after: open)..<origins.index(before: origins.endIndex)])
            origins = origins[..<open]
        }
        // "Debian:12.15/oldstable, Debian-Security:12/oldstable-security": the security one first.
        let sources = origins.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let secure = sources.filter(isSecurity)
        let kept = (secure + sources.filter { !isSecurity($0) }).prefix(maxOrigins)
        return PendingUpdate(name: String(name), arch: arch, currentVersion: current,
                             candidateVersion: String(candidate), security: !secure.isEmpty,
                             origin: kept.isEmpty ? nil : kept.joined(separator: ", "))
    }

    /// Sources kept per update: apt names one per archive carrying the candidate (two or three in practice).
    static let maxOrigins = 4

    /// "Debian-Security:12/stable-security", "Ubuntu:22.04/jammy-security".
    static func isSecurity(_ source: String) -> Bool {
        let s = source.lowercased()
        return s.contains("-security") || s.contains("security:")
    }
}
