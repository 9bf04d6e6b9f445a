// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): the network section's parsers (ip -j and text forms).
// Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        let interfaces = NetworkSection.interfaces(text).items + NetworkParser.interfacesText(link: text, addr: text).items
        let routes = NetworkParser.routesJSON(text, family: "inet").items + NetworkParser.routesText(text, family: "inet6").items
        _ = NetworkParser.markConnected(routes, interfaces: interfaces)
    }
}
