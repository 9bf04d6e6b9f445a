// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): NetstatParser over netstat -lnp output.
// Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    _ = text
    _ = NetstatParser.parse(text)
    return 0
}
