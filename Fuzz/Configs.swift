// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): ConfigsParser over the configs section's steps
// (the conffiles listing, md5sum's output and stderr, rpm -Va -c, find's leftovers) as one input.
// Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        let listing = ConfigsParser.listing(text)
        let digests = ConfigsParser.md5sums(text, stderr: text)
        _ = ConfigsParser.merge(listing.entries, digests: digests, verified: ConfigsParser.rpmVerify(text))
        _ = ConfigsParser.leftovers(text)
    }
}
