import XCTest
@testable import Collect

/// Every reason the `system.reboot` step can give, on real and on built outputs.
final class RebootReasonsTests: XCTestCase {
    /// This machine: systemd was upgraded after the last boot (systemd-container came with the lab).
    func testRealCaptureNamesSystemdUpgradedAfterBoot() throws {
        let parsed = RebootRequiredParser.parse(try Fixtures.local("debian-12_system-reboot.out"))
        XCTAssertEqual(parsed.required, true)
        XCTAssertEqual(parsed.reasons, ["core packages upgraded after the last boot: systemd"])
    }

    func testDebianNewerKernelAndCorePackagesAfterBoot() {
        let text = """
        running=6.1.0-18-amd64
        btime=1000
        pid1start=500
        hz=100
        manager=dpkg
        dpkg=900 linux-image-6.1.0-18-amd64.list
        dpkg=1010 linux-image-6.1.0-21-amd64.list
        dpkg=1010 linux-image-amd64.list
        dpkg=1003 libc6:amd64.list
        dpkg=990 systemd.list
        """
        let p = RebootRequiredParser.parse(text)
        XCTAssertEqual(p.required, true)
        XCTAssertEqual(p.reasons, [
            "running kernel 6.1.0-18-amd64 is older than the newest installed kernel 6.1.0-21-amd64 (linux-image-6.1.0-21-amd64)",
            // boot = btime + 500/100 = 1005: libc6 at 1003 was before it, the kernel at 1010 after.
            "core packages upgraded after the last boot: linux-image-6.1.0-21-amd64",
        ])
    }

    func testDebianUpToDateIsFalseAndNoDatabaseIsUnknown() {
        let current = RebootRequiredParser.parse("running=6.1.0-21-amd64\nbtime=2000\nmanager=dpkg\ndpkg=1000 linux-image-6.1.0-21-amd64.list\ndpkg=1000 linux-image-6.1.0-18-amd64.list\n")
        XCTAssertEqual(current.required, false)
        XCTAssertEqual(current.reasons, [])
        XCTAssertNil(RebootRequiredParser.parse("running=6.1.0-21-amd64\n").required)
    }

    func testInAContainerKernelPackagesAreNotComparedWithTheHostsKernel() {
        let text = "running=6.18.44-fc-v782\nbtime=1000\npid1start=10000\nhz=100\ncontainer=systemd-nspawn\nmanager=dpkg\ndpkg=1050 linux-image-99.0.0-1-pplab.list\ndpkg=1150 intel-microcode.list\n"
        let p = RebootRequiredParser.parse(text)
        XCTAssertEqual(p.reasons, ["core packages upgraded after the last boot: intel-microcode"])
        XCTAssertEqual(p.notes, ["system: in a container (systemd-nspawn): the running kernel is the host's, so kernel packages here are not compared with it"])
        XCTAssertEqual(RebootRequiredParser.parse(text.replacingOccurrences(of: "container=systemd-nspawn\n", with: "")).reasons.first,
                       "running kernel 6.18.44-fc-v782 is older than the newest installed kernel 99.0.0-1-pplab (linux-image-99.0.0-1-pplab)")
    }

    func testRebootRequiredFileWithPackages() {
        let p = RebootRequiredParser.parse("running=5.15.0-91-generic\nflag=present\npkg=linux-image-5.15.0-92-generic\npkg=libssl3\nmanager=dpkg\n")
        XCTAssertEqual(p.required, true)
        XCTAssertEqual(p.packages, ["libssl3", "linux-image-5.15.0-92-generic"])
        XCTAssertEqual(p.reasons, ["/var/run/reboot-required exists (asked by libssl3, linux-image-5.15.0-92-generic)"])
    }

    func testRPMNewestKernelByInstallTimeAndNeedsRestarting() {
        let text = """
        running=5.14.0-362.8.1.el9_3.x86_64
        btime=1000
        manager=rpm
        needs-restarting=1
        rpm=kernel-core 900 5.14.0-362.8.1.el9_3.x86_64
        rpm=kernel-core 1200 5.14.0-362.13.1.el9_3.x86_64
        rpm=glibc 1100 2.34-83.el9.x86_64
        package dbus is not installed
        """
        let p = RebootRequiredParser.parse(text)
        XCTAssertEqual(p.reasons, [
            "needs-restarting -r reports a reboot is needed",
            "running kernel 5.14.0-362.8.1.el9_3.x86_64 is older than the newest installed kernel 5.14.0-362.13.1.el9_3.x86_64 (kernel-core)",
            "core packages upgraded after the last boot: glibc, kernel-core",
        ])
    }

    func testAlpineKernelFlavour() {
        XCTAssertEqual(RebootRequiredParser.parse("running=6.6.14-0-lts\nmanager=apk\napk=linux-lts-6.6.14-r0\n").reasons, [])
        XCTAssertEqual(RebootRequiredParser.parse("running=6.6.14-0-lts\nmanager=apk\napk=linux-lts-6.6.20-r0\n").reasons,
                       ["running kernel 6.6.14-0-lts differs from the installed linux-lts-6.6.20-r0 (6.6.20-0-lts)"])
    }

    func testKernelPackageNames() {
        XCTAssertEqual(RebootRequiredParser.debianKernelRelease("linux-image-6.1.0-18-cloud-amd64"), "6.1.0-18-cloud-amd64")
        XCTAssertEqual(RebootRequiredParser.debianKernelRelease("linux-image-unsigned-5.15.0-91-generic"), "5.15.0-91-generic")
        XCTAssertEqual(RebootRequiredParser.debianKernelRelease("linux-image-6.1.0-18-amd64-unsigned"), "6.1.0-18-amd64")
        XCTAssertNil(RebootRequiredParser.debianKernelRelease("linux-image-amd64"))
        XCTAssertNil(RebootRequiredParser.debianKernelRelease("linux-image-6.1.0-18-amd64-dbg"))
    }
}
