import Foundation
import XCTest
import Model
@testable import Compare

/// `explainedBy`: each finding names the package change behind it, from the package log the
/// capture read (web1's snapshots, one change applied at a time).
final class AttributionTests: DiffTestCase {
    /// libssl3 upgraded, with the files dpkg lists for it and for nginx.
    func patched(_ s: inout Snapshot) {
        s.packages = replacing(s.packages, where: { $0.name == "libssl3" }) { $0.version = "3.0.13-1~deb12u1" }
        s.transactions = PackageTransactions(
            since: "2026-12-07 10:00:00", utcOffset: "+0000",
            runs: [PackageRun(start: "2026-12-07 10:05:00", end: "2026-12-07 10:05:09", command: "apt-get dist-upgrade", packages: 1)],
            changes: [PackageChangeRecord(at: "2026-12-07 10:05:01", action: "upgrade", name: "libssl3", arch: "amd64",
                                          old: "3.0.11-1~deb12u1", new: "3.0.13-1~deb12u1")],
            files: [PackageFiles(package: "libssl3", files: ["/usr/lib/x86_64-linux-gnu/libcrypto.so.3", "/usr/lib/x86_64-linux-gnu/libssl.so.3"])])
    }

    let libssl = "libssl3 3.0.11-1~deb12u1 → 3.0.13-1~deb12u1"

    func testThePackageFindingIsExplainedByItsOwnChange() {
        let v = diff(patched)
        let f = v.findings.first { $0.kind == .packageUpgraded }
        XCTAssertEqual(f?.explainedBy, [libssl])
    }

    func testAnOutdatedUnitIsExplainedByThePackageOfTheLibraryItMaps() {
        let v = diff { s in
            patched(&s)
            // The process maps the library through /lib (usrmerge): the same file.
            s.outdated = [OutdatedService(name: "nginx.service", kind: .unit, processes: ["nginx"],
                                          files: ["/lib/x86_64-linux-gnu/libssl.so.3"], fileCount: 1)]
        }
        let f = v.findings.first { $0.kind == .serviceOutdated }
        XCTAssertEqual(f?.explainedBy, [libssl])
        XCTAssertEqual(f?.unexplained, false)
    }

    func testAStoppedServiceNoPackageChangeExplainsIsMarkedUnexplained() {
        let v = diff { s in
            patched(&s)
            self.setService("redis-server.service", &s) { $0.active = "inactive"; $0.sub = "dead" }
        }
        let f = v.findings.first { $0.kind == .serviceStopped }
        XCTAssertEqual(f?.explainedBy, [])
        XCTAssertEqual(f?.unexplained, true)
    }

    func testAUnitIsExplainedByThePackageThatShipsItsUnitFile() {
        let v = diff { s in
            patched(&s)
            s.packages = replacing(s.packages, where: { $0.name == "postgresql-15" }) { $0.version = "15.6-0+deb12u1" }
            s.transactions?.files.append(PackageFiles(package: "postgresql-15", files: ["/lib/systemd/system/postgresql@.service"]))
            self.setService("postgresql@15-main.service", &s) { $0.active = "failed"; $0.sub = "failed" }
        }
        let f = v.findings.first { $0.subject == "postgresql@15-main.service" }
        // The template's file ships the instance: postgresql@.service; by name, not found → by stem, not found.
        XCTAssertNotNil(f)
        XCTAssertEqual(f?.explainedBy?.isEmpty, false, "\(String(describing: f))")
    }

    func testASocketIsExplainedByThePackageOfItsProgram() {
        let v = diff { s in
            patched(&s)
            s.packages = replacing(s.packages, where: { $0.name == "nginx" }) { $0.version = "1.22.1-9+deb12u1" }
            s.transactions?.files.append(PackageFiles(package: "nginx", files: ["/usr/sbin/nginx", "/lib/systemd/system/nginx.service"]))
            s.sockets.removeAll { $0.port == 443 }
        }
        let f = v.findings.first { $0.kind == .socketClosed }
        XCTAssertEqual(f?.explainedBy, ["nginx 1.22.1-9 → 1.22.1-9+deb12u1"])
    }

    func testWithoutAPackageLogNothingIsAttributed() {
        let v = diff { s in
            s.packages = replacing(s.packages, where: { $0.name == "libssl3" }) { $0.version = "3.0.13-1~deb12u1" }
        }
        XCTAssertFalse(v.findings.isEmpty)
        XCTAssertTrue(v.findings.allSatisfy { $0.explainedBy == nil })
    }

    func testAFailedRunIsAWarning() {
        let v = diff { s in
            patched(&s)
            s.transactions?.runs[0].error = "Sub-process /usr/bin/dpkg returned an error code (1)"
        }
        let f = v.findings.first { $0.kind == .packageRunFailed }
        XCTAssertEqual(f?.severity, .warning)
        XCTAssertTrue(f?.message.contains("dpkg --configure -a") == true)
    }

    func testAnUnchangedHostWithAPackageLogGivesNoFinding() {
        let v = diff { s in s.transactions = PackageTransactions(since: "2026-12-07 10:00:00") }
        XCTAssertEqual(v.findings, [])
    }

    func testExplainedByRoundTripsThroughJSON() throws {
        var f = Finding(host: "web1", kind: .serviceOutdated, severity: .warning, subject: "nginx.service", message: "m")
        f.explainedBy = [libssl]
        let data = try JSONEncoder().encode(f)
        XCTAssertEqual(try JSONDecoder().decode(Finding.self, from: data), f)
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("\"explainedBy\""))
        f.explainedBy = nil
        XCTAssertFalse(String(decoding: try JSONEncoder().encode(f), as: UTF8.self).contains("explainedBy"))
    }

    /// A port is not a prefix of a longer one: tcp 0.0.0.0:8080 is not explained by nginx on :80.
    func testASocketIsMatchedByItsWholeEndpoint() {
        let v = diff { s in
            patched(&s)
            s.packages = replacing(s.packages, where: { $0.name == "nginx" }) { $0.version = "1.22.1-9+deb12u1" }
            s.transactions?.files.append(PackageFiles(package: "nginx", files: ["/usr/sbin/nginx"]))
            s.sockets.append(TestSnapshots.sock(.tcp, "0.0.0.0", 8080, "python3", 2001))
        }
        let f = v.findings.first { $0.kind == .socketOpened && $0.subject.hasPrefix("tcp 0.0.0.0:8080") }
        XCTAssertNotNil(f, "\(v.findings)")
        XCTAssertEqual(f?.explainedBy, [])
    }
}
