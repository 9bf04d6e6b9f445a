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
        /// `DEV:INO` of /proc/PID/root (`INO` alone from `ls -dLi`).
        var root: String?
    }

    static func parse(_ text: String) -> (services: [OutdatedService], notes: [String]) {
        var mappings: [Int: String] = [:]
        var processes: [Int: Process] = [:]
        var selfPID: Int?
        var pidFiles: [Int: String] = [:]
        var namespaces: [Int: String] = [:]
        var roots: [Int: String] = [:]
        var current: [Int: Set<Int>] = [:]
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
            } else if line.hasPrefix("S ") {
                // A replaced mapping still current in the process's own view (sandboxed unit).
                let parts = line.split(separator: " ")
                if parts.count == 3, let pid = Int(parts[1]), let id = Int(parts[2]) { current[pid, default: []].insert(id) }
            } else if line.hasPrefix("root /proc/"), let (pid, root) = rootLine(line) {
                roots[pid] = root
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
        for pid in processes.keys {
            processes[pid]!.mountNamespace = namespaces[pid]
            processes[pid]!.root = roots[pid]
            if let ids = current[pid] { processes[pid]!.mappings.removeAll { ids.contains($0) } }
        }
        // The host's root is PID 1's; not readable (not root), the script's own.
        let hostRoot = roots[1] ?? selfPID.flatMap { roots[$0] }
        let hostNamespace = selfPID.flatMap { namespaces[$0] }
        return group(processes.values.sorted { $0.pid < $1.pid }, mappings: mappings,
                     host: hostRoot.map(Host.root) ?? hostNamespace.map(Host.namespace), pidFiles: pidFiles)
    }

    /// What a process is compared with to tell the host's from a container's.
    enum Host {
        /// PID 1's root: a process with another root is in a container.
        case root(String)
        /// Captures from before the script listed roots (no `root` lines): the script's mount
        /// namespace, the proxy that also skipped sandboxed units.
        case namespace(String)
    }

    /// Groups flagged processes by what runs them; skips what is not a patch.
    static func group(_ processes: [Process], mappings: [Int: String], host: Host?,
                      pidFiles: [Int: String]) -> (services: [OutdatedService], notes: [String]) {
        var byOwner: [String: (kind: OutdatedKind, commands: Set<String>, files: Set<String>)] = [:]
        var inContainers = 0, otherNamespace = 0
        for p in processes {
            let files = Set(p.mappings.compactMap { mappings[$0] }.filter { path in
                !ignoredPrefixes.contains { path.hasPrefix($0) }
            })
            if files.isEmpty || ignoredCommands.contains(p.command) { continue }
            // Another root (a container): its files are not the host's. A sandboxed unit has its
            // own mount namespace but the host's root: checked. No root at all while the host's
            // is known: the process ended during the capture (or is not readable).
            switch host {
            case let .root(root)?:
                if p.root != root {
                    if p.root != nil { inContainers += 1 }
                    continue
                }
            case let .namespace(ns)?:
                if p.mountNamespace != ns {
                    if p.mountNamespace != nil { otherNamespace += 1 }
                    continue
                }
            case nil: break
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
        if inContainers > 0 {
            notes.append("outdated: \(inContainers) process\(inContainers == 1 ? "" : "es") in containers (root differs from PID 1's) not checked")
        }
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

    /// `root /proc/123/root 2049:2` (stat) or `root /proc/123/root 2` (ls) → (123, "2049:2").
    static func rootLine(_ line: Substring) -> (Int, String)? {
        let parts = line.split(separator: " ")
        guard parts.count == 3, parts[1].hasSuffix("/root"),
              let pid = Int(parts[1].dropFirst("/proc/".count).dropLast("/root".count)) else { return nil }
        return (pid, String(parts[2]))
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
