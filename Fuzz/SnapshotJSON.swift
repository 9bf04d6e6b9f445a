// fuzz-modules: Model
// Fuzz entry for scripts/fuzz (libFuzzer): SnapshotCoding.decode over snapshot JSON.
// Built by scripts/fuzz only; not a SwiftPM target.
import Foundation
import Model

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { bytes, _ in
        _ = try? SnapshotCoding.decode(Data(bytes))
    }
}
