import XCTest
import Model
@testable import Collect

/// Mounts on real captures: this machine, the lab's systemd-nspawn hosts (minbase, and the
/// realistic one with a user session open), and a private mount namespace on this machine made
/// by Tests/Fixtures/collect/debian-12-private-mount-ns.sh (spaces in names, a read-only bind
/// mount of a folder, two mounts stacked on one point, an overlay, a Docker-like overlay, a
/// per-user tmpfs, a 4 MiB tmpfs filled to 3,900 KiB), each with GNU and busybox `df -kP`.
final class MountsParserTests: XCTestCase {
    func points(_ mounts: [Mount]) -> [String] { mounts.map(\.mountPoint) }

    func testThisMachineKeepsRootAndDropsInterfacesAndNetworkNamespaces() throws {
        let parsed = MountsParser.mountinfo(try Fixtures.local("debian-12_proc-self-mountinfo"))
        XCTAssertEqual(parsed.notes, [])
        XCTAssertEqual(points(parsed.items), ["/", "/mnt/sandboxing/model_tools_env/v1/python"])
        XCTAssertEqual(parsed.items[0], Mount(mountPoint: "/", source: "/dev/vda", fsType: "ext4", readOnly: false))
        XCTAssertTrue(parsed.items[1].readOnly)
        let space = MountsParser.df(try Fixtures.local("debian-12_df-kP.out"))
        XCTAssertEqual(space["/"]?.sizeKB, 264_212_084)
        XCTAssertEqual(space["/"]?.usedPercent, 22)
        let merged = MountsParser.merge(parsed.items, space: space)
        XCTAssertEqual(merged[0].usedPercent, 22)
        XCTAssertEqual(merged[1].sizeKB, 4)
    }

    func testSystemdNspawnLabHostKeepsItsOwnFilesystemsOnly() throws {
        let minbase = MountsParser.mountinfo(try Fixtures.local("debian-12-nspawn-lab_proc-self-mountinfo"))
        XCTAssertEqual(minbase.notes, [])
        // /run/host (systemd-nspawn's window to the host), /run/credentials, /proc, /sys, /dev: skipped.
        XCTAssertEqual(points(minbase.items), ["/", "/run", "/run/lock", "/tmp"])
        XCTAssertEqual(minbase.items[0].source, "overlay")
        XCTAssertEqual(minbase.items[0].fsType, "overlay")
        // A user logged in: /run/user/1000 comes and goes with the session, so it is not recorded.
        let withSession = try Fixtures.local("debian-12-realistic-lab-user-session_proc-self-mountinfo")
        XCTAssertTrue(withSession.contains(" /run/user/1000 "))
        XCTAssertEqual(points(MountsParser.mountinfo(withSession).items), ["/", "/run", "/run/lock", "/tmp"])
        let space = MountsParser.df(try Fixtures.local("debian-12-nspawn-lab_df-kP.out"))
        XCTAssertEqual(space["/run/lock"]?.sizeKB, 5120)
        XCTAssertEqual(space["/tmp"]?.usedPercent, 0)
    }

    func testPrivateNamespaceCaptureEscapesBindsStacksAndContainerPlumbing() throws {
        let parsed = MountsParser.mountinfo(try Fixtures.local("debian-12-private-mount-ns_proc-self-mountinfo"))
        XCTAssertEqual(parsed.notes, [])
        let base = "/tmp/pp-mounts-capture"
        let byPoint = Dictionary(uniqueKeysWithValues: parsed.items.map { ($0.mountPoint, $0) })
        XCTAssertEqual(byPoint["\(base)/space dir"], Mount(mountPoint: "\(base)/space dir", source: "pp src", fsType: "tmpfs", readOnly: false))
        XCTAssertEqual(byPoint["\(base)/ro"], Mount(mountPoint: "\(base)/ro", source: "pp base[/data/sub]", fsType: "tmpfs", readOnly: true))
        XCTAssertEqual(byPoint["\(base)/stack"]?.source, "second", "the mount on top of the stack")
        XCTAssertEqual(byPoint["\(base)/merged"]?.fsType, "overlay")
        XCTAssertEqual(byPoint["/var/lib"]?.source, "none")
        XCTAssertNil(byPoint["/var/lib/docker/overlay2/0a1b/merged"], "a container runtime's overlay")
        XCTAssertNil(byPoint["/run/user"])
        XCTAssertFalse(parsed.items.contains { $0.mountPoint.hasPrefix("/run/netns") || $0.fsType == "nsfs" })

        for (file, full) in [("debian-12-private-mount-ns_df-kP.out", 96), ("debian-12-private-mount-ns_busybox-df-kP.out", 95)] {
            let space = MountsParser.df(try Fixtures.local(file))
            XCTAssertEqual(space["\(base)/full"]?.usedPercent, full, file)
            XCTAssertEqual(space["\(base)/full"]?.sizeKB, 4096, file)
            XCTAssertEqual(space["\(base)/space dir"]?.sizeKB, 1024, "a mount point with a space: \(file)")
            XCTAssertEqual(space["\(base)/stack"]?.sizeKB, 2048, "busybox lists both stacked mounts: the last wins: \(file)")
        }
    }

