// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): ZypperParser (list-updates, list-patches, info -t patch).
// Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        let items = ZypperParser.listUpdates(text).items
        _ = ZypperParser.attach(items, patches: ZypperParser.listPatches(text), info: ZypperParser.patchInfo(text))
    }
}
