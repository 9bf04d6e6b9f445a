// fuzz-modules: Model Probe
// Fuzz entry for scripts/fuzz (libFuzzer): TDSWire decoders over a PRELOGIN response.
// Built by scripts/fuzz only; not a SwiftPM target.
@testable import Probe

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    _ = text
    _ = TDSWire.decodeResponse(Array(bytes))
    _ = TDSWire.parsePrelogin(Array(bytes))
    return 0
}
