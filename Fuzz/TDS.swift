// fuzz-modules: Model Probe
// Fuzz entry for scripts/fuzz (libFuzzer): TDSWire decoders over a PRELOGIN response.
// Built by scripts/fuzz only; not a SwiftPM target.
@testable import Probe

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { bytes, _ in
        _ = TDSWire.decodeResponse(bytes)
        _ = TDSWire.parsePrelogin(bytes)
    }
}
