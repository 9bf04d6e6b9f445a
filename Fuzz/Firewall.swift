// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): the firewall section's parsers (nft, iptables-save).
// Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        _ = FirewallParser.ruleset([("nftables", FirewallParser.nft(text)), ("iptables", FirewallParser.iptablesSections(text))])
        _ = FirewallParser.iptablesSave(text, family: "ip", backend: "iptables-nft")
    }
}
