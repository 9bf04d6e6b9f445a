import XCTest
@testable import Config

final class SSHConfigIncludeTests: XCTestCase {
    func testRelativeIncludesLiveInDotSSHAndGlobsSortAndSkipHiddenFiles() {
        let files = [
            "/home/ops/.ssh/config.d/20-b.conf": "Host *\n  IdentityFile ~/b\n",
            "/home/ops/.ssh/config.d/10-a.conf": "Host *\n  IdentityFile ~/a\n",
            "/home/ops/.ssh/config.d/.hidden.conf": "Host *\n  IdentityFile ~/hidden\n",
            "/home/ops/.ssh/config.d/notes.txt": "Host *\n  IdentityFile ~/txt\n",
        ]
        let c = sshConfig("Include config.d/*.conf\n", files: files)
        XCTAssertEqual(c.warnings, [])
        XCTAssertEqual(c.resolve(host: "x", localUser: "o").identityFiles, ["/home/ops/a", "/home/ops/b"])
    }

    func testIncludeInsideHostBlockAppliesOnlyWhenTheBlockDoes() {
        let files = ["/etc/inc.conf": """
            User top-of-include
            Host db*
              Port 3333
            Match all
              ConnectTimeout 7
            """]
        let c = sshConfig("""
            Host web*
              Include /etc/inc.conf
              HostKeyAlias after-include
            Host *
              IdentitiesOnly yes
            """, files: files)
        let web = c.resolve(host: "web1", localUser: "o")
        XCTAssertEqual(web.user, "top-of-include")
        XCTAssertEqual(web.connectTimeout, 7)
        XCTAssertNil(web.port)
        XCTAssertEqual(web.hostKeyAlias, "after-include", "the Match inside the include does not leak out")
        // Not under web*: the include is read but nothing in it can switch on, not even `Host db*`.
        let db = c.resolve(host: "db1", localUser: "o")
        XCTAssertNil(db.user)
        XCTAssertNil(db.port)
        XCTAssertNil(db.connectTimeout)
        XCTAssertEqual(db.identitiesOnly, true)
    }

    func testTildeAndSeveralPathsAndMissingFiles() {
        let files = ["/home/ops/x.conf": "User x\n", "/home/ops/.ssh/y.conf": "Port 5\n"]
        let c = sshConfig("Include ~/x.conf y.conf ~/missing.conf /nowhere/*.conf ~bob/z.conf\n", files: files)
        let s = c.resolve(host: "h", localUser: "o")
        XCTAssertEqual(s.user, "x")
        XCTAssertEqual(s.port, 5)
        XCTAssertEqual(c.warnings, [
            "/home/ops/.ssh/config:1: Include ~/missing.conf matched no files",
            "/home/ops/.ssh/config:1: Include /nowhere/*.conf matched no files",
            "/home/ops/.ssh/config:1: Include ~bob/z.conf: only '~/' is expanded; write the full path",
        ])
    }

    func testWarningsNameTheIncludedFile() {
        let c = sshConfig("Include /etc/bad.conf\n", files: ["/etc/bad.conf": "\n\nPort many\n"])
        XCTAssertEqual(c.warnings, ["/etc/bad.conf:3: Port: bad port 'many'; use a number from 1 to 65535 (line ignored)"])
    }

    func testIncludeLoopStopsAtDepthSixteen() {
        let c = sshConfig("Include /etc/loop.conf\n", files: ["/etc/loop.conf": "IdentityFile ~/k\nInclude /etc/loop.conf\n"])
        XCTAssertEqual(c.warnings, [
            "/etc/loop.conf:2: Include /etc/loop.conf: nested more than 16 deep (an include loop?); skipped",
        ])
        XCTAssertEqual(c.resolve(host: "h", localUser: "o").identityFiles, ["/home/ops/k"])
    }

    func testGlobFanOutIsBounded() {
        // Each file includes both: 2^16 reads without a bound.
        let body = "Include /etc/f/*.conf\n"
        let c = sshConfig(body, files: ["/etc/f/a.conf": body, "/etc/f/b.conf": body])
        XCTAssertTrue(c.warnings.contains { $0.hasSuffix("more than 512 included files; the rest skipped") }, "\(c.warnings.prefix(3))")
        _ = c.resolve(host: "h", localUser: "o")
    }

    func testMatchFinalInsideAnIncludeTriggersTheSecondPass() {
        let files = ["/etc/final.conf": "Match final host real\n  Port 77\n"]
        let c = sshConfig("Host alias\n  HostName real\nHost *\n  Include /etc/final.conf\n", files: files)
        XCTAssertEqual(c.resolve(host: "alias", localUser: "o").port, 77)
        // In the second pass `Host alias` is compared with the final name "real" and fails,
        // so an include under it is read but switched off (ssh -G agrees: port 22).
        let under = sshConfig("Host alias\n  HostName real\n  Include /etc/final.conf\n", files: files)
        XCTAssertNil(under.resolve(host: "alias", localUser: "o").port)
    }

    func testGlobMatcher() {
        func m(_ name: String, _ pattern: String) -> Bool {
            SSHConfigGlob.matches(Array(name.utf8), Array(pattern.utf8))
        }
        XCTAssertTrue(m("a.conf", "*.conf"))
        XCTAssertFalse(m(".a.conf", "*.conf"))
        XCTAssertTrue(m(".a.conf", ".*.conf"))
        XCTAssertTrue(m("b1", "[a-c][0-9]"))
        XCTAssertFalse(m("d1", "[a-c][0-9]"))
        XCTAssertTrue(m("d1", "[!a-c]1"))
        XCTAssertTrue(m("]", "[]]"))
        XCTAssertTrue(m("[x", "[x"))
        XCTAssertTrue(m("a*b", "a\\*b"))
        XCTAssertFalse(m("axb", "a\\*b"))
    }
}
