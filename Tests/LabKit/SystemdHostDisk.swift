import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A lab host's disk that lasts across its reboots: an overlayfs mounted on this machine, the
/// cached rootfs as its read-only lower layer and a folder of the host's own as the upper one.
///
/// `--volatile=overlay` puts the upper layer on a tmpfs that systemd-nspawn makes and loses at
/// each exit, and a reboot is an exit (status 133) and a new systemd-nspawn: what a test
/// installed is gone after `reboot()`. Booting `--directory=<merged>` of this mount instead
/// keeps packages, dpkg's .list mtimes and /boot across reboots, as on a real host; the
/// rootfs is never written (overlayfs only reads its lower layer).
public enum SystemdHostDisk {
    /// Mounts `<dir>/disk/merged` (upper and work beside it) over `rootfs` and returns it.
    public static func mount(rootfs: String, in dir: String) throws -> String {
        let disk = dir + "/disk"
        for folder in ["upper", "work", "merged"] {
            try FileManager.default.createDirectory(atPath: "\(disk)/\(folder)", withIntermediateDirectories: true)
        }
        chmod("\(disk)/upper", 0o755)
        let options = "lowerdir=\(rootfs),upperdir=\(disk)/upper,workdir=\(disk)/work"
        let made = try LabProcess.runBlocking("/usr/bin/mount", ["-t", "overlay", "overlay", "-o", options, "\(disk)/merged"])
        guard made.status == 0 else {
            throw LabError("cannot mount the overlay disk for a lab host at \(disk)/merged (\(options)): \(made.stderr)")
        }
        return "\(disk)/merged"
    }

    /// Unmounts what `mount` made (lazily if something still holds it) and removes the folders.
    public static func unmount(_ merged: String) {
        if (try? LabProcess.runBlocking("/usr/bin/umount", [merged]))?.status != 0 {
            _ = try? LabProcess.runBlocking("/usr/bin/umount", ["--lazy", merged])
        }
        let disk = (merged as NSString).deletingLastPathComponent
        // --one-file-system: never follow into a mount that is somehow still there.
        _ = try? LabProcess.runBlocking("/usr/bin/rm", ["-rf", "--one-file-system", disk])
    }
}
