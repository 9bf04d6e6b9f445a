// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): DnfHistoryParser over `dnf history info last` output.
// Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        _ = DnfHistoryParser.parse(text, tool: "dnf")
    }
}
