// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): SysctlParser over the sysctl section's step (`conf`
// and `value` lines) as one input. Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        _ = SysctlParser.parse(text)
    }
}
