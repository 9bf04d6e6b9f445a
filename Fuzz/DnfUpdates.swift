// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): DnfUpdatesParser (check-update, updateinfo list security)
// and DnfAdvisoriesParser (updateinfo list, updateinfo info, attach).
// Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        let security = DnfUpdatesParser.securityNames(text)
        let items = DnfUpdatesParser.checkUpdate(text, security: security).items
        _ = DnfAdvisoriesParser.attach(items, rows: DnfAdvisoriesParser.list(text).rows, info: DnfAdvisoriesParser.info(text))
    }
}
