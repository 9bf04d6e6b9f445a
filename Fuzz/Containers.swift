// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): ContainersParser (podman's JSON array, docker's JSON
// lines, the inspect lines), the input read as all three.
// Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        _ = ContainersParser.parse(engine: "podman", ps: text, inspect: text)
        _ = ContainersParser.parse(engine: "docker", ps: text, inspect: nil)
    }
}
