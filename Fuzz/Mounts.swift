// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): MountsParser over /proc/self/mountinfo and df -kP.
// Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        let mounts = MountsParser.mountinfo(text).items
        _ = MountsParser.merge(mounts, space: MountsParser.df(text))
    }
}
