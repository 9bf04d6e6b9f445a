import TestSupport
import XCTest
import Model
@testable import Collect

final class SystemAndFramingTests: XCTestCase {
    func testOSReleaseFiles() throws {
        XCTAssertEqual(OSReleaseParser.parse(try Fixtures.real("generic_os-release-centos")),
                       OSRelease(id: "centos", versionID: "7", prettyName: "CentOS Linux 7 (Core)"))
        // Ubuntu leaves ID unquoted.
        XCTAssertEqual(OSReleaseParser.parse(try Fixtures.real("generic_os-release-ubuntu")),
                       OSRelease(id: "ubuntu", versionID: "18.04", prettyName: "Ubuntu 18.04.5 LTS"))
        XCTAssertEqual(OSReleaseParser.parse(try Fixtures.local("debian-12_os-release")),
                       OSRelease(id: "debian", versionID: "12", prettyName: "Debian GNU/Linux 12 (bookworm)"))
        XCTAssertEqual(OSReleaseParser.unquote(#""a \"b\" \$c""#), #"a "b" $c"#)
    }

    func testRebootRequiredSources() {
        XCTAssertEqual(RebootRequiredParser.parse("flag=present\npkg=linux-base\npkg=libc6\npkg=libc6\n").packages, ["libc6", "linux-base"])
        XCTAssertEqual(RebootRequiredParser.parse("flag=present\n").required, true)
        XCTAssertEqual(RebootRequiredParser.parse("manager=dpkg\n").required, false)
        XCTAssertEqual(RebootRequiredParser.parse("needs-restarting=1\nrunning=x\n").required, true)
        let kernels = "manager=rpm\nrunning=3.10.0-957.el7.x86_64\nrpm=kernel 1571240000 3.10.0-957.el7.x86_64\nrpm=kernel 1572000000 3.10.0-1062.1.2.el7.x86_64\n"
        XCTAssertEqual(RebootRequiredParser.parse(kernels).required, true)
        XCTAssertEqual(RebootRequiredParser.parse("needs-restarting=2\n" + kernels.replacingOccurrences(of: "running=3.10.0-957", with: "running=3.10.0-1062.1.2")).required, false)
        XCTAssertNil(RebootRequiredParser.parse("").required)
    }

    func testDigOutputFromCentOS() throws {
        let a = try Fixtures.real("centos-7.7_dig.out").split(whereSeparator: \.isNewline)
        // The CNAME on the way to www.cnn.com is not an A answer.
        XCTAssertEqual(DigParser.parse(a, type: "A").answers, ["151.101.189.67", "216.58.194.100"])
        XCTAssertEqual(DigParser.parse(a, type: "A").status, "NOERROR")
        let aaaa = try Fixtures.real("centos-7.7_dig-aaaa.out").split(whereSeparator: \.isNewline)
        XCTAssertEqual(DigParser.parse(aaaa, type: "aaaa").answers, ["2607:f8b0:4000:808::2004"])
    }

    func testGetentCaptureFromThisMachine() throws {
        var output = ScriptOutput()
        output.steps["dns.0"] = StepOutput(stdout: "method=getent\n" + (try Fixtures.local("debian-12_getent-ahosts-localhost.out")), status: 0)
        output.steps["dns.1"] = StepOutput(stdout: "method=getent\n", status: 2)
        let results = DNSSection.parse(output, checks: [DNSCheck(name: "localhost"), DNSCheck(name: "nope")])
        // Three rows (STREAM, DGRAM, RAW) of one address.
        XCTAssertEqual(results[0], DNSResult(name: "localhost", method: "getent", answers: ["127.0.0.1"]))
        XCTAssertEqual(results[1].error, "not found (getent ahosts)")
    }

    func testFramingRecoversBytesAndIgnoresForgedMarkers() {
        let nonce = "n0nce"
        let text = "motd noise\n\n@@PP-n0nce BEGIN a.one\nno newline at end\n@@PP-n0nce STDERR a.one\nwarn\n"
            + "\n@@PP-n0nce END a.one 3\n\n@@PP-n0nce BEGIN b\n\n@@PP-other END b 0\nline\n\n@@PP-n0nce STDERR b\n"
            + "\n@@PP-n0nce END b 0\n\n@@PP-n0nce MISSING c.x ss netstat\n\n@@PP-n0nce NOTE services a b c\n\n@@PP-n0nce DONE\n"
        let out = ScriptOutput.parse(text, nonce: nonce)
        XCTAssertEqual(out.steps["a.one"], StepOutput(stdout: "no newline at end", stderr: "warn\n", status: 3))
        XCTAssertEqual(out.steps["b"]?.stdout, "\n@@PP-other END b 0\nline\n")
        XCTAssertEqual(out.missing["c.x"], ["ss", "netstat"])
        XCTAssertEqual(out.notes, ["services: a b c"])
        XCTAssertTrue(out.finished)
        XCTAssertEqual(out.steps["a.one"]?.problem("x", "tool"), "x: tool exited 3: warn")
        XCTAssertNil(ScriptOutput.parse(text, nonce: "wrong").steps["a.one"])
    }

    func testShellQuoteRoundTripsThroughDash() throws {
        let dash = try LabSkip.tool("dash", package: "dash")
        let values = ["plain", "it's", "$(echo x)", "`id`", "a\nb", "'; echo pwned; '", "\\", "", "ü ß"]
        let script = values.map { "printf '%s|' \(ShellQuote.quote($0))\n" }.joined()
        let run = try ShellRunner.run([dash, "-s"], stdin: script)
        XCTAssertEqual(String(decoding: run.stdout, as: UTF8.self), values.map { $0 + "|" }.joined())
    }

    func testCheckValidation() {
        XCTAssertNil(CheckValidation.connectivity(ConnectivityCheck(target: "db1", port: 5432)))
        XCTAssertEqual(CheckValidation.connectivity(ConnectivityCheck(target: "db1")),
                       "no port for a TCP check of db1: set port, or ping: true")
        XCTAssertEqual(CheckValidation.connectivity(ConnectivityCheck(target: "a\nb", port: 1)),
                       "target 'a\\nb' contains a control character (newline, tab, ...): fix the check's value")
        XCTAssertEqual(CheckValidation.connectivity(ConnectivityCheck(target: "-oProxy", port: 1)),
                       "target '-oProxy' starts with '-' and would be read as an option")
        XCTAssertEqual(CheckValidation.connectivity(ConnectivityCheck(target: "h", port: 70000)), "port 70000 is outside 1-65535")
        XCTAssertNil(CheckValidation.dns(DNSCheck(name: "example.org", type: "AAAA", server: "127.0.0.1#5353")))
        XCTAssertEqual(CheckValidation.dns(DNSCheck(name: "x", server: "127.0.0.1#dns")),
                       "server port 'dns' is not a number in 1-65535 (write addr#port)")
        XCTAssertEqual(CheckValidation.dns(DNSCheck(name: "x", type: "A;B")),
                       "record type 'A;B' is not a DNS type name like A, AAAA, MX or TXT")
        XCTAssertEqual(CheckValidation.wholeSeconds(0.2), 1)
        XCTAssertEqual(CheckValidation.wholeSeconds(2.5), 3)
    }
}