    func testAutomountedFilesystemsAreLeftToTheirAutofsMount() {
        // systemd's automount of an EFI partition, then the partition it mounted on first access.
        let text = """
        27 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
        40 27 0:40 / /boot/efi rw,relatime shared:20 - autofs systemd-1 rw,fd=45,pgrp=1,timeout=120,minproto=5,maxproto=5,direct,pipe_ino=1234
        41 40 254:2 / /boot/efi rw,relatime shared:21 - vfat /dev/vda2 rw,fmask=0077,dmask=0077
        """
        let mounts = MountsParser.mountinfo(text).items
        XCTAssertEqual(mounts.map { "\($0.mountPoint) \($0.fsType) \($0.source)" }, ["/ ext4 /dev/vda1", "/boot/efi autofs systemd-1"])
    }

    func testOddLinesAreCountedAndEmptyFieldsKeepTheirPlace() {
        let text = "27 1 254:1 / / rw - ext4 /dev/vda1 rw\nnot a mountinfo line\n\n30 27 0:50 / /srv rw -\n"
            + "31 27 0:51 / /data rw shared:9 - tmpfs  rw,size=1k\n"
        let parsed = MountsParser.mountinfo(text)
        XCTAssertEqual(parsed.items.map(\.mountPoint), ["/", "/data"])
        XCTAssertEqual(parsed.items[1].source, "", "a mount made with an empty device name")
        XCTAssertEqual(parsed.notes, ["mounts: 2 /proc/self/mountinfo lines not understood"])
        XCTAssertEqual(MountsParser.unescape("a\\040b\\134c\\011d\\012e\\999\\04"), "a b\\c\td\ne\\999\\04")
    }

    func testDfBlocksOfFiveHundredTwelveAndNoCapacity() {
        let space = MountsParser.df("""
        Filesystem 512-blocks Used Available Capacity Mounted on
        /dev/sda1 2000 1000 1000 50% /
        binfmt_misc 0 0 0 - /proc/sys/fs/binfmt_misc
        garbage line
        """)
        XCTAssertEqual(space["/"]?.sizeKB, 1000)
        XCTAssertEqual(space["/"]?.usedPercent, 50)
        XCTAssertNotNil(space["/proc/sys/fs/binfmt_misc"])
        XCTAssertNil(space["/proc/sys/fs/binfmt_misc"]?.usedPercent)
        XCTAssertEqual(space.count, 2)
    }
}

/// /proc/modules. This machine's kernel (6.18, Firecracker) has no loadable module support and
/// the lab hosts share it, so no real capture exists here: the fixture is written by hand in the
/// kernel's format (kernel/module/procfs.c: name, size, use count, users or "-" or
/// "[permanent]", state, address, taints), as a Debian 12 host with ZFS (DKMS) and WireGuard shows it.
final class ModulesParserTests: XCTestCase {
    func testKernelFormatWithTaintsAndStates() throws {
        let parsed = ModulesParser.parse(try Fixtures.local("handmade-kernel-format_proc-modules"))
        XCTAssertEqual(parsed.notes, [])
        XCTAssertEqual(parsed.items.count, 29, "isofs is being unloaded")
        XCTAssertFalse(parsed.items.contains { $0.name == "isofs" })
        XCTAssertEqual(parsed.items.first { $0.name == "zfs" }?.taints, "POE")
        XCTAssertEqual(parsed.items.first { $0.name == "spl" }?.taints, "OE")
        XCTAssertEqual(parsed.items.first { $0.name == "wireguard" }?.taints, "")
        XCTAssertNotNil(parsed.items.first { $0.name == "overlay" }, "a module still loading counts as loaded")
        XCTAssertNotNil(parsed.items.first { $0.name == "dm_mod" })
        XCTAssertEqual(parsed.items.map(\.name), parsed.items.map(\.name).sorted())
    }

    func testGarbageIsCounted() {
        let parsed = ModulesParser.parse("ext4 1011712 2 - Live 0x0\nbad\nname/slash 1 0 - Live 0x0\nx notanumber 0 - Live 0x0\n")
        XCTAssertEqual(parsed.items, [KernelModule(name: "ext4")])
        XCTAssertEqual(parsed.notes, ["modules: 3 /proc/modules lines not understood"])
    }
}
