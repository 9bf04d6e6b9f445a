// fuzz-modules: Model Yams Config
// Fuzz entry for scripts/fuzz (libFuzzer): ConfigFile.parse(yaml:path:) over postpatch.yml.
// Built by scripts/fuzz only; not a SwiftPM target.
@testable import Config

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        _ = try? ConfigFile.parse(yaml: text, path: "fuzz.yml")
    }
}
