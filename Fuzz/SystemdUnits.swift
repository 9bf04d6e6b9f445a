// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): SystemdUnitsParser (list-units and list-unit-files, text and JSON).
// Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        _ = SystemdUnitsParser.units(text)
        let files = SystemdUnitsParser.unitFiles(text)
        _ = SystemdUnitsParser.enabledState(of: "ssh.service", in: files.states)
    }
}
