import XCTest
import Model
@testable import Collect

/// The `outdated.maps` step's parser, on real captures and on the cases each rule is for.
final class OutdatedParserTests: XCTestCase {
    /// Captured on the build machine while systemd-nspawn lab hosts ran in their own mount
    /// namespaces (overlay root: their files' inodes differ from the host's paths, so the host
    /// sees them as "replaced"), one of their processes ended mid-capture, and memfd mappings
    /// showed as deleted: none of it is outdated code of this host.
    func testRealCaptureWithContainersVanishedProcessAndMemfd() throws {
        let text = try Fixtures.local("debian-12-with-containers_outdated-maps.out")
        XCTAssertTrue(text.contains("/memfd:") && text.contains("\nR "), "the capture shows the traps")
        let (services, notes) = OutdatedParser.parse(text)
        XCTAssertEqual(services, [])
        XCTAssertEqual(notes, ["outdated: processes in other mount namespaces (containers) not checked"])
    }

    /// Captured on a lab systemd host (Tests/LabTests/SandboxedInEffectTests): pp-greetd.service
    /// sandboxed (ProtectSystem=strict, PrivateTmp=yes: its own mount namespace on the host's
    /// root) still maps the library the upgrade replaced; pp-jail.service runs a copy of the
    /// daemon under RootDirectory= (another root: a container), three of its mappings current in
    /// its own view (S lines), its library copy replaced there too.
    func testRealCaptureSandboxedUnitIsCheckedJailIsSkipped() throws {
        let text = try Fixtures.local("debian-12-sandboxed-and-jail_outdated-maps.out")
        XCTAssertTrue(text.contains("\nS ") && text.contains("\nroot /proc/1/root "), "the capture shows views and roots")
        let (services, notes) = OutdatedParser.parse(text)
        XCTAssertEqual(services.map(\.name), ["pp-greetd.service"])
        XCTAssertEqual(services.first?.kind, .unit)
        XCTAssertEqual(services.first?.filesText, "libppgreet.so.1")
        XCTAssertEqual(notes, ["outdated: 1 process in containers (root differs from PID 1's) not checked"])
    }

    /// Roots decide, not mount namespaces: a sandboxed unit (own namespace, host's root) is
    /// checked; another root is a container; a replaced file current in the process's own view
    /// (S) is not outdated; `ls -dLi` roots (no stat: inode only) work the same; the host's
    /// root is the script's own when PID 1's is not readable.
    func testRootsDecideAndOwnViewClearsAReplacedFile() {
        let text = """
        self=900
        R 1 /usr/lib/x86_64-linux-gnu/libssl.so.3
        R 2 /usr/lib/x86_64-linux-gnu/libc.so.6
        P 501 1
        P 502 1 2
        P 503 1
        P 504 1
        /proc/501/stat:501 (redis-server) S 1 501 501 0 -1 4194560
        /proc/501/cgroup:0::/system.slice/redis-server.service
        /proc/502/stat:502 (php-fpm8.2) S 1 502 502 0 -1 4194560
        /proc/502/cgroup:0::/system.slice/php8.2-fpm.service
        /proc/503/stat:503 (nginx) S 1 503 503 0 -1 4194560
        /proc/503/cgroup:0::/machine.slice/systemd-nspawn@web.service/payload/system.slice/nginx.service
        /proc/504/stat:504 (cron) S 1 504 504 0 -1 4194560
        /proc/504/cgroup:0::/system.slice/cron.service
        lrwxrwxrwx 1 root root 0 Nov 25 21:00 /proc/900/ns/mnt -> mnt:[4026531840]
        lrwxrwxrwx 1 root root 0 Nov 25 21:00 /proc/501/ns/mnt -> mnt:[4026532301]
        lrwxrwxrwx 1 root root 0 Nov 25 21:00 /proc/502/ns/mnt -> mnt:[4026532302]
        lrwxrwxrwx 1 root root 0 Nov 25 21:00 /proc/503/ns/mnt -> mnt:[4026532303]
        lrwxrwxrwx 1 root root 0 Nov 25 21:00 /proc/504/ns/mnt -> mnt:[4026531840]
        root /proc/1/root 2
        root /proc/900/root 2
        root /proc/501/root 2
        root /proc/502/root 2
        root /proc/503/root 1310721
        S 502 1
        S 503 1
        """
        let (services, notes) = OutdatedParser.parse(text)
        // cron ended before its root was read: skipped silently, as a vanished process.
        XCTAssertEqual(services.map(\.name).sorted(), ["php8.2-fpm.service", "redis-server.service"])
        XCTAssertEqual(services.first { $0.name == "php8.2-fpm.service" }?.filesText, "libc.so.6")
        XCTAssertEqual(notes, [])
        // PID 1's root readable and another root with something left: said.
        let container = text.replacingOccurrences(of: "S 503 1", with: "")
        XCTAssertEqual(OutdatedParser.parse(container).notes, ["outdated: 1 process in containers (root differs from PID 1's) not checked"])
        // Not root: PID 1's root unreadable, the script's own stands for the host's.
        let notRoot = text.replacingOccurrences(of: "root /proc/1/root 2\n", with: "")
        XCTAssertEqual(OutdatedParser.parse(notRoot).services.count, 2)
    }

