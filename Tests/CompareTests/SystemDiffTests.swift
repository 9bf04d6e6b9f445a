import XCTest
import Model
@testable import Compare

final class SystemDiffTests: DiffTestCase {
    func testRebootWithNewKernel() {
        let v = diff {
            $0.system.kernel = "6.1.0-18-amd64"
            $0.system.bootID = "9c1d7e20-0b6f-4e51-a2c3-5d8f7a9e4b10"
            $0.system.uptimeSeconds = 74
        }
        XCTAssertEqual(v.summary, ["host-rebooted info boot id", "kernel-changed info kernel"])
        XCTAssertEqual(v.findings.map(\.message), [
            "host rebooted (boot id 3f2a9c1e → 9c1d7e20)", "kernel 6.1.0-17-amd64 → 6.1.0-18-amd64",
        ])
    }

    func testOSChange() {
        let v = diff { $0.system.os = OSRelease(id: "debian", versionID: "13", prettyName: "Debian GNU/Linux 13 (trixie)") }
        XCTAssertEqual(v.summary, ["os-changed info os"])
        XCTAssertEqual(v.findings.first?.message, "OS Debian GNU/Linux 12 (bookworm) → Debian GNU/Linux 13 (trixie)")
    }

    func testRebootRequiredAfterPatchIsWarning() {
        let v = diff {
            $0.packages.append(TestSnapshots.pkg("linux-image-6.1.0-18-amd64", "6.1.76-1"))
            $0.system.rebootRequired = true
            $0.system.rebootRequiredPackages = ["linux-image-6.1.0-18-amd64"]
        }
        XCTAssertEqual(v.summary, ["reboot-required warning reboot required", "package-installed info linux-image-6.1.0-18-amd64"])
        XCTAssertEqual(v.findings.first?.message, "reboot required (linux-image-6.1.0-18-amd64): patched but not rebooted")
    }

    func testRebootStillRequiredAfterAnotherPatchIsWarning() {
        let v = diff(baseline: { $0.system.rebootRequired = true }) {
            $0.system.rebootRequired = true
            $0.packages = replacing($0.packages, where: { $0.name == "libc6" && $0.arch == "amd64" }, with: { $0.version = "2.36-9+deb12u4" })
        }
        XCTAssertEqual(v.summary, ["reboot-required warning reboot required", "package-upgraded info libc6"])
    }

    func testRebootRequiredEvenWhenThePatchedPackageIsIgnored() {
        let rules = CompareRules(ignore: IgnoreRules([.packages: ["libc6"]]))
        let v = diff(rules: rules, baseline: { $0.system.rebootRequired = true }) {
            $0.system.rebootRequired = true
            $0.packages = replacing($0.packages, where: { $0.name == "libc6" }, with: { $0.version = "2.36-9+deb12u4" })
        }
        XCTAssertEqual(v.summary, ["reboot-required warning reboot required"])
    }

    func testRebootClearedIsNoFinding() {
        let v = diff(baseline: { $0.system.rebootRequired = true }) { $0.system.rebootRequired = false }
        XCTAssertEqual(v.findings, [])
    }

    func testUnknownFactsAreNotItems() {
        let v = diff { $0.system.bootID = ""; $0.system.rebootRequired = nil; $0.system.kernel = "" }
        XCTAssertEqual(v.items.filter { $0.category == .section(.system) }.map(\.subject), ["os"])
        XCTAssertEqual(v.findings, [])
    }

    func testUptimeIsVolatile() {
        let v = diff { $0.system.uptimeSeconds = 3 }
        XCTAssertEqual(v.findings, [])
    }

    // MARK: a whole section lost

    func testEmptyPackageSectionIsOneCaptureFindingNotAStorm() {
        let v = diff { $0.packages = []; $0.notes = ["packages: dpkg-query: exited 2"] }
        XCTAssertEqual(v.summary, ["capture-missing regression packages capture"])
        XCTAssertEqual(v.findings.first?.message,
                       "no packages captured now, the baseline had some: packages: dpkg-query: exited 2")
        XCTAssertEqual(v.items.first?.category, .host)
    }

    func testEmptyServiceAndSocketSections() {
        let v = diff { $0.services = []; $0.sockets = [] }
        XCTAssertEqual(v.summary, ["capture-missing regression services capture", "capture-missing regression sockets capture"])
    }
}
