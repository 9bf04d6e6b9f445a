// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): FilesParser over the declared files' step output
// (`@ INDEX` and key=value lines). Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        _ = FilesParser.parse(text, checks: [FileCheck(path: "/etc/a"), FileCheck(path: "/etc/b"), FileCheck(path: "/etc/c")])
    }
}
