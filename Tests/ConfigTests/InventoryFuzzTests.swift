import Foundation
import TestSupport
import XCTest
@testable import Config

/// Garbage in, a ConfigError or an inventory out: never a crash, never another error type.
final class InventoryFuzzTests: XCTestCase {

    func survive(_ text: String, _ format: Inventory.Format, file: StaticString = #filePath, line: UInt = #line) {
        ReaderInvariants.configErrorOrValue(text.debugDescription, file: file, line: line) {
            try Inventory.read(text: text, file: "fuzz", format: format, varsDirectory: nil)
        }.map { ReaderInvariants.inventory($0, file: file, line: line) }
    }

    func testRandomBytes() {
        var rng = Seeded(state: 20_240_601)
        for round in 0..<1500 {
            let count = Int.random(in: 0...200, using: &rng)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let text = String(decoding: bytes, as: UTF8.self)
            survive(text, [.ini, .yaml, .guess][round % 3])
        }
    }

    /// Random edits of inventories that are valid, so the deep paths (ranges, sections, vars) are hit.
    func testMutatedInventories() throws {
        let seeds = try ["docs-host-vars/hosts.ini", "precedence-ini/hosts.ini", "precedence-yaml/hosts.yml",
                         "yaml-edges/hosts.yml", "docs-ranges/hosts.ini", "ports/hosts.ini"].map {
            try String(contentsOf: InventoryAnsibleTests.fixtures.appendingPathComponent($0), encoding: .utf8)
        }
        let alphabet = Array("[]:=#;'\"\\ \n\t-_.,{}|&*!~<>0123456789abcAZ\u{0}é")
        var rng = Seeded(state: 7)
        for round in 0..<1500 {
            var chars = Array(seeds[round % seeds.count])
            for _ in 0..<Int.random(in: 1...8, using: &rng) where !chars.isEmpty {
                let at = Int.random(in: 0..<chars.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: chars[at] = alphabet.randomElement(using: &rng) ?? "x"
                case 1: chars.remove(at: at)
                default: chars.insert(alphabet.randomElement(using: &rng) ?? "x", at: at)
                }
            }
            survive(String(chars), [.ini, .yaml, .guess][round % 3])
        }
    }
}
