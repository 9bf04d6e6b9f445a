// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): RollbackPreflightParser over apt-cache policy and
// dnf --showduplicates list output with `archive FILE` lines.
// Built by scripts/fuzz only; not a SwiftPM target.
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { _, text in
        let apt = RollbackPreflightParser.apt(text).items
        let dnf = RollbackPreflightParser.dnf(text).items
        let u = [PendingUpdate(name: "ppd", arch: "noarch", currentVersion: "1.0-1", candidateVersion: "1.1-1", security: false)]
        _ = RollbackPreflightParser.attach(u, sources: apt, manager: .dpkg)
        _ = RollbackPreflightParser.attach(u, sources: dnf, manager: .rpm)
    }
}
