import Foundation
import XCTest
@testable import SSH

/// Replays the inputs scripts/fuzz kept under Tests/Fixtures/fuzz/KnownHosts/ through
/// KnownHosts.parse, as the Fuzz/KnownHosts.swift entry does: none may crash.
final class KnownHostsFuzzRegressionTests: XCTestCase {
    func testKeptInputsAndDegenerateOnesDoNotCrash() {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/fuzz/KnownHosts")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let kept = names.sorted().compactMap { FileManager.default.contents(atPath: folder.appendingPathComponent($0).path) }
        let odd = ["", "\n", "|1|", "|1|x|y ssh-ed25519 AAAA", "@revoked", "@cert-authority * ssh-ed25519",
                   "[h]:x ssh-rsa ====", "!*,,, ssh-ed25519 A", "\u{0}\u{FFFD}\t\t"].map { Data($0.utf8) }
        for input in odd + kept {
            _ = KnownHosts.parse(String(decoding: input, as: UTF8.self), path: "fuzz")
        }
    }
}
