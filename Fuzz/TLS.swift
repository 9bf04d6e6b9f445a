// fuzz-modules: Model Net CTLS Probe
// Fuzz entry for scripts/fuzz (libFuzzer): a TLS client's handshake (OpenSSL through CTLS)
// fed arbitrary server bytes. Built by scripts/fuzz only; not a SwiftPM target.
@testable import Probe

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { bytes, _ in
        _ = TLSHandle.replay(serverBytes: bytes)
    }
}
