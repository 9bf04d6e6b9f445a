// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): CommandsParser over one declared command's step output.
// Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        let check = CommandCheck(name: "fuzz", run: "true", timeout: 5, expectStdoutContains: "ok")
        _ = CommandsParser.parse(text, check: check)
    }
}
