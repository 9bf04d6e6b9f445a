import Foundation
import Model
import TestSupport
import XCTest
@testable import Collect

/// The sysctl step on the realistic Debian 12 lab host (SysctlLabTests with PP_CAPTURE_FIXTURES=1):
/// its own files (systemd's under /usr/lib and /lib, the same files twice through usrmerge) and
/// /etc/sysctl.d/90-pp-web.conf, before and after it changed.
final class SysctlParserTests: XCTestCase {
    func testTheRealisticHost() throws {
        let before = SysctlParser.parse(try Fixtures.local("sysctl-realistic-before.txt"))
        XCTAssertEqual(before.notes, [])
        let byKey = Dictionary(uniqueKeysWithValues: before.items.map { ($0.key, $0) })
        XCTAssertEqual(byKey["net.ipv4.ip_forward"], KernelSetting(key: "net.ipv4.ip_forward", value: "1"), "set at runtime, no file")
        XCTAssertEqual(byKey["net.core.somaxconn"],
                       KernelSetting(key: "net.core.somaxconn", value: "1024", persisted: "1024", persistedIn: "/etc/sysctl.d/90-pp-web.conf"))
        XCTAssertEqual(byKey["net.ipv4.ip_local_port_range"]?.value, "32768 60999", "the kernel's tab squeezed")
        // /usr/lib/sysctl.d wins over /lib/sysctl.d for the same file name (systemd's folder order).
        XCTAssertEqual(byKey["kernel.pid_max"]?.persistedIn, "/usr/lib/sysctl.d/50-pid-max.conf")
        XCTAssertEqual(before.items.count, 15)
        let after = SysctlParser.parse(try Fixtures.local("sysctl-realistic-after.txt"))
        XCTAssertEqual(after.items.first { $0.key == "net.core.somaxconn" }?.persisted, "2048")
        XCTAssertEqual(after.items.first { $0.key == "net.ipv4.ip_forward" }?.value, "0")
    }

    func testPrecedence() {
        let text = """
        conf\t/etc/sysctl.conf\tvm.swappiness\t10
        conf\t/usr/lib/sysctl.d/10-a.conf\tvm.swappiness\t30
        conf\t/etc/sysctl.d/10-a.conf\tvm.swappiness\t20
        conf\t/etc/sysctl.d/20-b.conf\tnet/ipv4/ip_forward\t1
        conf\t/etc/sysctl.d/20-b.conf\t-net.ipv4.conf.*.rp_filter\t2
        value\tvm.swappiness\t10
        value\tnet.ipv4.ip_forward\t1
        garbage
        """
        let parsed = SysctlParser.parse(text)
        XCTAssertEqual(parsed.items.map { "\($0.key)=\($0.value) \($0.persisted ?? "-") \($0.persistedIn ?? "-")" }, [
            "net.ipv4.ip_forward=1 1 /etc/sysctl.d/20-b.conf",
            "vm.swappiness=10 10 /etc/sysctl.conf",
        ], "/etc/sysctl.conf last; /etc/sysctl.d/10-a.conf hides /usr/lib's; slashes are dots; globs left out")
        XCTAssertEqual(parsed.notes, ["sysctl: 1 line not understood"])
    }
}
