@testable import Collect
import Foundation
import TestSupport
import Model
import XCTest

/// A PID 1 that accepts connections on its private bus socket and never answers, as a wedged
/// systemd after a bad patch does. sd-bus bounds a method call ($SYSTEMD_BUS_TIMEOUT), but not
/// the authentication before it: systemctl alone waits 90 s there. The collector's services step
/// ends at the step timeout, and the services are not captured (a gap), never an empty list.
/// Run in a private mount namespace with its own /run: the machine's /run is not touched.
final class WedgedSystemdTests: XCTestCase {
    func testAMutePID1EndsTheServicesStepAtTheStepTimeoutAsAGap() throws {
        try LabSkip.requireRoot("a private mount namespace with its own /run")
        let unshare = try LabSkip.tool("unshare", package: "util-linux")
        let nc = try LabSkip.tool("nc", package: "netcat-openbsd")
        let dash = try LabSkip.tool("dash", package: "dash")
        _ = try LabSkip.tool("systemctl", package: "systemd")
        let dir = try LabProcess.makeTempDir("wedged-pid1")
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = ScriptFraming.preamble(nonce: "wedged", stepTimeout: 2) + ServicesSection.fragment + ScriptFraming.epilogue
        try script.write(to: dir.appendingPathComponent("collector.sh"), atomically: true, encoding: .utf8)
        // nc holds each connection open, reads what systemctl sends, answers nothing; stdin is
        // /dev/null and netcat-openbsd waits forever after its end.
        let wrapper = """
            set -e
            mount -t tmpfs -o mode=755 tmpfs /run
            mkdir -p /run/systemd/system
            \(nc) -lkU /run/systemd/private </dev/null >/dev/null 2>&1 & pp_nc=$!
            i=0; while [ ! -S /run/systemd/private ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
            set +e
            \(dash) -s <'\(dir.path)/collector.sh'; pp_rc=$?
            kill $pp_nc
            exit $pp_rc
            """
        let started = Date()
        let run = try LabProcess.runBlocking(unshare, ["-m", "--propagation", "private", "sh", "-c", wrapper], timeout: .seconds(120))
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertLessThan(elapsed, 15, "two 2 s steps, not sd-bus's 90 s authentication wait")
        let snapshot = SnapshotParser.parse(stdout: run.stdoutBytes, host: "wedged", nonce: "wedged", checks: CheckSet(),
                                            options: ScriptOptions(stepTimeout: 2))
        XCTAssertFalse(snapshot.isCaptured(.services), "\(snapshot.services)")
        XCTAssertEqual(snapshot.gap(.services)?.problem, "timed out after 2 s")
        XCTAssertEqual(snapshot.services, [])
    }
}
