// fuzz-modules: Model Yams Config
// Fuzz entry for scripts/fuzz (libFuzzer): Inventory YAML reader (guess: YAML first, INI fallback).
// Built by scripts/fuzz only; not a SwiftPM target.
@testable import Config

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        _ = try? Inventory.read(text: text, file: "fuzz", format: .guess, varsDirectory: nil)
    }
}
