// fuzz-modules: Model Probe
// Fuzz entry for scripts/fuzz (libFuzzer): RedisWire.decode / describe / version over RESP bytes.
// Built by scripts/fuzz only; not a SwiftPM target.
@testable import Probe

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    _ = text
    let decoded = RedisWire.decode(Array(bytes))
    if case .done(let reply, _) = decoded { _ = RedisWire.describe(reply) }
    _ = RedisWire.version(fromInfo: Array(bytes))
    return 0
}
