import TestSupport
import XCTest
@testable import Config

/// Any input, however broken, must parse and resolve without crashing or hanging.
final class SSHConfigRobustnessTests: XCTestCase {

    func testRandomBytesNeverCrash() {
        var rng = Seeded(state: 20_240_611)
        for _ in 0..<300 {
            let count = Int.random(in: 0..<400, using: &rng)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let text = String(decoding: bytes, as: UTF8.self)
            let c = sshConfig(text, files: ["/home/ops/.ssh/x": text])
            ReaderInvariants.settings(c.resolve(host: "h", localUser: "ops"))
        }
    }

    /// Random lines built from config vocabulary hit far more code than random bytes.
    func testRandomConfigShapedTextNeverCrashes() {
        let words = ["Host", "Match", "Include", "HostName", "User", "Port", "IdentityFile", "ProxyJump",
                     "ProxyCommand", "ConnectTimeout", "UserKnownHostsFile", "StrictHostKeyChecking", "all", "final",
                     "canonical", "host", "!host", "user", "exec", "*", "?", "!", "a*", "%h", "%%", "%", "~", "~/x",
                     "=", "\"", "'", "#", "\\", ",", "none", "22", "x", "a,b", "[::1]:2", "@", "x/*", "/x", "*.conf",
                     "CanonicalizeHostname", "yes", "IgnoreUnknown", "\t", " "]
        var rng = Seeded(state: 7)
        var files: [String: String] = [:]
        func randomText() -> String {
            (0..<Int.random(in: 0..<30, using: &rng)).map { _ in
                (0..<Int.random(in: 0..<6, using: &rng)).map { _ in words.randomElement(using: &rng)! }.joined(separator: " ")
            }.joined(separator: "\n")
        }
        for name in ["/home/ops/.ssh/x", "/x", "/home/ops/x", "/home/ops/.ssh/a.conf"] { files[name] = randomText() }
        for _ in 0..<300 {
            let c = sshConfig(randomText(), files: files)
            for host in ["h", "a1", "", "*", "%h"] { ReaderInvariants.settings(c.resolve(host: host, localUser: "ops")) }
        }
    }

    func testPathologicalPatternsStayFast() {
        let host = String(repeating: "a", count: 5000)
        let pattern = String(repeating: "*a", count: 200) + "b"
        let c = sshConfig("Host \(pattern)\n  User never\nMatch host \(pattern),\(pattern)\n  User never\n")
        let start = Date()
        XCTAssertNil(c.resolve(host: host, localUser: "o").user)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        XCTAssertTrue(SSHPattern.matches("abcabd", "*ab?"))
        XCTAssertFalse(SSHPattern.matches("abc", "*b"))
        XCTAssertTrue(SSHPattern.matches("", "*"))
        XCTAssertEqual(SSHPattern.matchList("x", "", lowercase: false), .none)
        XCTAssertEqual(SSHPattern.matchList("Web1", "WEB*,!web2", lowercase: true), .positive)
        XCTAssertEqual(SSHPattern.matchList("web2", "web*,!web2", lowercase: true), .negative)
    }
}
