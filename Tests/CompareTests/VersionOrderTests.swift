import XCTest
@testable import Compare

/// Version ordering against the real tools' verdicts: Fixtures/dpkg-compare-versions.txt holds
/// 1,000+ pairs of real Debian/Ubuntu versions judged by `dpkg --compare-versions` on this
/// machine, Fixtures/rpm-vercmp.txt 600+ pairs of CentOS 7 versions judged by rpm 4.18.
final class VersionOrderTests: XCTestCase {
    func load(_ name: String) throws -> [(String, Int, String)] {
        let text = try String(contentsOf: TestSnapshots.fixtures.appendingPathComponent(name), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            let f = line.split(separator: " ")
            guard f.count == 3 else { return nil }
            let want = f[1] == "<" ? -1 : f[1] == "=" ? 0 : 1
            return (String(f[0]), want, String(f[2]))
        }
    }

    func testDpkgTable() throws {
        let table = try load("dpkg-compare-versions.txt")
        XCTAssertGreaterThan(table.count, 1000)
        for (a, want, b) in table {
            XCTAssertEqual(DebianVersion.compare(a, b), want, "\(a) vs \(b)")
            XCTAssertEqual(DebianVersion.compare(b, a), -want, "\(b) vs \(a)")
        }
    }

    func testRPMTable() throws {
        let table = try load("rpm-vercmp.txt")
        XCTAssertGreaterThan(table.count, 600)
        for (a, want, b) in table {
            XCTAssertEqual(RPMVersion.compare(a, b), want, "\(a) vs \(b)")
            XCTAssertEqual(RPMVersion.compare(b, a), -want, "\(b) vs \(a)")
        }
    }

    func testDpkgKnownPairs() {
        let lt: [(String, String)] = [
            ("3.0.11-1~deb12u1", "3.0.13-1~deb12u1"),       // bookworm-security openssl
            ("8.2.12-1~deb12u1", "8.2.12-1"),               // ~ before the end
            ("1.0~rc1", "1.0~rc1+b1"),
            ("1.0~~a", "1.0~"),                             // ~~ before ~
            ("2.30-21ubuntu1~18.04", "2.30-21ubuntu1~18.04.1"),
            ("7.0.11", "1:2.0"),                            // the epoch wins
            ("1.1.1-1ubuntu2.1~18.04.6", "1.1.1-1ubuntu2.1~18.04.23"), // numerically, not as text
            ("1.0a", "1.0+"),                               // letters before other symbols
            ("2.36-9+deb12u3", "2.36-9+deb12u10"),
        ]
        for (a, b) in lt {
            XCTAssertEqual(DebianVersion.compare(a, b), -1, "\(a) < \(b)")
            XCTAssertEqual(DebianVersion.compare(b, a), 1, "\(b) > \(a)")
        }
        XCTAssertEqual(DebianVersion.compare("0:1.0-1", "1.0-1"), 0)
        XCTAssertEqual(DebianVersion.compare("1.0", "1.0-0"), 0, "no revision sorts like revision 0")
        XCTAssertEqual(DebianVersion.compare("1.001", "1.1"), 0)
    }

    func testRPMKnownPairs() {
        let lt: [(String, String)] = [
            ("1.0.2k-19.el7", "1.0.2k-21.el7_9"),
            ("3.10.0-1062.el7", "3.10.0-1160.el7"),
            ("7.29.0-54.el7", "7.29.0-54.el7_7.2"),
            ("1.0~rc1-1", "1.0-1"),
            ("1.0-1", "1.0^git1-1"),
            ("1.0^git1-1", "1.0.1-1"),
            ("2.0-1", "1:1.0-1"),
            ("1.0a-1", "1.0.1-1"),                          // a number beats letters
        ]
        for (a, b) in lt {
            XCTAssertEqual(RPMVersion.compare(a, b), -1, "\(a) < \(b)")
            XCTAssertEqual(RPMVersion.compare(b, a), 1, "\(b) > \(a)")
        }
        XCTAssertEqual(RPMVersion.compare("1.01-1", "1.1-1"), 0)
        XCTAssertEqual(RPMVersion.compare("1_0-1", "1.0-1"), 0, "separators only separate")
    }

    /// Odd versions never trap, and still compare as an order: each equals itself, and swapping
    /// the operands flips the answer (a sort over them cannot go wrong).
    func testOddInputNeverTrapsAndStaysAnOrder() {
        let odd = ["", ":", "-", "1:", ":1", "~", "^", "--", "1:-", "99999999999999999999999:1", "é-ü", "1.0-"]
        for a in odd {
            XCTAssertEqual(DebianVersion.compare(a, a), 0, a)
            XCTAssertEqual(RPMVersion.compare(a, a), 0, a)
            for b in odd {
                XCTAssertEqual(DebianVersion.compare(a, b).signum(), -DebianVersion.compare(b, a).signum(), "dpkg: \(a) vs \(b)")
                XCTAssertEqual(RPMVersion.compare(a, b).signum(), -RPMVersion.compare(b, a).signum(), "rpm: \(a) vs \(b)")
            }
        }
    }
}
