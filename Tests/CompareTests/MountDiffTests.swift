import Foundation
import XCTest
import Model
@testable import Compare

/// Mounts and modules against the web1 snapshot: each test changes one thing.
final class MountDiffTests: DiffTestCase {
    static let mounts = [
        Mount(mountPoint: "/", source: "/dev/vda1", fsType: "ext4", readOnly: false, sizeKB: 20_508_240, usedPercent: 41),
        Mount(mountPoint: "/boot", source: "/dev/vda15", fsType: "ext4", readOnly: false, sizeKB: 474_730, usedPercent: 62),
        Mount(mountPoint: "/srv/data", source: "nas:/export/data", fsType: "nfs4", readOnly: false, sizeKB: 1_048_576_000, usedPercent: 70),
        Mount(mountPoint: "/tmp", source: "tmpfs", fsType: "tmpfs", readOnly: false, sizeKB: 4096, usedPercent: 0),
    ]
    static let modules = [KernelModule(name: "ext4"), KernelModule(name: "isofs"), KernelModule(name: "nvidia_drm", taints: "POE"),
                          KernelModule(name: "wireguard"), KernelModule(name: "zfs", taints: "POE")]

    func withMounts(_ s: inout Snapshot) { s.mounts = Self.mounts; s.modules = Self.modules }

    func mountDiff(rules: CompareRules = CompareRules(), _ change: (inout Snapshot) -> Void) -> HostVerdict {
        diff(rules: rules, baseline: withMounts) { s in withMounts(&s); change(&s) }
    }

    func setMount(_ point: String, _ s: inout Snapshot, _ change: (inout Mount) -> Void) {
        s.mounts = replacing(s.mounts, where: { $0.mountPoint == point }, with: change)
    }

    func testUnchangedMountsAndModulesAreCheckedItemsWithoutFindings() {
        let v = mountDiff { s in
            // Use and size move all the time below the threshold: no finding.
            self.setMount("/", &s) { $0.usedPercent = 44; $0.sizeKB = 20_508_300 }
            self.setMount("/tmp", &s) { $0.sizeKB = nil; $0.usedPercent = nil }
            s.modules.append(KernelModule(name: "loop"))
        }
        XCTAssertEqual(v.summary, [])
        XCTAssertEqual(v.items.filter { $0.category == .section(.mounts) }.map(\.subject), ["/", "/boot", "/srv/data", "/tmp"])
        XCTAssertEqual(v.items.filter { $0.category == .section(.modules) }.map(\.subject), ["loaded modules (6)"])
    }

    func testMissingReadOnlySourceChangedAndAdded() {
        let v = mountDiff { s in
            s.mounts.removeAll { $0.mountPoint == "/srv/data" }
            self.setMount("/boot", &s) { $0.readOnly = true }
            self.setMount("/", &s) { $0.source = "/dev/vdb1" }
            s.mounts.append(Mount(mountPoint: "/mnt/usb", source: "/dev/sdb1", fsType: "vfat", readOnly: false))
        }
        XCTAssertEqual(v.summary, ["mount-source-changed warning /", "mount-readonly regression /boot",
                                   "mount-added info /mnt/usb", "mount-missing regression /srv/data"])
        let missing = v.findings.first { $0.kind == .mountMissing }
        XCTAssertEqual(missing?.message, "/srv/data is no longer mounted (was nfs4 nas:/export/data)")
        XCTAssertEqual(v.findings.first { $0.kind == .mountSourceChanged }?.message, "/ is mounted from ext4 /dev/vdb1, was ext4 /dev/vda1")
        XCTAssertEqual(v.findings.first { $0.kind == .mountReadonly }?.message, "/boot is read-only now (was read-write)")
    }

    func testReadOnlyToReadWriteIsNoFinding() {
        let v = diff(baseline: { s in self.withMounts(&s); self.setMount("/boot", &s) { $0.readOnly = true } }) { s in self.withMounts(&s) }
        XCTAssertEqual(v.summary, [])
    }

    func testSpaceLowOnlyWhenCrossingTheThreshold() {
        let crossed = mountDiff { s in self.setMount("/boot", &s) { $0.usedPercent = 93 } }
        XCTAssertEqual(crossed.summary, ["space-low warning /boot"])
        XCTAssertEqual(crossed.findings.first?.message, "/boot is 93% full (was 62%; space_warning_percent 90)")
        XCTAssertEqual(crossed.findings.first?.before, "62%")
        // Exactly at the threshold counts; already above it in the baseline does not warn again.
        XCTAssertEqual(mountDiff { s in self.setMount("/boot", &s) { $0.usedPercent = 90 } }.summary, ["space-low warning /boot"])
        let already = diff(baseline: { s in self.withMounts(&s); self.setMount("/boot", &s) { $0.usedPercent = 91 } }) { s in
            self.withMounts(&s); self.setMount("/boot", &s) { $0.usedPercent = 99 }
        }
        XCTAssertEqual(already.summary, [])
        // Unknown use on either side: nothing to compare.
        let unknown = diff(baseline: { s in self.withMounts(&s); self.setMount("/boot", &s) { $0.usedPercent = nil } }) { s in
            self.withMounts(&s); self.setMount("/boot", &s) { $0.usedPercent = 99 }
        }
        XCTAssertEqual(unknown.summary, [])
        // space_warning_percent moves the line.
        let rules = CompareRules(spaceWarningPercent: 70)
        XCTAssertEqual(mountDiff(rules: rules) { s in self.setMount("/boot", &s) { $0.usedPercent = 75 } }.summary, ["space-low warning /boot"])
    }

