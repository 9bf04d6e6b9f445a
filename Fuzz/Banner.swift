// fuzz-modules: Model Net Probe
// Fuzz entry for scripts/fuzz (libFuzzer): BannerParser over a server's first bytes, as a greeting
// (with a port hint), as the reply to each handshake, and its completeness check.
// Built by scripts/fuzz only; not a SwiftPM target.
@testable import Probe

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { bytes, _ in
        _ = BannerParser.parse(bytes)
        _ = BannerParser.parse(bytes, port: 21)
        _ = BannerParser.parse(bytes, after: .redis)
        _ = BannerParser.parse(bytes, after: .postgres)
        _ = BannerParser.isComplete(bytes, limit: 16384)
    }
}
