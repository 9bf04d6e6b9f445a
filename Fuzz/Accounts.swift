// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): AccountsParser over the accounts section's steps
// (passwd/group/shadow lines, key files and key lines, md5sum's lines, sshd -T) as one input.
// Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        _ = AccountsParser.users(text)
        _ = AccountsParser.md5sums(text)
        _ = AccountsParser.sshd(text)
    }
}
