// fuzz-modules: Model Yams Config
// Fuzz entry for scripts/fuzz (libFuzzer): SSHConfig.parse (+ resolve) over ~/.ssh/config.
// Built by scripts/fuzz only; not a SwiftPM target.
@testable import Config

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        let config = SSHConfig.parse(text, path: "/fuzz/config", home: "/fuzz", readFile: { _ in nil },
                                     listDirectory: { _ in nil })
        _ = config.resolve(host: "web1", localUser: "root")
    }
}
