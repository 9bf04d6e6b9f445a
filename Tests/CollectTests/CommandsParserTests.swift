import XCTest
import Model
@testable import Collect

/// CommandsParser over step outputs as the fragment prints them, and over what it never prints.
final class CommandsParserTests: XCTestCase {
    let check = CommandCheck(name: "app-smoke", run: "test -f /srv/ready", timeout: 5)

    func testACapturedRun() {
        let out = """
            t=5
            s0=1700000000
            n0=1700000000100000000
            run=captured
            s1=1700000001
            n1=1700000001350000000
            rc=0
            rest=10
            sum=sha256:72D6E231D17402ED02D30895F9EC2E9C66A09A23CE4B130A1A093FF103850E07
            kept=3
            hex
             6f 6b 0a

            """
        let (r, notes) = CommandsParser.parse(out, check: check)
        XCTAssertEqual(r, CommandResult(name: "app-smoke", exit: 0, digest: "sha256:72d6e231d17402ed02d30895f9ec2e9c66a09a23ce4b130a1a093ff103850e07",
                                        outputBytes: 13, excerpt: "ok\n", durationMs: 1250, compare: .exit))
        XCTAssertEqual(notes, [])
    }

    func testTimeoutsAndExitStatuses() {
        func result(_ lines: String, _ c: CommandCheck? = nil) -> CommandResult {
            CommandsParser.parse("run=captured\nt=5\n" + lines, check: c ?? check).result
        }
        // GNU timeout's 124 after the limit: timed out.
        XCTAssertEqual(result("s0=10\ns1=15\nrc=124\n").failed, ["timed out after 5 s"])
        XCTAssertNil(result("s0=10\ns1=15\nrc=124\n").exit)
        // 124, 137 or 143 before the limit: the command's own status.
        XCTAssertEqual(result("s0=10\ns1=11\nrc=143\n").exit, 143)
        XCTAssertEqual(result("s0=10\ns1=11\nrc=143\n").failed, ["exited 143 (expected 0)"])
        // The watcher's flag (no timeout tool) wins whatever the status.
        XCTAssertTrue(result("s0=10\ns1=11\nrc=0\nto=1\n").timedOut)
        // No status at all.
        XCTAssertEqual(result("s0=10\n").failed, ["no exit status from the host"])
        XCTAssertEqual(result("rc=3\n", CommandCheck(name: "x", run: "y", expectExit: nil)).failed, [])
    }

    func testStdoutContainsIsSearchedInTheKeptBytes() {
        let c = CommandCheck(name: "x", run: "y", expectStdoutContains: "ready")
        let kept = "kept=4\nhex\n 6e 6f 70 65\n"
        XCTAssertEqual(CommandsParser.parse("run=captured\nrc=0\nrest=0\n" + kept, check: c).result.failed,
                       ["output lacks 'ready' (its 4 bytes searched)"])
        XCTAssertEqual(CommandsParser.parse("run=captured\nrc=0\nrest=9000\n" + kept, check: c).result.failed,
                       ["output lacks 'ready' (its first 4 of 9004 bytes searched)"])
        XCTAssertEqual(CommandsParser.parse("run=captured\nrc=0\nkept=5\nhex\n 72 65 61 64 79\n", check: c).result.failed, [])
        let (r, notes) = CommandsParser.parse("run=uncaptured\nrc=0\n", check: c)
        XCTAssertEqual(r.failed, ["output not captured on the host, so it cannot show 'ready'"])
        XCTAssertEqual(notes, ["commands: no mkfifo, tee, dd or wc on the host: only the exit status of declared commands is kept"])
    }

    func testWhatTheHostLacked() {
        XCTAssertEqual(CommandsParser.parse("run=none\n", check: check).result.failed,
                       ["not run: the collector has no temp folder on the host (mktemp and mkdir failed)"])
        XCTAssertEqual(CommandsParser.parse("", check: check).result.failed,
                       ["no result from the host (its step printed nothing PostPatch understands)"])
        let noDigest = CommandsParser.parse("run=captured\nrc=0\nkept=0\nhex=none\n", check: check)
        XCTAssertNil(noDigest.result.digest)
        XCTAssertEqual(noDigest.notes, ["commands: no sha256sum or cksum on the host: declared commands' output is not compared",
                                        "commands: no od on the host: declared commands keep no excerpt"])
        XCTAssertEqual(CommandsParser.parse("run=captured\nrc=0\nsum=cksum:4294967295\n", check: check).result.digest, "cksum:4294967295")
        for bad in ["sum=sha256:xyz", "sum=md5:abc", "sum=cksum:", "sum=cksum:12a", "sum=sha256:" + String(repeating: "a", count: 65)] {
            XCTAssertNil(CommandsParser.parse("run=captured\nrc=0\n\(bad)\n", check: check).result.digest, bad)
        }
        let held = CommandsParser.parse("run=captured\nrc=0\nheld=1\nsum=cksum:1\n", check: check)
        XCTAssertEqual(held.notes, ["commands: 'app-smoke' left a process holding its output open; what it printed after 5 s was not read"])
    }

    /// More hex than the host was asked to keep, hex that is not hex, keys repeated, numbers out
    /// of range: bounded and never a crash.
    func testOddInputStaysBounded() {
        let line = " " + Array(repeating: "1b", count: 64).joined(separator: " ") + "\n"
        let out = "run=captured\nrc=99999999999999999999\nkept=-5\nrest=-7\nhex\n" + String(repeating: line, count: 200) + " zz 0g 123\n"
        let r = CommandsParser.parse(out, check: check).result
        XCTAssertNil(r.exit)
        XCTAssertEqual(r.outputBytes, 0)
        XCTAssertLessThanOrEqual(r.excerpt.count, CommandsParser.excerptCharacters + 1)
        XCTAssertTrue(r.excerpt.hasPrefix("\\u{1B}\\u{1B}"))
        XCTAssertTrue(r.excerpt.hasSuffix("…"))
        XCTAssertEqual(CommandsParser.parse("run=captured\nrc=1\nrc=0\n", check: check).result.exit, 1, "the first of a key wins")
    }

    func testExcerptEscapes() {
        XCTAssertEqual(CommandsParser.excerpt(Array("a\tb\nc\r\u{1B}[0m\u{202E}".utf8) + [0xff, 0]), "a\tb\nc\\r\\u{1B}[0m\\u{202E}\u{FFFD}\\0")
        XCTAssertEqual(CommandsParser.printable("a\nb"), "a\\nb")
    }
}
