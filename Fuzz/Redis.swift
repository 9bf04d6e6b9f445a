// fuzz-modules: Model Probe
// Fuzz entry for scripts/fuzz (libFuzzer): RedisWire.decode / describe / version over RESP bytes.
// Built by scripts/fuzz only; not a SwiftPM target.
@testable import Probe

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { bytes, _ in
        let decoded = RedisWire.decode(bytes)
        if case .done(let reply, _) = decoded { _ = RedisWire.describe(reply) }
        _ = RedisWire.version(fromInfo: bytes)
    }
}
