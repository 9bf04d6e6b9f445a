// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): ProcNetParser.parse over /proc/net/{tcp,udp}{,6} text.
// Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        for proto in [SocketProtocol.tcp, .tcp6, .udp, .udp6] {
            _ = ProcNetParser.parse(text, protocol: proto)
            _ = ProcNetParser.parse(text, protocol: proto, bigEndian: true)
        }
    }
}
