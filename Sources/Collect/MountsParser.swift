import Model

/// Mounts from /proc/self/mountinfo, their space from `df -kP`. Pure: text in, mounts and notes
/// out; a line it cannot read is counted in one note and skipped.
///
/// Noise rules (docs/findings.md, "Mounts"): pseudo filesystems (``pseudoTypes``) and the mount
/// points under ``volatilePrefixes`` (kernel interfaces, per-user and per-unit tmpfs, container
/// plumbing) are never recorded; mounts an automounter made on demand (their parent is an
/// `autofs` mount) come and go by use, so only the `autofs` mount itself is kept.
enum MountsParser {
    /// Kernel and runtime interfaces, not storage.
    static let pseudoTypes: Set<String> = [
        "proc", "sysfs", "cgroup", "cgroup2", "devpts", "devtmpfs", "mqueue", "debugfs", "tracefs",
        "securityfs", "pstore", "bpf", "configfs", "fusectl", "hugetlbfs", "binfmt_misc", "rpc_pipefs",
        "nsfs", "efivarfs", "selinuxfs", "nfsd", "fuse.gvfsd-fuse", "fuse.portal", "fuse.lxcfs",
    ]

    /// Mount points at or below these come and go without anything being wrong: /proc, /sys
    /// and /dev (interfaces; /dev/shm too), per-user tmpfs (/run/user/UID, made at login), unit
    /// credentials (/run/credentials/UNIT, made per start), systemd's and systemd-nspawn's own
    /// (/run/systemd, /run/host), network namespaces, container runtimes' overlays and volumes
    /// (Docker, containerd, CRI-O/podman, kubelet, LXCFS), snaps (one squashfs per revision).
    static let volatilePrefixes = [
        "/proc", "/sys", "/dev", "/run/user", "/run/credentials", "/run/systemd", "/run/host", "/run/netns",
        "/run/docker", "/run/containerd", "/run/containers", "/run/k3s", "/run/snapd", "/var/lib/docker",
        "/var/lib/containers", "/var/lib/kubelet", "/var/lib/lxcfs", "/snap",
    ]

    static let volatileFolders = volatilePrefixes.map { $0 + "/" }

    /// Whether a mount at `point` of type `type` is left out of snapshots.
    static func skipped(point: String, type: String) -> Bool {
        pseudoTypes.contains(type) || volatilePrefixes.contains(point) || volatileFolders.contains { point.hasPrefix($0) }
    }

    /// One mountinfo line taken apart (proc(5): ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER).
    struct Entry: Equatable {
        var id: String
        var parent: String
        var root: String
        var point: String
        var type: String
        var source: String
        var readOnly: Bool
    }

    static func entry(_ line: Substring) -> Entry? {
        // Fields stay in place: an empty source (a mount made with devname "") is two spaces.
        let f = line.split(separator: " ", omittingEmptySubsequences: false)
        guard f.count >= 9, let dash = f[6...].firstIndex(of: "-"), dash + 2 < f.count else { return nil }
        let options = f[5].split(separator: ",")
        let superOptions = dash + 3 < f.count ? f[dash + 3].split(separator: ",") : []
        return Entry(id: String(f[0]), parent: String(f[1]), root: unescape(f[3]), point: unescape(f[4]),
                     type: String(f[dash + 1]), source: unescape(f[dash + 2]),
                     readOnly: options.contains("ro") || superOptions.contains("ro"))
    }

    /// The mounts worth comparing, one per mount point (the one on top when several are stacked).
    static func mountinfo(_ text: String) -> (items: [Mount], notes: [String]) {
        var entries: [Entry] = []
        var unread = 0
        for line in text.split(separator: "\n") where !line.allSatisfy({ $0 == " " }) {
            if let e = entry(line) { entries.append(e) } else { unread += 1 }
        }
        let autofs = Set(entries.filter { $0.type == "autofs" }.map(\.id))
        var top: [String: Mount] = [:]
        for e in entries where !skipped(point: e.point, type: e.type) && !autofs.contains(e.parent) {
            let source = e.root == "/" || e.root.isEmpty ? e.source : "\(e.source)[\(e.root)]"
            top[e.point] = Mount(mountPoint: e.point, source: source, fsType: e.type, readOnly: e.readOnly)
        }
        let notes = unread == 0 ? [] : ["mounts: \(unread) /proc/self/mountinfo lines not understood"]
        return (top.values.sorted { $0.mountPoint < $1.mountPoint }, notes)
    }

    /// Space per mount point from `df -kP` (GNU or busybox): size in KiB and Capacity. A mount
    /// point with spaces is the rest of the line after Capacity; a source with spaces is found by
    /// reading Capacity as the first `N%` (or `-`) after three numbers.
    static func df(_ text: String) -> [String: (sizeKB: Int, usedPercent: Int?)] {
        var out: [String: (sizeKB: Int, usedPercent: Int?)] = [:]
        var scale = 1
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            if f.first == "Filesystem" {
                // POSIXLY_CORRECT without -k would mean 512-byte blocks; -k is passed, but be sure.
                if f.count > 1, f[1].hasPrefix("512-") { scale = 2 } else { scale = 1 }
                continue
            }
            guard f.count >= 6 else { continue }
            for i in 4..<(f.count - 1) {
                let capacity = f[i]
                guard capacity == "-" || (capacity.hasSuffix("%") && Int(capacity.dropLast()) != nil),
                      let size = Int(f[i - 3]), Int(f[i - 2]) != nil, Int(f[i - 1]) != nil else { continue }
                let point = f[(i + 1)...].joined(separator: " ")
                out[point] = (size / scale, capacity == "-" ? nil : Int(capacity.dropLast()))
                break
            }
        }
        return out
    }

    /// The mounts with their space filled in where df listed the mount point.
    static func merge(_ mounts: [Mount], space: [String: (sizeKB: Int, usedPercent: Int?)]) -> [Mount] {
        mounts.map { m in
            var m = m
            if let s = space[m.mountPoint] { m.sizeKB = s.sizeKB; m.usedPercent = s.usedPercent }
            return m
        }
    }

    /// mountinfo writes space, tab, newline and backslash in paths as `\040`, `\011`, `\012`, `\134`.
    static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        let u = Array(field.utf8)
        var i = 0
        while i < u.count {
            if u[i] == UInt8(ascii: "\\"), i + 3 < u.count,
               let value = Int(String(decoding: u[(i + 1)...(i + 3)], as: UTF8.self), radix: 8), value < 256 {
                bytes.append(UInt8(value))
                i += 4
            } else {
                bytes.append(u[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
