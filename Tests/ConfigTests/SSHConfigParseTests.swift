import XCTest
@testable import Config

/// Parses `text` as /home/ops/.ssh/config; `files` are the other files "on disk" (path -> text),
/// listed for Include wildcards from their paths.
func sshConfig(_ text: String, files: [String: String] = [:], home: String = "/home/ops") -> SSHConfig {
    SSHConfig.parse(text, path: home + "/.ssh/config", home: home, readFile: { files[$0] },
                    listDirectory: { dir in
                        let prefix = dir.hasSuffix("/") ? dir : dir + "/"
                        let names = files.keys.filter { $0.hasPrefix(prefix) }
                            .map { String($0.dropFirst(prefix.count).split(separator: "/")[0]) }
                        return names.isEmpty ? nil : Array(Set(names))
                    })
}

final class SSHConfigParseTests: XCTestCase {
    private func line(_ text: String) -> SSHConfigLine? {
        if case let .line(l) = SSHConfigTokenizer.split(text) { return l }
        return nil
    }

    func testKeyValueFormsAndCase() {
        for text in ["Port 22", "port=22", "  PORT = 22", "\tPort\t22  ", "Port= 22", "\"Port\" 22"] {
            XCTAssertEqual(line(text)?.keyword, "port", text)
            XCTAssertEqual(line(text)?.args, ["22"], text)
        }
        XCTAssertEqual(line("Port==22")?.args, ["=22"], "only one '=' is a separator")
        XCTAssertEqual(line("User nix # trailing comment")?.args, ["nix"])
        XCTAssertEqual(line("User a#b")?.args, ["a#b"], "'#' starts a comment only at a word start")
    }

