import XCTest
import TestSupport
@testable import SSH

/// Replays the inputs kept under Tests/Fixtures/fuzz/KnownHosts/ through KnownHosts.parse, as
/// the Fuzz/KnownHosts.swift entry does: none may crash, and every line is either an entry, a
/// malformed line (skipped, as OpenSSH does) or nothing (blank, comment), never two of them.
final class KnownHostsFuzzRegressionTests: XCTestCase {
    static func check(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> KnownHosts {
        let parsed = KnownHosts.parse(text, path: "fuzz")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        let numbers = parsed.entries.map(\.line) + parsed.malformedLines
        XCTAssertEqual(Set(numbers).count, numbers.count, "a line counted twice: \(numbers)", file: file, line: line)
        XCTAssertTrue(numbers.allSatisfy { (1...lines).contains($0) }, "line numbers \(numbers) of \(lines) lines",
                      file: file, line: line)
        return parsed
    }

    static let entry = FuzzCorpus.text { _ = check($0) }

    func testKeptInputsStayWithinTheirLines() {
        FuzzCorpus.replay(["KnownHosts": Self.entry])
    }

    /// Each of these lines is broken: none becomes an entry, each is reported malformed or ignored.
    func testDegenerateInputsAreSkippedNotTrusted() {
        let odd = ["", "\n", "|1|", "|1|x|y ssh-ed25519 AAAA", "@revoked", "@cert-authority * ssh-ed25519",
                   "[h]:x ssh-rsa ====", "!*,,, ssh-ed25519 A", "\u{0}\u{FFFD}\t\t"]
        for input in odd {
            let parsed = Self.check(input)
            XCTAssertEqual(parsed.entries.map(\.patterns), [], input.debugDescription)
        }
        XCTAssertEqual(Self.check("|1|\n@revoked\n").malformedLines, [1, 2], "a broken line is reported, not dropped in silence")
    }
}
