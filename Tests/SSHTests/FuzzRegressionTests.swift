import Foundation
import XCTest
import LabKit
import TestSupport
@testable import SSH

/// Replays the inputs kept under Tests/Fixtures/fuzz/KnownHosts/ through KnownHosts.parse, as
/// the Fuzz/KnownHosts.swift entry does: none may crash.
final class KnownHostsFuzzRegressionTests: XCTestCase {
    static let entry = FuzzCorpus.text { _ = KnownHosts.parse($0, path: "fuzz") }

    func testKeptInputsDoNotCrash() {
        FuzzCorpus.replay(["KnownHosts": Self.entry])
    }

    func testDegenerateInputsDoNotCrash() {
        let odd = ["", "\n", "|1|", "|1|x|y ssh-ed25519 AAAA", "@revoked", "@cert-authority * ssh-ed25519",
                   "[h]:x ssh-rsa ====", "!*,,, ssh-ed25519 A", "\u{0}\u{FFFD}\t\t"]
        for input in odd { Self.entry(Array(input.utf8)) }
    }
}
