import Foundation
import Model

/// Turns the `outdated.maps` step's output (see ``OutdatedSection``) into services still running
/// replaced code. Pure; never fails: what it cannot read it skips, counting it in a note.
enum OutdatedParser {
    /// Mapped files that are not a patch: anonymous shared memory, JIT and interpreter scratch
    /// files, System V segments (the kernel shows all of these as "(deleted)").
    static let ignoredPrefixes = ["/memfd:", "/dev/shm/", "/tmp/", "/var/tmp/", "/run/user/", "/dev/zero",
                                  "/SYSV", "/[aio]", "/drm", "/i915", "/anon_hugepage", "/dmabuf:"]
    /// Processes that are not services: PAM's session helper forked by `systemd --user`.
    static let ignoredCommands: Set<String> = ["(sd-pam)"]

    struct Process {
        var pid: Int
        var mappings: [Int] = []
        var command = ""
        var ppid: Int?
        var hasTerminal = false
        var cgroup: String?
        var mountNamespace: String?
    }

    static func parse(_ text: String) -> (services: [OutdatedService], notes: [String]) {
        var mappings: [Int: String] = [:]
        var processes: [Int: Process] = [:]
        var selfPID: Int?
        var pidFiles: [Int: String] = [:]
        var namespaces: [Int: String] = [:]
        var details: [Substring] = []
        for line in text.lines() {
            if line.hasPrefix("self=") { selfPID = Int(line.dropFirst(5)); continue }
            if line.hasPrefix("D ") || line.hasPrefix("R ") {
                let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
                if parts.count == 3, let id = Int(parts[1]) { mappings[id] = deletedSuffixRemoved(String(parts[2])) }
            } else if line.hasPrefix("P ") {
                let parts = line.split(separator: " ").dropFirst()
                guard let pid = parts.first.flatMap({ Int($0) }) else { continue }
                processes[pid, default: Process(pid: pid)].mappings = parts.dropFirst().compactMap { Int($0) }
            } else if line.hasPrefix("/proc/") {
                details.append(line)
            } else if line.hasPrefix("l"), let (pid, ns) = namespaceLink(line) {
                namespaces[pid] = ns
            } else if line.hasPrefix("/run/"), let (pid, name) = pidFile(line) {
                pidFiles[pid] = name
            }
        }
        // The lines about one process may come in any order: join them once all are read.
        for line in details { procLine(line, into: &processes) }
        for pid in processes.keys { processes[pid]!.mountNamespace = namespaces[pid] }
        let hostNamespace = selfPID.flatMap { namespaces[$0] }
        return group(processes.values.sorted { $0.pid < $1.pid }, mappings: mappings,
                     hostNamespace: hostNamespace, pidFiles: pidFiles)
    }

    /// Groups flagged processes by what runs them; skips what is not a patch.
    static func group(_ processes: [Process], mappings: [Int: String], hostNamespace: String?,
                      pidFiles: [Int: String]) -> (services: [OutdatedService], notes: [String]) {
        var byOwner: [String: (kind: OutdatedKind, commands: Set<String>, files: Set<String>)] = [:]
        var otherNamespace = 0
        for p in processes {
            let files = Set(p.mappings.compactMap { mappings[$0] }.filter { path in
                !ignoredPrefixes.contains { path.hasPrefix($0) }
            })
            if files.isEmpty || ignoredCommands.contains(p.command) { continue }
            // Another mount namespace (a container): its files are not the host's. No namespace
            // at all while the host's is known: the process ended during the capture.
            if let host = hostNamespace, p.mountNamespace != host {
                if p.mountNamespace != nil { otherNamespace += 1 }
                continue
            }
            let (kind, name) = owner(p, pidFiles: pidFiles)
            byOwner[name, default: (kind, [], [])].commands.insert(p.command.isEmpty ? "pid \(p.pid)" : p.command)
            byOwner[name]!.files.formUnion(files)
        }
        let services = byOwner.map { name, v in
            let files = v.files.sorted()
            return OutdatedService(name: name, kind: v.kind, processes: v.commands.sorted(),
                                   files: Array(files.prefix(OutdatedService.sampleSize)), fileCount: files.count)
        }
        var notes: [String] = []
        if otherNamespace > 0 {
            notes.append("outdated: processes in other mount namespaces (containers) not checked")
        }
        return (services, notes)
    }

    /// The unit from the cgroup path, else PID 1 as the manager, a pid file's service, a session, or other.
    static func owner(_ p: Process, pidFiles: [Int: String]) -> (OutdatedKind, String) {
        if p.pid == 1 { return (.manager, "systemd") }
        if let path = p.cgroup {
            let parts = path.split(separator: "/")
            if let unit = parts.last(where: { $0.hasSuffix(".service") }) { return (.unit, String(unit)) }
            if parts.contains(where: { $0.hasPrefix("session-") && $0.hasSuffix(".scope") }) { return (.session, "session") }
        }
        if let name = pidFiles[p.pid] ?? p.ppid.flatMap({ pidFiles[$0] }) { return (.service, name) }
        return p.hasTerminal ? (.session, "session") : (.other, "other")
    }

    /// `/proc/PID/stat:PID (comm) S PPID PGRP SID TTY ...` or `/proc/PID/cgroup:0::/system.slice/x.service`.
    static func procLine(_ line: Substring, into processes: inout [Int: Process]) {
        let rest = line.dropFirst("/proc/".count)
        guard let slash = rest.firstIndex(of: "/"), let pid = Int(rest[..<slash]), processes[pid] != nil,
              let colon = rest.firstIndex(of: ":") else { return }
        let file = rest[rest.index(after: slash)..<colon]
        let value = rest[rest.index(after: colon)...]
        if file == "stat" {
            guard let open = value.firstIndex(of: "("), let close = value.lastIndex(of: ")") else { return }
            processes[pid]!.command = String(value[value.index(after: open)..<close])
            let fields = value[value.index(after: close)...].split(separator: " ")
            if fields.count > 4 {
                processes[pid]!.ppid = Int(fields[1])
                processes[pid]!.hasTerminal = (Int(fields[4]) ?? 0) != 0
            }
        } else if file == "cgroup" {
            // cgroup v2: "0::/path"; v1: the systemd hierarchy "N:name=systemd:/path".
            let parts = value.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { return }
            if parts[1].isEmpty || parts[1] == "name=systemd" { processes[pid]!.cgroup = String(parts[2]) }
        }
    }

    /// `lrwxrwxrwx 1 root root 0 Nov 25 21:00 /proc/123/ns/mnt -> mnt:[4026531840]`.
    static func namespaceLink(_ line: Substring) -> (Int, String)? {
        guard let at = line.range(of: " /proc/"), let arrow = line.range(of: "/ns/mnt -> ") else { return nil }
        guard let pid = Int(line[at.upperBound..<arrow.lowerBound]) else { return nil }
        return (pid, String(line[arrow.upperBound...]))
    }

    /// `/run/nginx.pid:1234` or `/run/sshd/sshd.pid:1234` → (1234, "nginx").
    static func pidFile(_ line: Substring) -> (Int, String)? {
        guard let colon = line.lastIndex(of: ":"), let pid = Int(line[line.index(after: colon)...].filter { !$0.isWhitespace }) else { return nil }
        let file = line[..<colon].split(separator: "/").last ?? ""
        guard file.hasSuffix(".pid") else { return nil }
        return (pid, String(file.dropLast(4)))
    }

    static func deletedSuffixRemoved(_ path: String) -> String {
        path.hasSuffix(" (deleted)") ? String(path.dropLast(" (deleted)".count)) : path
    }
}
