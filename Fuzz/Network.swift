// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): the network section's parsers (the ip -j batch and the text forms).
// Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        var out = ScriptOutput()
        out.steps["network.ip"] = StepOutput(name: "network.ip", stdout: text, status: 0)
        let interfaces = NetworkSection.parse(out, stepTimeout: 20).interfaces + NetworkParser.interfacesText(link: text, addr: text).items
        let routes = NetworkParser.routesAllTablesJSON(text).items + NetworkParser.routesJSON(text, family: "inet").items
            + NetworkParser.routesText(text, family: "inet6").items
        _ = NetworkParser.markConnected(routes, interfaces: interfaces)
    }
}