    func testUnitsManagerSessionsAndSkippedFiles() {
        let text = """
        self=900
        D 1 /usr/lib/x86_64-linux-gnu/libssl.so.3 (deleted)
        D 2 /usr/lib/x86_64-linux-gnu/libc.so.6 (deleted)
        R 3 /usr/lib/systemd/systemd
        D 4 /memfd:jit (deleted)
        D 5 /tmp/ffiXYZ (deleted)
        P 1 3
        P 501 1 2
        P 502 2
        P 600 2
        P 601 4 5
        P 700 2
        /proc/1/stat:1 (systemd) S 0 1 1 0 -1 4194560
        /proc/1/cgroup:0::/init.scope
        /proc/501/stat:501 (sshd) S 1 501 501 0 -1 4194560
        /proc/501/cgroup:0::/system.slice/ssh.service
        /proc/502/stat:502 (cron) S 1 502 502 0 -1 4194560
        /proc/502/cgroup:0::/system.slice/cron.service
        lrwxrwxrwx 1 root root 0 Nov 25 21:00 /proc/600/ns/mnt -> mnt:[4026531840]
        /proc/600/stat:600 (bash) S 599 600 600 34816 -1 4194560
        /proc/600/cgroup:0::/user.slice/user-1000.slice/session-3.scope
        /proc/601/stat:601 (python3) S 1 601 601 0 -1 4194560
        /proc/601/cgroup:0::/system.slice/app.service
        /proc/700/stat:700 ((sd-pam)) S 1 700 700 0 -1 4194560
        /proc/700/cgroup:0::/user.slice/user-1000.slice/user@1000.service/init.scope
        lrwxrwxrwx 1 root root 0 Nov 25 21:00 /proc/900/ns/mnt -> mnt:[4026531840]
        lrwxrwxrwx 1 root root 0 Nov 25 21:00 /proc/1/ns/mnt -> mnt:[4026531840]
        lrwxrwxrwx 1 root root 0 Nov 25 21:00 /proc/501/ns/mnt -> mnt:[4026531840]
        lrwxrwxrwx 1 root root 0 Nov 25 21:00 /proc/502/ns/mnt -> mnt:[4026532001]
        """
        let (services, notes) = OutdatedParser.parse(text)
        XCTAssertEqual(services.map(\.name).sorted(), ["session", "ssh.service", "systemd"])
        let ssh = services.first { $0.name == "ssh.service" }
        XCTAssertEqual(ssh?.kind, .unit)
        XCTAssertEqual(ssh?.filesText, "libc.so.6, libssl.so.3")
        XCTAssertEqual(services.first { $0.name == "systemd" }?.kind, .manager)
        XCTAssertEqual(services.first { $0.name == "session" }?.processes, ["bash"])
        // cron is in another mount namespace; app.service maps only scratch files; (sd-pam) is skipped.
        XCTAssertEqual(notes, ["outdated: processes in other mount namespaces (containers) not checked"])
    }

    func testSysVServicesByPidFileAndTheSampleIsBounded() {
        var text = "self=9\nlrwx 1 /proc/9/ns/mnt -> mnt:[1]\nlrwx 1 /proc/40/ns/mnt -> mnt:[1]\nlrwx 1 /proc/41/ns/mnt -> mnt:[1]\nP 40"
        for i in 1...12 { text += " \(i)" }
        text += "\nP 41 1\n"
        for i in 1...12 { text += "D \(i) /usr/lib/lib\(i).so (deleted)\n" }
        text += "/proc/40/stat:40 (nginx) S 1 40 40 0 -1 0\n/proc/41/stat:41 (nginx) S 40 40 40 0 -1 0\n"
        text += "/run/nginx.pid:40\n"
        let (services, _) = OutdatedParser.parse(text)
        XCTAssertEqual(services.count, 1)
        XCTAssertEqual(services[0].name, "nginx")
        XCTAssertEqual(services[0].kind, .service)
        XCTAssertEqual(services[0].files.count, OutdatedService.sampleSize)
        XCTAssertEqual(services[0].fileCount, 12)
        XCTAssertTrue(services[0].filesText.hasSuffix("(+4 more)"))
    }

    func testGarbageIsSkipped() {
        let (services, notes) = OutdatedParser.parse("P x y\nD\nR 1\n/proc/\n/proc/1/stat:(\nlrwx /proc/ -> \n/run/x.pid:\n\u{0}\u{FFFD}")
        XCTAssertEqual(services, [])
        XCTAssertEqual(notes, [])
    }

    func testNotRootIsPartialAndRootIsComplete() {
        let out = ScriptOutput.parse("\n@@PP-n BEGIN outdated.maps\nself=1\n\n@@PP-n STDERR outdated.maps\n\n@@PP-n END outdated.maps 0\n", nonce: "n")
        XCTAssertNotNil(OutdatedSection.parse(out, uid: 1000).partial)
        XCTAssertNil(OutdatedSection.parse(out, uid: 0).partial)
    }
}