    func testQuotesAndEscapes() {
        XCTAssertEqual(line(#"IdentityFile "/my keys/id rsa""#)?.args, ["/my keys/id rsa"])
        XCTAssertEqual(line(#"IdentityFile '/a b'"#)?.args, ["/a b"])
        XCTAssertEqual(line(#"IdentityFile a"b c"d"#)?.args, ["ab cd"], "quotes may open mid-word")
        XCTAssertEqual(line(#"IdentityFile a\ b"#)?.args, ["a b"])
        XCTAssertEqual(line(#"IdentityFile a\q"#)?.args, [#"a\q"#], "unknown escapes stay")
        XCTAssertEqual(SSHConfigTokenizer.split(#"IdentityFile "open"#), .problem("unbalanced quotes"))
    }

    func testBlankCommentsAndMissingArguments() {
        for text in ["", "   ", "# comment", "   # indented comment", "\r", "\u{0C}"] {
            XCTAssertEqual(SSHConfigTokenizer.split(text), .blank, text)
        }
        XCTAssertEqual(SSHConfigTokenizer.split("Port"), .problem("no argument after keyword \"Port\""))
        XCTAssertEqual(line("ProxyCommand = ssh -W %h:%p gw")?.raw, "ssh -W %h:%p gw")
    }

    func testCRLFLinesAndNulBytes() {
        let c = sshConfig("Host a\r\n  User crlf\r\n  Port 2\u{0}junk\r\n")
        let s = c.resolve(host: "a", localUser: "ops")
        XCTAssertEqual(s.user, "crlf")
        XCTAssertEqual(s.port, 2, "ssh stops reading a line at a NUL byte")
        XCTAssertEqual(c.warnings, [])
    }

    func testBadValuesWarnWithFileAndLineAndAreIgnored() {
        let c = sshConfig("""
            Host *
              Port abc
              Port 70000
              ConnectTimeout soon
              StrictHostKeyChecking maybe
              IdentitiesOnly perhaps
              ProxyJump bad host
              User a b
              Port 2022
            """)
        XCTAssertEqual(c.warnings, [
            "/home/ops/.ssh/config:2: Port: bad port 'abc'; use a number from 1 to 65535 (line ignored)",
            "/home/ops/.ssh/config:3: Port: bad port '70000'; use a number from 1 to 65535 (line ignored)",
            "/home/ops/.ssh/config:4: ConnectTimeout: invalid time value 'soon'; use seconds, e.g. 10 or 1m30s (line ignored)",
            "/home/ops/.ssh/config:5: StrictHostKeyChecking: 'maybe' is not yes, no, ask, accept-new or off (line ignored)",
            "/home/ops/.ssh/config:6: IdentitiesOnly: 'perhaps' is not yes or no (line ignored)",
            "/home/ops/.ssh/config:7: ProxyJump: invalid hop 'bad host'; write [user@]host[:port], comma-separated (line ignored)",
            "/home/ops/.ssh/config:8: User: extra arguments at end of line (line ignored)",
        ])
        let s = c.resolve(host: "x", localUser: "ops")
        XCTAssertEqual(s.port, 2022)
        XCTAssertNil(s.user)
        XCTAssertNil(s.connectTimeout)
        XCTAssertEqual(s.proxyJump, [])
    }

    func testUnknownKeywordsWarnUnlessIgnoreUnknown() {
        let c = sshConfig("""
            UseKeychain yes
            IgnoreUnknown UseKeychain,AddKeysToAgentX
            usekeychain yes
            Frobnicate 1
            Protocol 2
            """)
        XCTAssertEqual(c.warnings, [
            "/home/ops/.ssh/config:1: unknown keyword 'UseKeychain' ignored (ssh itself would refuse this file)",
            "/home/ops/.ssh/config:4: unknown keyword 'Frobnicate' ignored (ssh itself would refuse this file)",
        ])
        // Protocol is obsolete: ssh skips it silently, so does PostPatch.
        XCTAssertEqual(c.resolve(host: "h", localUser: "ops").ignored, ["UseKeychain", "usekeychain", "Frobnicate"])
    }

    func testMatchProblemsSkipTheBlock() {
        let c = sshConfig("""
            Match exec "test -f /tmp/x"
              User fromexec
            Match host a localnetwork 10.0.0.0/8
              User fromnet
            Match all host a
              User fromall
            Match host
              User fromnothing
            Match !exec true
              User negexec
            """)
        XCTAssertEqual(c.warnings, [
            "/home/ops/.ssh/config:1: Match exec is not supported (PostPatch runs no local commands): block skipped",
            "/home/ops/.ssh/config:3: Match criterion 'localnetwork' is not supported: block skipped",
            "/home/ops/.ssh/config:5: Match: 'all' cannot be combined with other Match criteria: block skipped",
            "/home/ops/.ssh/config:7: Match host: missing argument: block skipped",
            "/home/ops/.ssh/config:9: Match exec is not supported (PostPatch runs no local commands): block skipped",
        ])
        XCTAssertNil(c.resolve(host: "a", localUser: "ops").user)
    }

    func testEmptyHostPatternMatchesNothing() {
        let c = sshConfig("Host \"\"\n  User empty\nHost *\n  Port 3\n")
        XCTAssertEqual(c.warnings, ["/home/ops/.ssh/config:1: Host: empty pattern; this block applies to no host"])
        let s = c.resolve(host: "a", localUser: "ops")
        XCTAssertNil(s.user)
        XCTAssertEqual(s.port, 3)
    }

    func testValueParsers() {
        XCTAssertEqual(SSHConfigValues.seconds("90"), 90)
        XCTAssertEqual(SSHConfigValues.seconds("1m30s"), 90)
        XCTAssertEqual(SSHConfigValues.seconds("1H"), 3600)
        XCTAssertEqual(SSHConfigValues.seconds("1w1d"), 691_200)
        XCTAssertNil(SSHConfigValues.seconds("m"))
        XCTAssertNil(SSHConfigValues.seconds("-5"))
        XCTAssertNil(SSHConfigValues.seconds("99999999999"))
        XCTAssertEqual(SSHConfigValues.port("ssh"), 22)
        XCTAssertEqual(SSHConfigValues.port("0022"), 22)
        XCTAssertNil(SSHConfigValues.port("0"))
        XCTAssertNil(SSHConfigValues.port("+22"))
        XCTAssertEqual(SSHConfigValues.strictMode("OFF"), "no")
        XCTAssertEqual(SSHConfigValues.strictMode("true"), "yes")
        XCTAssertEqual(SSHConfigValues.strictMode("accept-new"), "accept-new")
    }

    func testJumpHops() {
        func hop(_ text: String) -> HostSpec? { try? HostSpec.parse(text, syntax: .proxyJump) }
        XCTAssertEqual(hop("bob@gw:2022"), HostSpec(user: "bob", host: "gw", port: 2022))
        XCTAssertEqual(hop("[::1]:22"), HostSpec(user: nil, host: "::1", port: 22))
        XCTAssertEqual(hop("ssh://u@j3:99"), HostSpec(user: "u", host: "j3", port: 99))
        XCTAssertEqual(hop("a@b@gw"), HostSpec(user: "a@b", host: "gw", port: nil))
        XCTAssertEqual(hop("gw:ssh"), HostSpec(host: "gw", port: 22))
        XCTAssertEqual(hop("gw:"), HostSpec(host: "gw"))
        for bad in ["", "@gw", "gw:x", "::1", "ssh://gw/path", "[::1", "gw:0", "g w", "o'b@gw", "gw:+22"] {
            XCTAssertNil(hop(bad), bad)
        }
    }
}
