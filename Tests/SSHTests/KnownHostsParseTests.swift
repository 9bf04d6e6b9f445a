import Foundation
@testable import SSH
import XCTest
import TestSupport

/// known_hosts parsing and matching, on lines in OpenSSH's formats (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT").
final class KnownHostsParseTests: XCTestCase {
    // A real Ed25519 public key blob (from ssh-keygen) and a second one.
    let keyA = "AAAAC3NzaC1lZDI1NTE5AAAAICHP3nTwiPEGELHNeuXTbLquMJ9lV5nCDt9CXrTCdrv9"
    let keyB = "AAAAC3NzaC1lZDI1NTE5AAAAIOVB6h0y4Z1V4Xk3Xq0m2H5v4m1D3K9kqQnS5cTbqQ2c"

    func blob(_ b64: String) -> [UInt8] { [UInt8](Data(base64Encoded: b64)!) }

    func testPlainPortBracketNegationWildcardMarkers() {
        let text = """
        # comment
        web1,192.0.2.11 ssh-ed25519 \(keyA)
        [db1.example.test]:2222 ssh-ed25519 \(keyA) comment here
        *.lab.test,!bad.lab.test ssh-ed25519 \(keyA)
        @revoked * ssh-ed25519 \(keyB)
        @cert-authority *.example.test ssh-ed25519 \(keyA)
        garbage line
        bad.example ssh-ed25519 not-base64!!
        """
        let kh = KnownHosts.parse(text, path: "kh")
        XCTAssertEqual(kh.entries.count, 5)
        XCTAssertEqual(kh.malformedLines, [7, 8])
        XCTAssertEqual(kh.verify(name: "web1", keyBlob: blob(keyA)), .known)
        XCTAssertEqual(kh.verify(name: "192.0.2.11", keyBlob: blob(keyA)), .known)
        XCTAssertEqual(kh.verify(name: "[db1.example.test]:2222", keyBlob: blob(keyA)), .known)
        XCTAssertEqual(kh.verify(name: "db1.example.test", keyBlob: blob(keyA)), .unknown, "port 22 entry is another name")
        XCTAssertEqual(kh.verify(name: "a.lab.test", keyBlob: blob(keyA)), .known)
        XCTAssertEqual(kh.verify(name: "bad.lab.test", keyBlob: blob(keyA)), .unknown, "negated pattern")
        XCTAssertEqual(kh.verify(name: "web1", keyBlob: blob(keyB)), .revoked(line: 5))
        XCTAssertEqual(kh.verify(name: "x.example.test", keyBlob: blob(keyA)), .unknown, "cert-authority lines are not host keys")
        XCTAssertEqual(KnownHosts.lookupName(host: "h", port: 22), "h")
        XCTAssertEqual(KnownHosts.lookupName(host: "h", port: 2200), "[h]:2200")
    }

    func testChangedKeyNamesTheLine() {
        let kh = KnownHosts.parse("# c\nweb1 ssh-ed25519 \(keyA)\n", path: "kh")
        var other = blob(keyA)
        other[other.count - 1] ^= 0xFF
        XCTAssertEqual(kh.verify(name: "web1", keyBlob: other), .changed(line: 2))
    }

    /// A hashed line written by `ssh-keygen -H` matches only its own name.
    func testHashedEntryWrittenByOpenSSH() throws {
        let dir = NSTemporaryDirectory() + "kh-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/known_hosts"
        try "[10.9.8.7]:2222 ssh-ed25519 \(keyA)\n".write(toFile: path, atomically: true, encoding: .utf8)
        let keygen = try LabSkip.tool("ssh-keygen", package: "openssh-client")
        let hashed = try LabProcess.runBlocking(keygen, ["-H", "-f", path], timeout: .seconds(30))
        XCTAssertEqual(hashed.status, 0, hashed.output)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("|1|"))
        let kh = KnownHosts.parse(text, path: path)
        XCTAssertEqual(kh.verify(name: "[10.9.8.7]:2222", keyBlob: blob(keyA)), .known)
        XCTAssertEqual(kh.verify(name: "10.9.8.7", keyBlob: blob(keyA)), .unknown)
        XCTAssertEqual(kh.keyTypes(for: "[10.9.8.7]:2222"), ["ssh-ed25519"])
    }

    func testGlob() {
        XCTAssertTrue(KnownHosts.glob("*.example.test", "a.b.example.test"))
        XCTAssertTrue(KnownHosts.glob("web?", "web1"))
        XCTAssertFalse(KnownHosts.glob("web?", "web10"))
        XCTAssertTrue(KnownHosts.glob("*", ""))
    }

    func testFingerprintMatchesOpenSSHForm() {
        // ssh-keygen -lf prints SHA256:<unpadded base64 of sha256(blob)>.
        let fp = Digest.fingerprint(ofKeyBlob: blob(keyA))
        XCTAssertTrue(fp.hasPrefix("SHA256:"))
        XCTAssertEqual(fp.count, 7 + 43)
    }

    func testIdentityClassification() throws {
        let dir = NSTemporaryDirectory() + "id-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let keygen = try LabSkip.tool("ssh-keygen", package: "openssh-client")
        for (type, pass, kind) in [("ed25519", "", Identity.KeyKind.ed25519), ("ecdsa", "pw", .ecdsa), ("rsa", "", .rsa)] {
            let path = "\(dir)/\(type)"
            let made = try LabProcess.runBlocking(keygen, ["-q", "-t", type, "-N", pass, "-f", path], timeout: .seconds(60))
            XCTAssertEqual(made.status, 0, made.output)
            let id = try Identity.load(path: path)
            XCTAssertEqual(id.kind, kind, type)
            XCTAssertEqual(id.encrypted, !pass.isEmpty, type)
            XCTAssertThrowsError(try Identity.load(path: path + ".pub")) { XCTAssertTrue("\($0)".contains(".pub")) }
        }
        XCTAssertThrowsError(try Identity.load(path: dir + "/missing")) { XCTAssertTrue("\($0)".contains("no such file")) }
    }
}
