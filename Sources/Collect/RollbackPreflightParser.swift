import Foundation
import Model

/// The rollback preflight (`updates.apt-rollback`, `updates.dnf-rollback`): for each package an
/// update would upgrade, is its installed version still obtainable, from a repository or the
/// package cache? The step prints the manager's own listing of the packages' versions, then one
/// `archive FILE` line per package file in the manager's cache that bears a pending package's name.
enum RollbackPreflightParser {
    /// One package as the step saw it: `name` as the manager lists it ("ppd" or "libc6:i386"
    /// for apt, "ppd.noarch" for dnf), its installed version, and where that version is.
    struct Source: Equatable, Sendable {
        var name: String
        var installed: String?
        /// A repository still lists the installed version.
        var inRepository: Bool
        /// The package cache holds the installed version's file.
        var inCache: Bool
        var obtainable: Bool { inRepository || inCache }
    }

    /// `apt-cache policy NAME...`, e.g.
    /// ```
    /// ppd:
    ///   Installed: 1.0-1
    ///   Candidate: 1.1-1
    ///   Version table:
    ///      1.1-1 500
    ///         500 file:/srv/repo ./ Packages
    ///  *** 1.0-1 100
    ///         100 /var/lib/dpkg/status
    /// archive ppcached_1%3a2.0-1_all.deb
    /// ```
    /// The installed version ("***") is in a repository when a source other than dpkg's status
    /// file lists it; in the cache when an `archive` file has its name and version (apt writes
    /// an epoch's colon as `%3a`).
    static func apt(_ text: String) -> (items: [Source], notes: [String]) {
        var items: [Source] = []
        var archives: Set<String> = []
        var current: Int?
        var inInstalled = false
        var bad = 0
        for line in text.lines() {
            if line.hasPrefix("archive ") {
                if let a = aptArchive(line.dropFirst(8)) { archives.insert(a) } else { bad += 1 }
                continue
            }
            if line.count > 1, !line.hasPrefix(" "), line.hasSuffix(":"), !line.contains(" ") {
                items.append(Source(name: String(line.dropLast()), installed: nil, inRepository: false, inCache: false))
                current = items.count - 1
                inInstalled = false
                continue
            }
            guard let k = current else { continue }
            let indent = line.prefix { $0 == " " }.count
            let words = line.split(separator: " ")
            if indent == 2, words.first == "Installed:", words.count == 2 {
                items[k].installed = words[1] == "(none)" ? nil : String(words[1])
            } else if line.hasPrefix(" *** ") || (indent == 5 && !words.isEmpty) {
                // A version line of the table: " *** VERSION PRIO" (installed) or "     VERSION PRIO".
                let version = line.hasPrefix(" *** ") ? words.dropFirst().first : words.first
                inInstalled = version.map(String.init) == items[k].installed && items[k].installed != nil
            } else if indent > 5, inInstalled, words.count >= 2 {
                // "        PRIO SOURCE...": dpkg's status file is where the installed version is recorded, not a source.
                if !words[1].hasSuffix("dpkg/status") { items[k].inRepository = true }
            }
        }
        for i in items.indices {
            guard let v = items[i].installed else { continue }
            let bare = items[i].name.split(separator: ":").first.map(String.init) ?? items[i].name
            items[i].inCache = archives.contains(bare + "_" + v)
        }
        return (items, bad > 0 ? ["updates: \(bad) rollback preflight archive lines not understood"] : [])
    }

    /// "ppcached_1%3a2.0-1_all.deb" -> "ppcached_1:2.0-1" (name and version, the arch left out).
    static func aptArchive(_ file: Substring) -> String? {
        guard file.hasSuffix(".deb") else { return nil }
        let parts = file.dropLast(4).split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        let version = String(parts[1]).removingPercentEncoding ?? String(parts[1])
        return "\(parts[0])_\(version)"
    }