    func testIgnoreGlobsAndPolicy() {
        let rules = CompareRules(severityOverrides: [.mountMissing: .warning], ignore: IgnoreRules([.mounts: ["/mnt/*"]]))
        let v = mountDiff(rules: rules) { s in
            s.mounts.removeAll { $0.mountPoint == "/tmp" }
            s.mounts.append(Mount(mountPoint: "/mnt/usb", source: "/dev/sdb1", fsType: "vfat", readOnly: false))
        }
        XCTAssertEqual(v.summary, ["mount-missing warning /tmp"])
    }

    func testModuleMissingIsAWarningUnlessCritical() {
        let v = mountDiff { s in s.modules.removeAll { ["zfs", "isofs"].contains($0.name) } }
        XCTAssertEqual(v.summary, ["module-missing warning isofs", "module-missing warning zfs"])
        XCTAssertEqual(v.findings.last?.message, "kernel module zfs is no longer loaded (out of tree: built for the kernel it was loaded under)")

        let rules = CompareRules(ignore: IgnoreRules([.modules: ["iso*"]]), criticalModules: ["zfs", "nvidia-*"])
        let critical = mountDiff(rules: rules) { s in s.modules.removeAll { ["zfs", "isofs", "nvidia_drm"].contains($0.name) } }
        XCTAssertEqual(critical.summary, ["module-missing regression nvidia_drm", "module-missing regression zfs"])
        // policy: module-missing: regression makes every module count.
        let all = mountDiff(rules: CompareRules(severityOverrides: [.moduleMissing: .regression])) { s in s.modules.removeAll { $0.name == "isofs" } }
        XCTAssertEqual(all.summary, ["module-missing regression isofs"])
    }

    func testGapsAndAnEmptiedMountTable() {
        // Modules skipped in a container on either side: not compared, no finding.
        let skipped = mountDiff { s in
            s.modules = []
            s.notCaptured[.modules] = CaptureGap(step: "", problem: "in a container", fix: "", skipped: true)
        }
        XCTAssertEqual(skipped.summary, [])
        XCTAssertFalse(skipped.items.contains { $0.category == .section(.modules) })
        // Nothing mounted at all now, while the step looked fine: one capture finding, not four.
        let emptied = mountDiff { s in s.mounts = [] }
        XCTAssertEqual(emptied.summary, ["capture-missing regression mounts capture"])
        // A baseline from before mounts existed: skipped, so a new capture adds nothing.
        var old = TestSnapshots.web1()
        old.notCaptured[.mounts] = CaptureGap(step: "", problem: "the snapshot was taken by an older postpatch",
                                                                       fix: "take a new baseline", skipped: true)
        var cur = TestSnapshots.recaptured(TestSnapshots.web1())
        withMounts(&cur)
        XCTAssertEqual(Differ.compare(baseline: old, current: cur, rules: CompareRules()).summary, [])
    }

    func testSnapshotsFromBeforeMountsReadWithTheSectionsSkippedAndNewOnesRoundTrip() throws {
        // web1 as an older postpatch wrote it: no mounts or modules keys at all.
        var json = try JSONSerialization.jsonObject(with: try SnapshotCoding.encode(TestSnapshots.web1())) as! [String: Any]
        json["mounts"] = nil
        json["modules"] = nil
        let old = try SnapshotCoding.decode(try JSONSerialization.data(withJSONObject: json))
        XCTAssertEqual(old.gap(.mounts)?.skipped, true)
        XCTAssertEqual(old.gap(.modules)?.skipped, true)
        var s = TestSnapshots.web1()
        withMounts(&s)
        let back = try SnapshotCoding.decode(try SnapshotCoding.encode(s))
        XCTAssertEqual(back.mounts, Self.mounts)
        XCTAssertEqual(back.modules.map(\.name), Self.modules.map(\.name))
        XCTAssertTrue(back.isCaptured(.mounts) && back.isCaptured(.modules))
        XCTAssertEqual(back.withoutVolatileFields().mounts.compactMap(\.usedPercent), [])
    }
}
