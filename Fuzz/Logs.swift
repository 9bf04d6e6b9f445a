// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): LogsParser (journalctl's JSON lines, the core-file listing).
// Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        _ = LogsParser.journal(text)
        _ = LogsParser.cores(text)
    }
}
