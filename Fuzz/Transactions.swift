// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): TransactionsParser over the transactions steps' lines
// (the package log, the changelogs step's fixes, and the RPM rpm-fixes step's).
// Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        _ = TransactionsParser.parse(text)
        _ = TransactionsParser.parseFixes(text)
        _ = TransactionsParser.parseRpmFixes(text, changes: TransactionsParser.parse(text).value?.changes ?? [])
    }
}
