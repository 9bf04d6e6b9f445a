import Foundation
import Model

/// Installed RPM packages, from either form:
/// - what the collector runs: `rpm -qa --qf '%{NAME}\t%{ARCH}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\n'`;
/// - an `rpm -qai` capture (the CentOS 7.7 fixture): "Name        : make" blocks whose
///   Description runs over several lines and ends only where the next "Name" block starts.
/// The version carries the epoch when there is one ("1:3.82-24.el7"). gpg-pubkey entries
/// (imported signing keys, architecture "(none)") are kept: a new key is worth seeing.
/// One name and arch installed in several versions is marked ``PackageState/duplicate`` (an
/// interrupted transaction leaves both), except the install-only packages that live side by side.
enum RpmParser {
    static func parse(_ text: String) -> (items: [InstalledPackage], notes: [String]) {
        var parsed = list(text)
        let duplicates = markDuplicates(&parsed.items)
        if !duplicates.isEmpty {
            parsed.notes.append("packages: installed in several versions: \(duplicates.joined(separator: ", "))")
        }
        return parsed
    }

    /// Install-only packages by name, as dnf's `installonlypkgs` default lists them (kernel,
    /// kernel-core, kernel-modules*, kernel-devel, …; dnf also adds whatever provides
    /// `installonlypkg(...)`, which a name list cannot see: all "kernel*" names stand for those),
    /// and gpg-pubkey, one entry per imported key.
    static func isInstallOnly(_ name: String) -> Bool {
        name.hasPrefix("kernel") || name == "gpg-pubkey" || name.hasPrefix("installonlypkg(")
    }

    /// Marks every entry of a name+arch listed more than once; returns "name (v1, v2)" for each.
    static func markDuplicates(_ items: inout [InstalledPackage]) -> [String] {
        var indices: [String: [Int]] = [:]
        for (i, p) in items.enumerated() where !isInstallOnly(p.name) { indices[p.name + "\t" + p.arch, default: []].append(i) }
        var named: [String] = []
        for (_, list) in indices where list.count > 1 {
            for i in list { items[i].state = .duplicate }
            named.append("\(items[list[0]].name) (\(list.map { items[$0].version }.sorted().joined(separator: ", ")))")
        }
        return named.sorted()
    }

    private static func list(_ text: String) -> (items: [InstalledPackage], notes: [String]) {
        let lines = text.lines()
        if lines.contains(where: isNameLine) { return queryInfo(lines) }
        var items: [InstalledPackage] = []
        var bad = 0
        for line in lines {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count == 3, !f[0].isEmpty, !f[2].isEmpty else { bad += 1; continue }
            items.append(InstalledPackage(name: String(f[0]), arch: String(f[1]), version: String(f[2]), manager: .rpm))
        }
        return (items, bad > 0 ? ["packages: \(bad) rpm lines not understood"] : [])
    }

    /// "Name        : x": the field name padded to 12 columns, as rpm prints it.
    static func isNameLine(_ line: Substring) -> Bool {
        line.hasPrefix("Name ") && line.dropFirst(4).drop { $0 == " " }.hasPrefix(": ")
    }

    private static func queryInfo(_ lines: [Substring]) -> (items: [InstalledPackage], notes: [String]) {
        var items: [InstalledPackage] = []
        var fields: [String: String] = [:]
        var inDescription = false
        var bad = 0
        func flush() {
            guard !fields.isEmpty else { return }
            if let name = fields["Name"], let version = fields["Version"], let release = fields["Release"] {
                let epoch = fields["Epoch"].map { $0 + ":" } ?? ""
                items.append(InstalledPackage(name: name, arch: fields["Architecture"] ?? "",
                                              version: "\(epoch)\(version)-\(release)", manager: .rpm))
            } else {
                bad += 1
            }
            fields = [:]
        }
        for line in lines {
            if isNameLine(line) { flush(); inDescription = false }
            if inDescription { continue }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if key == "Description" { inDescription = true; continue }
            if fields[key] == nil { fields[key] = value }
        }
        flush()
        return (items, bad > 0 ? ["packages: \(bad) rpm -qi blocks without name, version or release"] : [])
    }
}