    /// `dnf -C --showduplicates list NAME.ARCH...` (yum's alike): "Installed Packages" rows
    /// ("name.arch  version-release  @repo"), "Available Packages" rows (every version the
    /// repositories list, the installed one included when a repository still has it); a long
    /// name is wrapped onto its own line. Then `archive name-version-release.arch.rpm` lines.
    static func dnf(_ text: String) -> (items: [Source], notes: [String]) {
        var installed: [(String, String)] = []
        var available: Set<String> = []
        var cached: Set<String> = []
        var section = ""
        var carried: [Substring] = []
        var bad = 0
        for line in text.lines() {
            if line.hasPrefix("archive ") {
                if let a = rpmArchive(line.dropFirst(8)) { cached.insert(a) } else { bad += 1 }
                continue
            }
            if line.hasSuffix("Packages"), !line.hasPrefix(" ") {
                section = line.hasPrefix("Installed") ? "installed" : line.hasPrefix("Available") ? "available" : ""
                carried = []
                continue
            }
            var f = line.split(separator: " ")
            if f.count == 1, f[0].contains("."), carried.isEmpty { carried = f; continue }
            if !carried.isEmpty { f = carried + f; carried = [] }
            guard f.count == 3, f[0].contains(".") else { continue }
            let name = String(f[0]), version = String(f[1])
            if section == "installed" {
                installed.append((name, version))
            } else if section == "available" {
                available.insert(name + " " + version)
            }
        }
        let items = installed.map { name, version in
            Source(name: name, installed: version, inRepository: available.contains(name + " " + version),
                   inCache: cached.contains(name + " " + withoutEpoch(version)))
        }
        return (items, bad > 0 ? ["updates: \(bad) rollback preflight archive lines not understood"] : [])
    }

    /// "ppcached-1.0-1.noarch.rpm" -> "ppcached.noarch 1.0-1".
    static func rpmArchive(_ file: Substring) -> String? {
        guard file.hasSuffix(".rpm") else { return nil }
        let nevra = file.dropLast(4)
        guard let dot = nevra.lastIndex(of: "."), let r = nevra[..<dot].lastIndex(of: "-"),
              let v = nevra[..<r].lastIndex(of: "-"), v > nevra.startIndex else { return nil }
        let arch = nevra[nevra.index(after: dot)...]
        return "\(nevra[..<v]).\(arch) \(nevra[nevra.index(after: v)..<dot])"
    }

    /// "1:2.0-1" -> "2.0-1": rpm file names carry no epoch.
    static func withoutEpoch(_ version: String) -> String {
        guard let colon = version.firstIndex(of: ":") else { return version }
        return String(version[version.index(after: colon)...])
    }

    /// What the manager makes of a downgrade of this package, before any lookup: kernels are
    /// installed beside the running one (the old one stays: boot it), glibc on RPM is not
    /// downgraded safely (RHEL: `dnf history undo` unsupported for it). Nil: an ordinary package.
    static func nature(_ name: String, manager: PackageManager) -> RollbackCheck? {
        switch manager {
        case .dpkg:
            let bare = name.split(separator: ":").first.map(String.init) ?? name
            return ["linux-image-", "linux-modules-", "linux-headers-"].contains { bare.hasPrefix($0) } ? .sideBySide : nil
        case .rpm:
            if name == "glibc" || name.hasPrefix("glibc-") { return .unsafe }
            // dnf's installonlypkgs: the kernel and what provides installonlypkg(kernel); not its headers and tools.
            let notInstallOnly = ["kernel-headers", "kernel-tools", "kernel-tools-libs", "kernel-tools-libs-devel", "kernel-srpm-macros", "kernel-abi-stablelists"]
            if name == "kernel" || (name.hasPrefix("kernel-") && !notInstallOnly.contains(name)) { return .sideBySide }
            return nil
        case .apk:
            return nil
        }
    }

    /// The verdict on each update the step saw: its nature first, then whether its installed
    /// version is obtainable. Updates the step did not list (a new install, a truncated answer) stay nil.
    static func attach(_ updates: [PendingUpdate], sources: [Source], manager: PackageManager) -> [PendingUpdate] {
        var byName: [String: Source] = [:]
        for s in sources { byName[s.name] = s }
        return updates.map { u in
            var u = u
            let key = manager == .rpm ? "\(u.name).\(u.arch ?? "")" : u.name
            guard u.currentVersion != nil, let s = byName[key], s.installed != nil else { return u }
            u.rollback = nature(u.name, manager: manager) ?? (s.obtainable ? .ok : .notObtainable)
            return u
        }
    }
}
