import XCTest
import Config

final class HostSpecTests: XCTestCase {
    func testUserHostPort() throws {
        XCTAssertEqual(try HostSpec.parse("ops@web1:2222"), HostSpec(user: "ops", host: "web1", port: 2222))
        XCTAssertEqual(try HostSpec.parse("web1"), HostSpec(host: "web1"))
        XCTAssertEqual(try HostSpec.parse("192.0.2.11:22"), HostSpec(host: "192.0.2.11", port: 22))
        XCTAssertEqual(try HostSpec.parse("ops@web1:2222").description, "ops@web1:2222")
    }

    func testBracketedIPv6WithPort() throws {
        XCTAssertEqual(try HostSpec.parse("[::1]:2222"), HostSpec(host: "::1", port: 2222))
        XCTAssertEqual(try HostSpec.parse("root@[::1]:2222"), HostSpec(user: "root", host: "::1", port: 2222))
        XCTAssertEqual(try HostSpec.parse("[::1]:2222").description, "[::1]:2222")
        XCTAssertEqual(try HostSpec.parse("[::1]"), HostSpec(host: "::1"))
    }

    func testBareIPv6HasNoPort() throws {
        XCTAssertEqual(try HostSpec.parse("::1"), HostSpec(host: "::1"))
        XCTAssertEqual(try HostSpec.parse("ops@fe80::1"), HostSpec(user: "ops", host: "fe80::1"))
    }

    func testLocal() throws {
        XCTAssertTrue(try HostSpec.parse("local").isLocal)
        XCTAssertFalse(try HostSpec.parse("ops@local").isLocal)
        XCTAssertFalse(try HostSpec.parse("local:22").isLocal)
    }

    func testBadInput() {
        func fails(_ text: String, _ message: String, line: UInt = #line) {
            XCTAssertThrowsError(try HostSpec.parse(text), line: line) { error in
                XCTAssertEqual("\(error)", message, line: line)
            }
        }
        let form = "; write it as [user@]host[:port] or [user@][ipv6]:port"
        fails("web1:99999", "host 'web1:99999': port '99999' is not a number from 1 to 65535" + form)
        fails("web1:ssh", "host 'web1:ssh': port 'ssh' is not a number from 1 to 65535" + form)
        fails("web1:0", "host 'web1:0': port '0' is not a number from 1 to 65535" + form)
        fails("@web1", "host '@web1': empty user name before '@'" + form)
        fails("ops@", "host 'ops@': empty host name" + form)
        fails("[::1", "host '[::1': '[' without ']'" + form)
        fails("[::1]x", "host '[::1]x': junk after ']'" + form)
        fails("web 1", "host 'web 1': host names hold no spaces, slashes or quotes" + form)
    }

    /// One parser, two syntaxes: what a command line allows and what ssh's ProxyJump reader allows differ.
    func testCommandLineAndProxyJumpSyntaxes() throws {
        XCTAssertEqual(try HostSpec.parse("ops@fe80::1"), HostSpec(user: "ops", host: "fe80::1"))
        XCTAssertThrowsError(try HostSpec.parse("ops@fe80::1", syntax: .proxyJump), "a ':' always starts the port")
        XCTAssertEqual(try HostSpec.parse("ssh://u@gw"), HostSpec(user: "ssh://u", host: "gw"), "no URIs on the command line")
        XCTAssertEqual(try HostSpec.parse("ssh://u@gw", syntax: .proxyJump), HostSpec(user: "u", host: "gw"))
        XCTAssertEqual(try HostSpec.parse("gw:ssh", syntax: .proxyJump), HostSpec(host: "gw", port: 22))
        XCTAssertThrowsError(try HostSpec.parse("gw/x"))
        XCTAssertEqual(try HostSpec.parse("gw/x", syntax: .proxyJump), HostSpec(host: "gw/x"), "ssh passes it on")
        XCTAssertThrowsError(try HostSpec.parse("o b@gw", syntax: .proxyJump)) {
            XCTAssertEqual("\($0)", "host 'o b@gw': host and user hold no spaces or quotes; "
                               + "write it as [user@]host[:port] or [user@][ipv6]:port")
        }
    }
}
