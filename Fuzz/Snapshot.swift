// fuzz-modules: Model Collect
// Fuzz entry for scripts/fuzz (libFuzzer): SnapshotParser.parse over a whole collector-script output (nonce fz).
// Built by scripts/fuzz only; not a SwiftPM target.
import Foundation
import Model
@testable import Collect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzInput(data, size) { bytes, _ in
        _ = SnapshotParser.parse(stdout: bytes, host: "fuzz", nonce: "fz", checks: fuzzChecks)
    }
}

/// Checks so the DNS and connectivity sections are parsed too (their step names come from these).
let fuzzChecks = CheckSet(dns: [DNSCheck(name: "localhost"), DNSCheck(name: "localhost", type: "AAAA")],
                          connectivity: [ConnectivityCheck(target: "127.0.0.1", port: 22),
                                         ConnectivityCheck(target: "127.0.0.1", ping: true)])

/// `POSTPATCH_FUZZ_RENDER=1 ./Snapshot` prints the collector script for these checks (nonce fz)
/// and exits: scripts/fuzz runs it locally to seed this target with real output.
/// `POSTPATCH_FUZZ_JSON=<that output> ./Snapshot` prints its snapshot JSON (seed of SnapshotJSON).
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    if getenv("POSTPATCH_FUZZ_RENDER") != nil {
        print(CollectorScript.render(checks: fuzzChecks, options: ScriptOptions(), nonce: "fz"))
        exit(0)
    }
    if let path = getenv("POSTPATCH_FUZZ_JSON").map({ String(cString: $0) }),
       let output = FileManager.default.contents(atPath: path) {
        let snapshot = SnapshotParser.parse(stdout: [UInt8](output), host: "fuzz", nonce: "fz", checks: fuzzChecks)
        if let json = try? SnapshotCoding.encode(snapshot) { FileHandle.standardOutput.write(json) }
        exit(0)
    }
    return 0
}
