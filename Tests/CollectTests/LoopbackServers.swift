import Foundation
import LabKit
#if canImport(Glibc)
import Glibc
#endif

/// A dnsmasq on 127.0.0.1 at a free port, authoritative for "pp2.test": only4.pp2.test has
/// the A record 127.0.0.10 and no AAAA (NOERROR, no data); other pp2.test names are NXDOMAIN;
/// names elsewhere are REFUSED (no upstream). Stopped by its own pid.
final class LoopbackDNS {
    let process: LabChild
    let port: Int

    init() throws {
        let dnsmasq = try LabSkip.tool("dnsmasq", package: "dnsmasq-base")
        port = try LabProcess.freePort()
        process = try LabProcess.spawn(dnsmasq, ["--keep-in-foreground", "--port=\(port)", "--listen-address=127.0.0.1", "--bind-interfaces",
                             "--no-resolv", "--no-hosts", "--conf-file=/dev/null", "--pid-file=",
                             "--local=/pp2.test/", "--host-record=only4.pp2.test,127.0.0.10", "--log-facility=/dev/null"],
                                       log: URL(fileURLWithPath: "/dev/null"))
        // Ready when its TCP side accepts (bounded: 40 x 50 ms).
        for _ in 0..<40 {
            if LabProcess.isListening(port: port) { return }
            usleep(50_000)
        }
        stop()
        throw LabError("dnsmasq did not start on 127.0.0.1:\(port)")
    }

    func stop() {
        process.stop()
    }
}
