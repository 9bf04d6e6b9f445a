import XCTest
import Model
@testable import Compare

/// The interfaces left out by default are the shapes engines really create (issue 25): Docker's
/// `br-` and twelve hex digits, not an admin's `br-lan`. The collector's matcher
/// (`isDefaultIgnored`, no fnmatch) and the differ's globs agree on every name.
final class DefaultInterfacesTests: XCTestCase {
    static let engines = ["veth1a2b3c4", "vethb7e2f01@if5", "ve-web1", "vb-web1", "docker0", "docker_gwbridge", "br-3f2a9c0d1e4b",
                          "cni0", "cni-podman0", "flannel.1", "cali8d2f1a9b3c4", "cilium_host", "cilium_vxlan", "lxcbr0", "lxdbr0",
                          "virbr0", "virbr0-nic", "vnet3", "podman0"]
    static let admins = ["br-lan", "br-mgmt", "br-ex", "br-int", "br0", "br-3F2A9C0D1E4B", "br-3f2a9c0d1e4", "br-3f2a9c0d1e4bc",
                         "docker1", "eth0", "ens3", "wg0", "bond0", "lxc-admin", "vlan100"]

    func testEngineInterfacesAreIgnoredAndAdminsAreCompared() {
        for name in Self.engines {
            XCTAssertTrue(IgnoreRules.isDefaultIgnored(interface: name), name)
        }
        for name in Self.admins {
            XCTAssertFalse(IgnoreRules.isDefaultIgnored(interface: name), name)
        }
    }

    func testTheCollectorsMatcherAgreesWithTheGlobs() {
        for name in Self.engines + Self.admins {
            XCTAssertEqual(IgnoreRules.isDefaultIgnored(interface: name), Glob.any(IgnoreRules.defaultInterfaces, name), name)
        }
    }
}
