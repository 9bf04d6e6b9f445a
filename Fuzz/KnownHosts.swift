// fuzz-modules: CLibSSH2 SSH
// Fuzz entry for scripts/fuzz (libFuzzer): KnownHosts.parse over a known_hosts file.
// Built by scripts/fuzz only; not a SwiftPM target.
import SSH

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        _ = KnownHosts.parse(text, path: "fuzz")
    }
}
