// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): DigParser over dig output.
// Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for type in ["A", "AAAA", "MX"] { _ = DigParser.parse(lines, type: type) }
    }
}
